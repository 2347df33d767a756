package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.bundle.BundleFixtures;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.evaluation.Baselines;
import dev.moe.runtime.evaluation.ClassificationMetrics;
import dev.moe.runtime.evaluation.TribuoEvaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvaluationCountsTest {

    /** Counted in two parts and merged, every figure equals Tribuo's on all rows at once. */
    @Test
    void countsInPartsGiveTribuosFiguresOnAllRows() {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        MixtureModel model = trained.model();
        Dataset test = trained.run().data().subset(trained.run().plan().testRows());
        int half = test.rows() / 2;
        Dataset first = test.subset(IntStream.range(0, half).toArray());
        Dataset second = test.subset(IntStream.range(half, test.rows()).toArray());
        EvaluationCounts a = EvaluationCounts.of(model);
        a.add(model, first.features(), first.labels());
        EvaluationCounts b = EvaluationCounts.of(model);
        b.add(model, second.features(), second.labels());
        EvaluationCounts counts = a.plus(b);
        assertEquals(test.rows(), counts.rows());

        List<FloatMatrix> experts = new ArrayList<>();
        model.experts().forEach(e -> experts.add(e.predict(test.features())));
        MixtureModel.Prediction mixture = model.predict(test.features(), experts);
        List<String> labels = test.labelNames();
        for (int k = 0; k < experts.size(); k++) {
            assertSame(TribuoEvaluation.evaluate(experts.get(k), test.labels(), labels), counts.metrics(model.experts().get(k).id()));
        }
        assertSame(TribuoEvaluation.evaluate(Baselines.uniform(experts), test.labels(), labels), counts.metrics(Baselines.UNIFORM));
        assertSame(TribuoEvaluation.evaluate(mixture.probabilities(), test.labels(), labels), counts.metrics(EvaluationCounts.MOE));

        RoutingDiagnostics expected = RoutingDiagnostics.compute(mixture.weights(), experts, test.labels());
        RoutingDiagnostics actual = counts.routing();
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.oracleAccuracy(), actual.oracleAccuracy(), 1e-12);
        assertEquals(expected.gateEntropy(), actual.gateEntropy(), 1e-9);
        assertEquals(expected.importanceCv(), actual.importanceCv(), 1e-9);
        for (int k = 0; k < experts.size(); k++) {
            assertEquals(expected.experts().get(k).meanWeight(), actual.experts().get(k).meanWeight(), 1e-9);
            assertEquals(expected.experts().get(k).routedAccuracy(), actual.experts().get(k).routedAccuracy());
        }
    }

    /** Labelled with the mixture's own predictions, it is right on every row: accuracy 1, F1 1 for every label. */
    @Test
    void aModelRightOnEveryRowHasF1OfOneForEveryLabel() {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        MixtureModel model = trained.model();
        Dataset test = trained.run().data().subset(trained.run().plan().testRows());
        FloatMatrix probabilities = model.predict(test.features()).probabilities();
        int[] predicted = new int[test.rows()];
        for (int r = 0; r < predicted.length; r++) {
            predicted[r] = probabilities.argMaxOfRow(r);
        }
        EvaluationCounts counts = EvaluationCounts.of(model);
        counts.add(model, test.features(), predicted);
        assertEquals(model.labelNames(), counts.labelNames());
        assertEquals(1.0, counts.accuracy(EvaluationCounts.MOE));
        ClassificationMetrics metrics = counts.metrics(EvaluationCounts.MOE);
        assertEquals(1.0, metrics.macroF1(), 1e-12);
        assertEquals(1.0, metrics.weightedF1(), 1e-12);
        long[][] confusion = counts.confusion(EvaluationCounts.MOE);
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion.length; p++) {
                assertEquals(t == p ? metrics.perClass().get(t).support() : 0, confusion[t][p], "true " + t + ", predicted " + p);
            }
            if (metrics.perClass().get(t).support() > 0) {
                assertEquals(1.0, metrics.perClass().get(t).f1(), metrics.perClass().get(t).toString());
            }
        }
        // The confusion handed out is a copy: changing it changes no figure.
        confusion[0][1] += 5;
        assertEquals(0, counts.confusion(EvaluationCounts.MOE)[0][1]);
    }

    private static void assertSame(ClassificationMetrics expected, ClassificationMetrics actual) {
        assertEquals(expected.accuracy(), actual.accuracy(), 1e-12);
        assertEquals(expected.macroF1(), actual.macroF1(), 1e-12);
        assertEquals(expected.weightedF1(), actual.weightedF1(), 1e-12);
        assertEquals(expected.logLoss(), actual.logLoss(), 1e-9);
        for (int t = 0; t < expected.confusion().length; t++) {
            assertArrayEquals(expected.confusion()[t], actual.confusion()[t]);
            assertEquals(expected.perClass().get(t), actual.perClass().get(t));
        }
    }
}
