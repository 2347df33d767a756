package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbsentLabelsTest {

    @Test
    void eachExpertIsOneSentenceWithTheTestRowsOfEachLabelItLacks() {
        Map<String, List<String>> absent = new LinkedHashMap<>();
        absent.put("two", List.of("c", "d"));
        absent.put("rare", List.of("e"));
        List<String> notices = AbsentLabels.notices(absent, List.of("a", "b", "c", "d", "e"), new long[] {10, 20, 7, 3, 0},
                "the 40 test rows");
        assertEquals(List.of(
                "expert 'two' has no labels c, d (its model was trained without them) and gives them probability 0 on every row:"
                        + " 10 of the 40 test rows hold one of them (c 7, d 3), and on each the expert alone is wrong and its 0"
                        + " pulls the average of the experts (uniform) down; the combiner learns how far to trust it from the gate's rows",
                "expert 'rare' has no label e (its model was trained without it) and gives it probability 0 on every row: none of"
                        + " the 40 test rows hold it"), notices);
    }
}
