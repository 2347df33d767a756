package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportWriterWrapTest {

    @Test
    void longSentencesOfTheConsoleTableAreWrappedBetweenWordsAt100Columns() {
        StringBuilder out = new StringBuilder();
        String notice = "notice: " + "the mixture is less accurate than its best expert ".repeat(4) + "-0.005 ± 0.014";
        ReportWriter.wrapped(out, notice);
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        for (String line : lines) {
            assertEquals(true, line.length() <= ReportWriter.WIDTH, line);
        }
        assertEquals(true, lines.get(1).startsWith("  ") && !lines.get(1).startsWith("   "), "continued two spaces in");
        assertEquals(notice, String.join(" ", lines.stream().map(String::strip).toList()), "no word lost");
    }
}
