package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The value policy for typed cells (Spark's rows): the CSV reader's, cell by cell. */
class RowValuesTest {

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(MoeException.class, call).getMessage();
    }

    @Test
    void aFeatureIsANumberOrTextThatReadsAsOneAndFinite() {
        assertEquals(2.5f, dev.moe.runtime.data.CsvSource.feature(2.5, "part 3: ", "a"));
        assertEquals(7f, dev.moe.runtime.data.CsvSource.feature(7L, "part 3: ", "a"));
        assertEquals(-1.25f, dev.moe.runtime.data.CsvSource.feature(" -1.25 ", "part 3: ", "a"));
        assertEquals("part 3: column 'a': missing value", refusal(() -> dev.moe.runtime.data.CsvSource.feature(null, "part 3: ", "a")));
        assertEquals("part 3: column 'a': a missing value ('NaN'); every feature cell needs a number: name the column in data.fill"
                + " (a gap then takes the training rows' median), or fill in the missing values or drop those rows before the run", refusal(() -> dev.moe.runtime.data.CsvSource.feature(Double.NaN, "part 3: ", "a")));
        assertEquals("part 3: column 'a': Infinity is not a finite number",
                refusal(() -> dev.moe.runtime.data.CsvSource.feature(Double.POSITIVE_INFINITY, "part 3: ", "a")));
        assertEquals("part 3: column 'a': 1.0E300 is not a finite number", refusal(() -> dev.moe.runtime.data.CsvSource.feature(1e300, "part 3: ", "a")));
        assertEquals("part 3: column 'a': not a number: 'tall'", refusal(() -> dev.moe.runtime.data.CsvSource.feature("tall", "part 3: ", "a")));
    }

    @Test
    void aLabelIsTheMixturesIndexOfALabelSomeExpertKnows() {
        // The mixture's labels in its order; no expert knows "c".
        RowValues values = new RowValues(List.of("a", "b", "c", "d"), "species", Set.of("d", "b", "a"));
        assertEquals(0, values.label((Object) "a", "line 2, "));
        assertEquals(1, values.label((Object) " b ", "line 2, "));
        assertEquals(3, values.label("d", "line 2, "));
        assertEquals("line 4, column 'species': label 'c' is known to no expert of the mixture (they know: a, b, d)",
                refusal(() -> values.label((Object) "c", "line 4, ")));
        assertEquals("line 5, empty label in column 'species'", refusal(() -> values.label((Object) " ", "line 5, ")));
        assertEquals("line 6, empty label in column 'species'", refusal(() -> values.label((Object) null, "line 6, ")));
        // Spark's reading of a Latin-1 'café': the reason, not only "known to no expert".
        assertEquals("part 2: column 'species': label 'caf\uFFFD' holds U+FFFD, the mark of bytes that were not UTF-8 (a Latin-1"
                + " or Windows-1252 file?); save the input as UTF-8", refusal(() -> values.label((Object) "caf\uFFFD", "part 2: ")));
    }
}
