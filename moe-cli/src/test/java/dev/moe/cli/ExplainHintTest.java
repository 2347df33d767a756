package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hint after `moe evaluate`'s table, on a terminal: it fits a narrow one, broken between words. */
class ExplainHintTest {

    private static final String HINT = "what a figure means: moe explain (or e.g. moe explain 'oracle accuracy')";

    @Test
    void aNarrowTerminalGetsTheHintBetweenWords() {
        for (int columns : new int[] {40, 60}) {
            List<String> lines = EvaluateCommand.explainHint(columns).lines().toList();
            assertTrue(lines.size() > 1, columns + " columns: " + lines);
            for (String line : lines) {
                assertTrue(line.length() <= columns, columns + " columns, a line of " + line.length() + ": " + line);
            }
            // Read again without the breaks and the continuation's indent, the hint is whole: nothing cut mid-word.
            assertEquals(HINT, String.join(" ", lines.stream().map(String::strip).toList()), columns + " columns");
        }
    }

    @Test
    void aWideTerminalOrNoneGetsOneLine() {
        assertEquals(HINT + System.lineSeparator(), EvaluateCommand.explainHint(100));
        assertEquals(HINT + System.lineSeparator(), EvaluateCommand.explainHint(Integer.MAX_VALUE));
    }
}
