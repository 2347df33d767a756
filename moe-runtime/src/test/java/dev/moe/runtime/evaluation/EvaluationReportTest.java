package dev.moe.runtime.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.evaluation.Calibration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationReportTest {

    private static ModelResult model(String name, double... accuracy) {
        List<Double> values = java.util.Arrays.stream(accuracy).boxed().toList();
        List<Double> logLoss = values.stream().map(a -> 1 - a).toList();
        return new ModelResult(name, ModelResult.mean(values), ModelResult.std(values), values, 0, 0, 0, 0,
                ModelResult.mean(logLoss), 0, logLoss, new Calibration(List.of(), 0));
    }

    @Test
    void theMixtureIsComparedRepeatByRepeatWithItsStandardError() {
        List<ModelResult> results = List.of(model("a", 0.70, 0.80, 0.75), model("b", 0.60, 0.60, 0.60),
                model("uniform", 0.72, 0.78, 0.76), model("moe", 0.74, 0.79, 0.78));
        List<EvaluationReport.Comparison> c = EvaluationReport.compare(results, List.of("a", "b"));
        assertEquals(List.of("a", "b", "uniform"), c.stream().map(EvaluationReport.Comparison::model).toList());
        // moe - a: +0.04, -0.01, +0.03: mean 0.02, sd 0.0264575, se 0.0152753.
        assertEquals(0.02, c.get(0).accuracyDifference(), 1e-12);
        assertEquals(0.0264575131 / Math.sqrt(3), c.get(0).accuracyStandardError(), 1e-9);
        assertEquals(-0.02, c.get(0).logLossDifference(), 1e-12);
        assertEquals("expert", c.get(0).kind());
        assertEquals("baseline", c.get(2).kind());
    }

    @Test
    void aPlainNoticeNamesTheBestExpertAndEveryBaselineTheMixtureLostTo() {
        List<ModelResult> results = List.of(model("a", 0.80, 0.82), model("b", 0.50, 0.50), model("uniform", 0.70, 0.70),
                model("stacking", 0.79, 0.81), model("moe", 0.78, 0.80));
        List<EvaluationReport.Comparison> c = EvaluationReport.compare(results, List.of("a", "b"));
        assertEquals(List.of(
                "the mixture (constant) is less accurate than its best expert, a: -0.020 ± 0.000 (paired over 2 repeats;"
                        + " 4 of 200 test predictions)",
                "the mixture (constant) is less accurate than stacking: -0.010 ± 0.000 (paired over 2 repeats; 2 of 200 test"
                        + " predictions)"),
                EvaluationReport.notices(c, 2, "constant", 100));
        // One repeat (a saved mixture on its data, moe evaluate -m) has no standard error to show.
        List<ModelResult> once = List.of(model("a", 0.80), model("uniform", 0.70), model("moe", 0.78));
        assertEquals(List.of("the mixture (top-k) is less accurate than its best expert, a: -0.020 (paired over 1 repeat; 1 of 50"
                + " test predictions)"), EvaluationReport.notices(EvaluationReport.compare(once, List.of("a")), 1, "top-k", 50));
        // A gate named by its strategy (--strategy top-k) is that strategy in the notice, not the gate's inputs.
        EvaluationReport.Gate named = new EvaluationReport.Gate(List.of("features", "features"), List.of(), List.of(), List.of(),
                java.util.Map.of(), java.util.Map.of(), List.of(), java.util.Map.of(), 0, 2, true, 0);
        assertEquals("top-k", EvaluationReport.mixtureName(named, "top-k"));
        EvaluationReport.Gate chosen = new EvaluationReport.Gate(List.of("product", "uniform", "product"),
                List.of(new EvaluationReport.CandidateScore("uniform", 1, 0.5, 1), new EvaluationReport.CandidateScore("product", 0.9, 0.5, 2)),
                List.of(), List.of(), java.util.Map.of(), java.util.Map.of(), List.of(), java.util.Map.of(), 0, 2, true, 0);
        assertEquals("product, uniform", EvaluationReport.mixtureName(chosen, "softmax-dense"));
        List<ModelResult> winning = List.of(model("a", 0.70, 0.72), model("uniform", 0.70, 0.70), model("moe", 0.78, 0.80));
        assertEquals(List.of(), EvaluationReport.notices(EvaluationReport.compare(winning, List.of("a")), 2, "constant", 100));
        // Right on as many rows as stacking in all (sonar's 62 test rows a repeat, the public benchmark): the mean of the
        // per-repeat differences is -2e-17 in floating point, which is level (shown +0.000), not a loss to report.
        double[] moe = {54 / 62.0, 52 / 62.0, 49 / 62.0, 50 / 62.0, 52 / 62.0};
        double[] stacking = {54 / 62.0, 52 / 62.0, 51 / 62.0, 49 / 62.0, 51 / 62.0};
        assertTrue(ModelResult.mean(java.util.stream.IntStream.range(0, 5).mapToObj(i -> moe[i] - stacking[i]).toList()) < 0,
                "the rounding this guards against");
        List<EvaluationReport.Comparison> levelComparison = EvaluationReport.compare(List.of(model("a", 0.5, 0.5, 0.5, 0.5, 0.5),
                model("stacking", stacking), model("moe", moe)), List.of("a"));
        assertEquals(0.0, levelComparison.get(1).accuracyDifference());
        assertEquals(List.of(), EvaluationReport.notices(levelComparison, 5, "product", 100));
    }

    /** Shuttle's rare label: right in the one repeat that had it, absent from the other; its recall was shown as 0.5. */
    @Test
    void aLabelsFiguresAreAveragedOverTheRepeatsThatDefineThem() {
        List<String> labels = List.of("a", "b", "rare");
        dev.moe.api.FloatMatrix withRare = new dev.moe.api.FloatMatrix(3, 3, new float[] {
            0.8f, 0.1f, 0.1f,
            0.1f, 0.8f, 0.1f,
            0.1f, 0.1f, 0.8f});
        ClassificationMetrics first = TribuoEvaluation.evaluate(withRare, new int[] {0, 1, 2}, labels);
        // The second repeat has no 'rare' row, and predicts it once, wrongly (a row of b).
        dev.moe.api.FloatMatrix without = new dev.moe.api.FloatMatrix(2, 3, new float[] {
            0.8f, 0.1f, 0.1f,
            0.1f, 0.1f, 0.8f});
        ClassificationMetrics second = TribuoEvaluation.evaluate(without, new int[] {0, 1}, labels);
        EvaluationReport.ClassSummary rare = EvaluationReport.classSummary("rare", 2, List.of(first, second));
        assertEquals(1.0, rare.recall(), 1e-12);      // defined in the first repeat only
        assertEquals(0.5, rare.precision(), 1e-12);   // 1 and 0: predicted in both
        assertEquals(0.5, rare.f1(), 1e-12);          // 1 and 0: defined in both
        assertEquals(0.5, rare.support(), 1e-12);
        EvaluationReport.ClassSummary b = EvaluationReport.classSummary("b", 1, List.of(first, second));
        assertEquals(0.5, b.recall(), 1e-12);         // 1, then 0
        assertEquals(1.0, b.precision(), 1e-12);      // predicted in the first repeat only
    }
}
