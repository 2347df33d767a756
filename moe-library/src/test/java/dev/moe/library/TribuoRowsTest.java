package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

class TribuoRowsTest {

    /**
     * examples/data/iris.csv's header says 'sepalwidth ' and 'petallength ': Tribuo's CSVLoader keeps the spaces, moe's
     * reader (and so a mixture trained by moe train) does not. Every feature must still be read, none silently left at 0.
     */
    @Test
    void featuresMatchWithoutSurroundingSpaces() {
        Example<Label> row = new ArrayExample<>(new Label("Iris-setosa"),
                new String[] {"sepallength", "sepalwidth ", "petallength ", "petalwidth"}, new double[] {5.1, 3.5, 1.4, 0.2});
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f},
                TribuoRows.rows(List.of(row), List.of("sepallength", "sepalwidth", "petallength", "petalwidth")).values());
        assertEquals("features 'a' and 'a ' differ only in surrounding spaces; moe cannot tell them apart",
                assertThrows(IllegalArgumentException.class, () -> TribuoRows.index(List.of("a", "a "))).getMessage());
    }
}
