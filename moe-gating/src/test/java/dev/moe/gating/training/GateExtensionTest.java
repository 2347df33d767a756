package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.FakeExperts;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.TopKRouting;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GateExtensionTest {

    private static final List<String> FEATURES = List.of("x", "noise");
    private static final List<String> LABELS = List.of("neg", "pos");

    private static FloatMatrix rows(int n, long seed, int[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) r.nextGaussian();
            x[2 * i + 1] = (float) r.nextGaussian();
            labels[i] = x[2 * i] >= 0 ? 1 : 0;
        }
        return new FloatMatrix(n, 2, x);
    }

    private static AlignedExpert expert(String id, java.util.function.ToIntFunction<float[]> rule, float confidence) {
        return AlignedExpert.align(new FakeExperts.RuleExpert(id, FEATURES, LABELS, rule, confidence), FEATURES, LABELS);
    }

    private static double accuracy(FloatMatrix p, int[] y) {
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p.argMaxOfRow(i) == y[i] ? 1 : 0;
        }
        return (double) ok / y.length;
    }

    /**
     * A mixture of "left" (right for x < 0) and an undecided expert is right on half the rows; adding "right" (right
     * for x >= 0) changes no prediction until the gate is trained again, and then the mixture is right on nearly all.
     */
    private static void addingAnExpertChangesNothingUntilTheGateIsRetrained(RoutingStrategy strategy, int warmup, float tolerance) {
        int[] trainLabels = new int[400];
        FloatMatrix train = rows(400, 1, trainLabels);
        int[] testLabels = new int[400];
        FloatMatrix test = rows(400, 2, testLabels);
        List<AlignedExpert> experts = List.of(expert("left", row -> 0, 0.9f), expert("undecided", row -> 0, 0.5f));
        GateOptions options = new GateOptions(List.of(), List.of(), 0, 200, 0.05, 0, 3, false, 0.001, warmup);
        MixtureModel trained = new GateTrainer().train(train, trainLabels, LABELS, experts, strategy, options,
                GateTrainer.EpochListener.NONE).model();
        MixtureModel.Prediction before = trained.predict(test);
        assertEquals(0.5, accuracy(before.probabilities(), testLabels), 0.05);

        MixtureModel extended = GateExtension.addExpert(trained, expert("right", row -> 1, 0.9f), train);
        assertEquals(3, extended.experts().size());
        MixtureModel.Prediction after = extended.predict(test);
        for (int r = 0; r < testLabels.length; r++) {
            assertEquals(before.probabilities().argMaxOfRow(r), after.probabilities().argMaxOfRow(r), "row " + r);
        }
        assertArrayEquals(before.probabilities().values(), after.probabilities().values(), tolerance);

        GateTrainer.TrainedMixture retrained = new GateTrainer().continueTraining(extended, train, trainLabels, options,
                GateTrainer.EpochListener.NONE);
        double accuracy = accuracy(retrained.model().predict(test).probabilities(), testLabels);
        assertTrue(accuracy > 0.95, strategy.name() + " after retraining: " + accuracy);
        // The scaler is kept and the old experts' gate columns start where they were.
        assertEquals(trained.gate().scaler(), retrained.model().gate().scaler());
    }

    @Test
    void denseMixtureIsUnchangedToWithinTheMarginThenLearnsTheNewExpert() {
        addingAnExpertChangesNothingUntilTheGateIsRetrained(new SoftmaxDenseRouting(1), 0, 1e-4f);
    }

    @Test
    void topKNeverPicksTheNewExpertBeforeRetrainingSoTheOutputIsIdentical() {
        // Only the dense warm-up gives the new expert a gradient: it has to climb the margin in those epochs.
        addingAnExpertChangesNothingUntilTheGateIsRetrained(new TopKRouting(1, 1), 150, 0f);
    }

    @Test
    void theNewColumnHasZeroInputWeightsAndABiasTheMarginBelowTheLowestRowMaximum() {
        int[] labels = new int[50];
        FloatMatrix train = rows(50, 4, labels);
        MixtureModel trained = new GateTrainer().train(train, labels, LABELS,
                List.of(expert("left", row -> 0, 0.9f), expert("undecided", row -> 0, 0.5f)), new SoftmaxDenseRouting(1),
                new GateOptions(List.of(4), List.of(dev.moe.gating.nn.Activation.RELU), 0, 20, 0.05, 0, 5, false, 0.001, 0),
                GateTrainer.EpochListener.NONE).model();
        MixtureModel extended = GateExtension.addExpert(trained, expert("right", row -> 1, 0.9f), train, 7);
        FloatMatrix old = trained.gate().logits(train);
        FloatMatrix now = extended.gate().logits(train);
        double lowestBest = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 50; r++) {
            assertEquals(old.get(r, 0), now.get(r, 0), 1e-6f);
            assertEquals(old.get(r, 1), now.get(r, 1), 1e-6f);
            lowestBest = Math.min(lowestBest, Math.max(old.get(r, 0), old.get(r, 1)));
        }
        for (int r = 0; r < 50; r++) {
            assertEquals(lowestBest - 7, now.get(r, 2), 1e-5);
        }
    }
}
