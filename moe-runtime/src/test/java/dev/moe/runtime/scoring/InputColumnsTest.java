package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputColumnsTest {

    @Test
    void findsTheFeaturesByNameInAnyOrder() {
        assertArrayEquals(new int[] {2, 0}, InputColumns.features("in.csv", List.of("b", "x", "a"), List.of("a", "b")));
        assertEquals("in.csv: no column 'c' in the header; the model reads 2 columns (a, c), the file has b, a",
                assertThrows(MoeException.class, () -> InputColumns.features("in.csv", List.of("b", "a"), List.of("a", "c")))
                        .getMessage());
        assertEquals("in.csv: column 'a' appears twice in the header",
                assertThrows(MoeException.class, () -> InputColumns.features("in.csv", List.of("a", "a"), List.of("a")))
                        .getMessage());
    }

    /** Tribuo's CSVLoader keeps iris.csv's 'sepalwidth ' as the feature's name; moe's reader strips the header. */
    @Test
    void namesMatchWithoutSurroundingSpaces() {
        List<String> strippedHeader = List.of("sepallength", "sepalwidth", "petallength", "petalwidth", "label");
        assertArrayEquals(new int[] {2, 3, 0, 1},
                InputColumns.features("iris.csv", strippedHeader, List.of("petallength ", "petalwidth", "sepallength", "sepalwidth ")));
        assertArrayEquals(new int[] {1}, InputColumns.features("in.csv", List.of("x", " a "), List.of("a")));
        assertEquals(4, InputColumns.label("iris.csv", strippedHeader, "label "));
        assertEquals("in.csv: column 'a' appears twice in the header",
                assertThrows(MoeException.class, () -> InputColumns.features("in.csv", List.of("a", "a "), List.of("a")))
                        .getMessage());
    }
}
