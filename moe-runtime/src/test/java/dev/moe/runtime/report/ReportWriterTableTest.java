package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.runtime.evaluation.Calibration;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.evaluation.ModelResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console table of a report made here, line for line: at 100 columns, at 60 (the figures and the paired
 * differences as two tables) and at 40 (each model a wrapped sentence).
 */
public class ReportWriterTableTest {

    static ModelResult model(String name, double accuracy, double std, double macroF1, double logLoss) {
        return new ModelResult(name, accuracy, std, List.of(accuracy, accuracy), macroF1, 0, 0, 0, logLoss, 0,
                List.of(logLoss, logLoss), new Calibration(List.of(), 0));
    }

    static EvaluationReport.Comparison versus(String model, String kind, double difference, double standardError) {
        return new EvaluationReport.Comparison(model, kind, difference, standardError, 0, 0);
    }

    /** Two repeats of a product mixture of expert1 and knn (dead in one repeat), chosen over averaging. */
    public static EvaluationReport report(List<String> notices) {
        List<ModelResult> results = List.of(model("expert1", 0.88, 0.02, 0.871, 0.312), model("knn", 0.55, 0.05, 0.5, 1.25),
                model("uniform", 0.82, 0.02, 0.8, 0.45), model("moe", 0.91, 0.01, 0.905, 0.25));
        EvaluationReport.Routing routing = new EvaluationReport.Routing(0.5, 0.1, 0, 0, 0.975, 0.5, List.of(
                new EvaluationReport.ExpertRouting("expert1", 0.9, 1, 0.95, 0, 0.9),
                new EvaluationReport.ExpertRouting("knn", 0.1, 0.5, 0.05, 1, 0.5)), List.of());
        Map<String, Double> exponents = new LinkedHashMap<>();
        exponents.put("expert1", 0.75);
        exponents.put("knn", 0.5);
        EvaluationReport.Gate gate = new EvaluationReport.Gate(List.of("product", "product"), List.of(
                new EvaluationReport.CandidateScore("uniform", 0.3, 0.8, 0),
                new EvaluationReport.CandidateScore("product", 0.2, 0.9, 2)), List.of(), List.of(), Map.of(), Map.of(), List.of(),
                exponents, 2, 2, true, 0);
        return new EvaluationReport("c.yaml", "iris.csv", "softmax-dense", "", 2, List.of(7L, 8L), 30, 60,
                List.of("a", "b"), results, new int[][] {{20, 5}, {3, 32}}, List.of(), routing, Map.of(), List.of(),
                List.of(versus("expert1", "expert", 0.03, 0.01),
                versus("knn", "expert", 0.36, 0.04), versus("uniform", "baseline", 0.09, 0.03)), notices, gate, List.of("a note"),
                List.of("rows:0123456789abcdef", "rows:fedcba9876543210"));
    }

    static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    static final String NOTICE = "the mixture is less accurate than nothing: -0.010 ± 0.014 (paired over 2 repeats)";

    @Test
    void atAHundredColumnsEachModelIsARowAndEverySentenceALine() {
        assertEquals(lines(
                "2 repeats, 30 test rows each, data iris.csv",
                "model    accuracy        macro-F1  log-loss  moe - model",
                "expert1  0.880 ± 0.020   0.871     0.312     +0.030 ± 0.010",
                "knn      0.550 ± 0.050   0.500     1.250     +0.360 ± 0.040",
                "uniform  0.820 ± 0.020   0.800     0.450     +0.090 ± 0.030",
                "moe      0.910 ± 0.010   0.905     0.250",
                "combiner product 2/2",
                "mean gate weight: expert1 0.95 knn 0.05 (dead)",
                "product exponents (mean over 2 repeats): expert1 0.75 knn 0.50 (sum 1.25)",
                "oracle accuracy 0.975 (a row counts when any expert is right)",
                "combiner chosen by 5-fold cross-validation on the gate's rows (log-loss, accuracy; averaging only",
                "  where its log-loss is lower by more than 2 standard errors):",
                "  uniform 0.300 0.800 · product 0.200 0.900 [chosen 2x]",
                "notice: " + NOTICE,
                "note: a note"), ReportWriter.table(report(List.of(NOTICE))));
        // 60 columns hold a row here: the table is the same.
        assertEquals(ReportWriter.table(report(List.of(NOTICE))).lines().limit(6).toList(),
                ReportWriter.table(report(List.of(NOTICE)), 60).lines().limit(6).toList());
    }

    @Test
    void atFortyColumnsTheFiguresAndTheDifferencesAreTwoTables() {
        assertEquals(lines(
                "2 repeats, 30 test rows each, data",
                "  iris.csv",
                "model    accuracy        macro-F1  log-loss",
                "expert1  0.880 ± 0.020   0.871     0.312",
                "knn      0.550 ± 0.050   0.500     1.250",
                "uniform  0.820 ± 0.020   0.800     0.450",
                "moe      0.910 ± 0.010   0.905     0.250",
                "model    moe - model",
                "expert1  +0.030 ± 0.010",
                "knn      +0.360 ± 0.040",
                "uniform  +0.090 ± 0.030",
                "combiner product 2/2",
                "mean gate weight: expert1 0.95",
                "  knn 0.05 (dead)",
                "product exponents (mean over 2 repeats):",
                "  expert1 0.75 knn 0.50 (sum 1.25)",
                "oracle accuracy 0.975 (a row counts when",
                "  any expert is right)",
                "combiner chosen by 5-fold",
                "  cross-validation on the gate's rows",
                "  (log-loss, accuracy; averaging only",
                "  where its log-loss is lower by more",
                "  than 2 standard errors):",
                "  uniform 0.300 0.800 ·",
                "  product 0.200 0.900 [chosen 2x]",
                "notice: the mixture is less accurate",
                "  than nothing: -0.010 ± 0.014",
                "  (paired over 2 repeats)",
                "note: a note"), ReportWriter.table(report(List.of(NOTICE)), 40));
    }

    @Test
    void narrowerStillEachModelIsASentenceWrappedBetweenItsFigures() {
        List<String> lines = ReportWriter.table(report(List.of()), 36).lines().toList();
        assertEquals(List.of(
                "2 repeats, 30 test rows each, data",
                "  iris.csv",
                "expert1: accuracy 0.880 ± 0.020,",
                "  macro-F1 0.871, log-loss 0.312,",
                "  moe - model +0.030 ± 0.010",
                "knn: accuracy 0.550 ± 0.050,",
                "  macro-F1 0.500, log-loss 1.250,",
                "  moe - model +0.360 ± 0.040",
                "uniform: accuracy 0.820 ± 0.020,",
                "  macro-F1 0.800, log-loss 0.450,",
                "  moe - model +0.090 ± 0.030",
                "moe: accuracy 0.910 ± 0.010,",
                "  macro-F1 0.905, log-loss 0.250",
                "combiner product 2/2",
                "mean gate weight: expert1 0.95",
                "  knn 0.05 (dead)",
                "product exponents",
                "  (mean over 2 repeats):",
                "  expert1 0.75 knn 0.50 (sum 1.25)"), lines.subList(0, 19));
    }

    /** Without a product there are no exponents to show; the HTML page's line reads the same as the table's. */
    @Test
    void theProductsExponentsAndTheirSum() {
        assertEquals("product exponents (mean over 2 repeats): expert1 0.75 knn 0.50 (sum 1.25)",
                ReportWriter.productExponents(report(List.of())));
        EvaluationReport r = report(List.of());
        EvaluationReport.Gate g = r.gate();
        EvaluationReport.Gate none = new EvaluationReport.Gate(List.of("uniform", "uniform"), g.candidates(), g.bestEpoch(),
                g.validationLoss(), g.temperatures(), g.floors(), g.candidatesPerRepeat(), Map.of(), 0, 2, true, 0);
        EvaluationReport averaged = new EvaluationReport(r.config(), r.dataset(), r.strategy(), r.strategyParameters(), r.repeats(),
                r.seeds(), r.testRows(), r.gateTrainRows(), r.labels(), r.results(), r.moeConfusion(), r.moePerClass(), r.routing(),
                r.gateWeights(), r.gateLossFirstRepeat(), r.comparisons(), r.notices(), none, r.notes(), r.testRowsFingerprints());
        assertEquals("", ReportWriter.productExponents(averaged));
        assertEquals(false, ReportWriter.table(averaged).contains("exponents"));
    }

    /** A sentence of exactly the line's width is one line; one character more breaks at its last space. */
    @Test
    void aSentenceOfTheLinesWidthIsNotBroken() {
        StringBuilder out = new StringBuilder();
        ReportWriter.wrapped(out, "abc def ghi", 11);
        assertEquals(lines("abc def ghi"), out.toString());
        out = new StringBuilder();
        ReportWriter.wrapped(out, "abc def ghij", 11);
        assertEquals(lines("abc def", "  ghij"), out.toString());
        // Never beside a '±': "0.010 ±" or "± 0.014" alone would read as two figures.
        for (int width = 8; width <= 30; width++) {
            out = new StringBuilder();
            ReportWriter.wrapped(out, "diff -0.010 ± 0.014 and +0.020 ± 0.003", width);
            for (String line : out.toString().lines().toList()) {
                assertEquals(false, line.endsWith("±") || line.strip().startsWith("±"), width + ": " + out);
            }
            assertEquals(true, out.toString().contains("-0.010 ± 0.014") && out.toString().contains("+0.020 ± 0.003"),
                    width + ": " + out);
        }
    }
}
