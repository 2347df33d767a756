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

    /** A figure and its bracketed aside are not parted: "(sum" at the end of one line and "1.08)" on the next. */
    @Test
    void aShortAsideInBracketsIsNotBrokenAcrossLines() {
        String exponents = "product exponents (mean over 5 repeats): logistic 0.32 cart 0.11 knn 0.08 xgboost 0.39 mlp 0.18 (sum 1.08)";
        StringBuilder out = new StringBuilder();
        ReportWriter.wrapped(out, exponents);
        assertEquals(List.of("product exponents (mean over 5 repeats): logistic 0.32 cart 0.11 knn 0.08 xgboost 0.39 mlp 0.18",
                "  (sum 1.08)"), out.toString().lines().toList());

        String notice = "notice: the mixture (product) is less accurate than tribuo-ensemble: -0.002 ± 0.002 (paired over 5 repeats)";
        out = new StringBuilder();
        ReportWriter.wrapped(out, notice);
        assertEquals(List.of("notice: the mixture (product) is less accurate than tribuo-ensemble: -0.002 ± 0.002",
                "  (paired over 5 repeats)"), out.toString().lines().toList());

        // Words alone in brackets are no figure to keep together.
        String note = "note: tribuo-ensemble is not shown: it needs at least two experts that are Tribuo models (the tribuo"
                + " provider's), which Tribuo accepts";
        out = new StringBuilder();
        ReportWriter.wrapped(out, note);
        assertEquals(List.of("note: tribuo-ensemble is not shown: it needs at least two experts that are Tribuo models (the tribuo",
                "  provider's), which Tribuo accepts"), out.toString().lines().toList());

        // A long aside is broken between words as any sentence: kept whole it would leave a short first line.
        String rule = "combiner chosen by 5-fold cross-validation on the gate's rows (log-loss, accuracy; averaging only where"
                + " its log-loss is lower by more than 2 standard errors):";
        out = new StringBuilder();
        ReportWriter.wrapped(out, rule);
        assertEquals(List.of("combiner chosen by 5-fold cross-validation on the gate's rows (log-loss, accuracy; averaging only",
                "  where its log-loss is lower by more than 2 standard errors):"), out.toString().lines().toList());
    }

    /** For a narrow terminal: at 40 columns, between words, nothing lost. */
    @Test
    void aSentenceIsWrappedAtATerminalsWidth() {
        String notice = "notice: the mixture (product) is less accurate than its best expert, mlp: -0.010 ± 0.014 (paired over 3 repeats)";
        StringBuilder out = new StringBuilder();
        ReportWriter.wrapped(out, notice, 40);
        List<String> lines = out.toString().lines().toList();
        assertEquals(true, lines.size() >= 3, out.toString());
        for (String line : lines) {
            assertEquals(true, line.length() <= 40, line);
        }
        assertEquals(notice, String.join(" ", lines.stream().map(String::strip).toList()), "no word lost");
    }

    /** "knn 0.00 (dead)" is one thing, as is "-0.010 ± 0.014": a line ends before or after it, never inside. */
    @Test
    void gluedWordsAndAFigureWithItsErrorStayOnOneLine() {
        String g = ReportWriter.GLUE;
        String weights = "mean gate weight: logistic" + g + "0.95 cart" + g + "0.00 knn" + g + "0.00" + g + "(dead) mlp" + g + "0.05";
        for (int width = 20; width <= 60; width++) {
            StringBuilder out = new StringBuilder();
            ReportWriter.wrapped(out, weights, width);
            String text = out.toString();
            assertEquals(false, text.contains(g), "written as spaces");
            for (String line : text.lines().toList()) {
                assertEquals(false, line.matches(".*(logistic|cart|knn|mlp)") || line.strip().startsWith("(dead)")
                        || line.strip().matches("^\\d.*"), width + ": " + text);
            }
            assertEquals(weights.replace(g, " "), String.join(" ", text.lines().map(String::strip).toList()), "no word lost");
        }
        String notice = "notice: the mixture is less accurate than mlp: -0.010 ± 0.014";
        for (int width = 20; width <= 60; width++) {
            StringBuilder out = new StringBuilder();
            ReportWriter.wrapped(out, notice, width);
            assertEquals(true, out.toString().contains("-0.010 ± 0.014"), width + ": " + out);
        }
    }
}
