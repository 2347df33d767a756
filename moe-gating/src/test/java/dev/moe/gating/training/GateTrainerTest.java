package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.FakeExperts;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.TopKRouting;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GateTrainerTest {

    private static final List<String> FEATURES = List.of("x", "noise");
    private static final List<String> LABELS = List.of("neg", "pos");

    /** Label = sign of x. Expert "left" is right only for x < 0, "right" only for x >= 0: each alone is at chance. */
    private static final class Problem {
        final FloatMatrix rows;
        final int[] labels;

        Problem(int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = new float[n * 2];
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                x[2 * i] = (float) r.nextGaussian();
                x[2 * i + 1] = (float) r.nextGaussian();
                labels[i] = x[2 * i] >= 0 ? 1 : 0;
            }
            rows = new FloatMatrix(n, 2, x);
        }
    }

    private static List<AlignedExpert> experts() {
        // left: always right for x < 0 (says neg), wrong for x >= 0; right: the mirror image.
        FakeExperts.RuleExpert left = FakeExperts.constant("left", FEATURES, LABELS, 0);
        FakeExperts.RuleExpert right = FakeExperts.constant("right", FEATURES, LABELS, 1);
        return List.of(AlignedExpert.align(left, FEATURES, LABELS), AlignedExpert.align(right, FEATURES, LABELS));
    }

    private static double accuracy(FloatMatrix p, int[] y) {
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p.argMaxOfRow(i) == y[i] ? 1 : 0;
        }
        return (double) ok / y.length;
    }

    private static GateOptions linear(int epochs, int batch, long seed) {
        return new GateOptions(List.of(), List.of(), 0, epochs, 0.05, batch, seed, false, 0.001, 0);
    }

    @Test
    void gateLearnsToRouteEachRowToTheRightSpecialist() {
        Problem train = new Problem(400, 1);
        Problem test = new Problem(400, 2);
        GateTrainer.TrainedMixture trained = new GateTrainer().train(train.rows, train.labels, LABELS, experts(),
                new SoftmaxDenseRouting(1), linear(300, 0, 3), GateTrainer.EpochListener.NONE);
        double acc = accuracy(trained.model().predict(test.rows).probabilities(), test.labels);
        assertTrue(acc > 0.95, "mixture accuracy " + acc);
        double[] loss = trained.lossHistory();
        assertTrue(loss[loss.length - 1] < loss[0] * 0.6, "loss " + loss[0] + " -> " + loss[loss.length - 1]);
    }

    @Test
    void topOneAndMiniBatchesAndTheArticleGateAlsoLearn() {
        Problem train = new Problem(400, 4);
        Problem test = new Problem(400, 5);
        // Top-1 renormalised weights are constantly 1: no gradient reaches the gate without the dense warm-up.
        GateOptions topOne = new GateOptions(List.of(), List.of(), 0, 30, 0.05, 32, 6, false, 0.001, 0);
        GateTrainer.TrainedMixture stuck = new GateTrainer().train(train.rows, train.labels, LABELS, experts(),
                new TopKRouting(1, 1), topOne, GateTrainer.EpochListener.NONE);
        assertTrue(accuracy(stuck.model().predict(test.rows).probabilities(), test.labels) < 0.8);
        GateOptions warmedUp = new GateOptions(List.of(), List.of(), 0, 30, 0.05, 32, 6, false, 0.001, 15);
        GateTrainer.TrainedMixture sparse = new GateTrainer().train(train.rows, train.labels, LABELS, experts(),
                new TopKRouting(1, 1), warmedUp, GateTrainer.EpochListener.NONE);
        assertTrue(accuracy(sparse.model().predict(test.rows).probabilities(), test.labels) > 0.95);
        GateOptions deep = new GateOptions(List.of(16, 16), List.of(Activation.RELU, Activation.LEAKY_RELU), 0.1, 200, 0.01, 0, 7, false, 0.001, 0);
        GateTrainer.TrainedMixture trained = new GateTrainer().train(train.rows, train.labels, LABELS, experts(),
                new SoftmaxDenseRouting(1), deep, GateTrainer.EpochListener.NONE);
        assertTrue(accuracy(trained.model().predict(test.rows).probabilities(), test.labels) > 0.95);
    }

    @Test
    void sameSeedGivesIdenticalTraining() {
        Problem train = new Problem(200, 8);
        GateOptions options = new GateOptions(List.of(8), List.of(Activation.RELU), 0.2, 20, 0.01, 50, 9, false, 0.001, 0);
        double[] a = new GateTrainer().train(train.rows, train.labels, LABELS, experts(), new SoftmaxDenseRouting(1), options,
                GateTrainer.EpochListener.NONE).lossHistory();
        double[] b = new GateTrainer().train(train.rows, train.labels, LABELS, experts(), new SoftmaxDenseRouting(1), options,
                GateTrainer.EpochListener.NONE).lossHistory();
        assertArrayEquals(a, b);
    }
}
