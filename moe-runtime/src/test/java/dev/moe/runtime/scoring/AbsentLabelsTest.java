package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbsentLabelsTest {

    @Test
    void everyExpertLackingLabelsIsInOneNoticeWithTheTestRowsOfTheLabelsItLacks() {
        Map<String, List<String>> absent = new LinkedHashMap<>();
        absent.put("two", List.of("c", "d"));
        absent.put("rare", List.of("e"));
        absent.put("one", List.of("b"));
        List<String> notices = AbsentLabels.notices(absent, List.of("a", "b", "c", "d", "e"), new long[] {10, 20, 7, 3, 0},
                "the 40 test rows");
        assertEquals(List.of("3 loaded experts were trained without labels of the data and give them probability 0 on every"
                + " row: 'two' lacks c, d (10 of the 40 test rows: c 7, d 3), 'rare' lacks e (none), 'one' lacks b (20); on those"
                + " rows each is wrong alone and pulls the average of the experts (uniform) down, and the combiner learns from"
                + " the gate's rows how far to trust each"), notices);
    }

    @Test
    void oneExpertIsNamedAlone() {
        assertEquals(List.of("a loaded expert was trained without labels of the data and gives them probability 0 on every"
                + " row: 'rare' lacks e (none of the 40 test rows)"),
                AbsentLabels.notices(Map.of("rare", List.of("e")), List.of("a", "e"), new long[] {40, 0}, "the 40 test rows"));
        assertEquals(List.of(), AbsentLabels.notices(Map.of(), List.of("a"), new long[] {40}, "the 40 test rows"));
    }
}
