package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.FakeExperts;
import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.routing.ConstantRouting;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.UniformRouting;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The mechanics of choosing a combiner and of gates that read the experts. The data are expert outputs made up
 * row by row, so what each combiner can reach is known exactly.
 */
class GateSelectionTest {

    static final List<String> LABELS = List.of("a", "b");

    /**
     * Half the rows: expert A says the true label with 0.9 and B the wrong one with 0.9; the other half: A says the
     * wrong label with 0.6 and B the right one with 0.6. The features are noise. Only a gate that sees A's
     * confidence (0.9 or 0.6) can pick the right expert on every row; any fixed weights are right on half the rows.
     */
    static GateData confidenceDecides(int n, int noiseFeatures, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        FloatMatrix a = FloatMatrix.zeros(n, 2);
        FloatMatrix b = FloatMatrix.zeros(n, 2);
        FloatMatrix x = FloatMatrix.zeros(n, noiseFeatures);
        for (int r = 0; r < n; r++) {
            labels[r] = random.nextInt(2);
            int wrong = 1 - labels[r];
            boolean aSure = random.nextBoolean();
            float conf = aSure ? 0.9f : 0.6f;
            a.set(r, aSure ? labels[r] : wrong, conf);
            a.set(r, aSure ? wrong : labels[r], 1 - conf);
            b.set(r, aSure ? wrong : labels[r], conf);
            b.set(r, aSure ? labels[r] : wrong, 1 - conf);
            for (int j = 0; j < noiseFeatures; j++) {
                x.set(r, j, (float) random.nextGaussian());
            }
        }
        return new GateData(x, labels, List.of(a, b));
    }

    /**
     * On every row exactly one of two experts is right, with 0.9, and which one is a coin flip that nothing shows:
     * equal weights give the true label 0.5 everywhere, and by convexity any other weights lose in expectation.
     */
    static GateData coinFlipExperts(int n, int noiseFeatures, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[n];
        FloatMatrix x = FloatMatrix.zeros(n, noiseFeatures);
        FloatMatrix[] p = {FloatMatrix.zeros(n, 2), FloatMatrix.zeros(n, 2)};
        for (int r = 0; r < n; r++) {
            labels[r] = random.nextInt(2);
            int right = random.nextInt(2);
            for (int k = 0; k < 2; k++) {
                int answer = k == right ? labels[r] : 1 - labels[r];
                p[k].set(r, answer, 0.9f);
                p[k].set(r, 1 - answer, 0.1f);
            }
            for (int j = 0; j < noiseFeatures; j++) {
                x.set(r, j, (float) random.nextGaussian());
            }
        }
        return new GateData(x, labels, List.of(p[0], p[1]));
    }

    static List<AlignedExpert> experts(int features) {
        List<String> names = java.util.stream.IntStream.range(0, features).mapToObj(i -> "x" + i).toList();
        return List.of(AlignedExpert.align(FakeExperts.constant("A", names, LABELS, 0), names, LABELS),
                AlignedExpert.align(FakeExperts.constant("B", names, LABELS, 1), names, LABELS));
    }

    static double accuracy(MixtureModel model, GateData data) {
        FloatMatrix p = model.predict(data.features(), data.expertProbabilities()).probabilities();
        int right = 0;
        for (int r = 0; r < data.rows(); r++) {
            right += p.argMaxOfRow(r) == data.labels()[r] ? 1 : 0;
        }
        return (double) right / data.rows();
    }

    static GateOptions.Builder linear(long seed) {
        return GateOptions.builder().epochs(300).learningRate(0.05).seed(seed).uniformStart(true);
    }

    @Test
    void aGateOnTheExpertsSignalsRoutesWhereAGateOnTheFeaturesCannot() {
        GateData train = confidenceDecides(1000, 3, 1);
        GateData test = confidenceDecides(1000, 3, 2);
        GateTrainer trainer = new GateTrainer();
        MixtureModel signals = trainer.train(train, LABELS, experts(3), new SoftmaxDenseRouting(1),
                linear(3).inputs(GateInputs.SIGNALS).build(), GateTrainer.EpochListener.NONE).model();
        MixtureModel features = trainer.train(train, LABELS, experts(3), new SoftmaxDenseRouting(1),
                linear(3).inputs(GateInputs.FEATURES).build(), GateTrainer.EpochListener.NONE).model();
        assertTrue(accuracy(signals, test) > 0.97, "signals gate " + accuracy(signals, test));
        assertTrue(accuracy(features, test) < 0.6, "features gate " + accuracy(features, test));
        assertEquals(GateInputs.SIGNALS, signals.gate().inputs());
    }

    @Test
    void crossValidationChoosesTheCandidateThatRoutesAndReportsEveryScore() {
        GateData data = confidenceDecides(600, 3, 4);
        GateOptions options = linear(5).build();
        List<GateSelection.Candidate> candidates = List.of(
                new GateSelection.Candidate("uniform", new UniformRouting(), options.toBuilder().epochs(0).build()),
                new GateSelection.Candidate("constant", new ConstantRouting(), options),
                new GateSelection.Candidate("features", new SoftmaxDenseRouting(1), options),
                new GateSelection.Candidate("signals", new SoftmaxDenseRouting(1), options.toBuilder().inputs(GateInputs.SIGNALS).build()));
        GateSelection.Result result = new GateSelection(new GateTrainer(), 2).select(data, LABELS, experts(3), candidates, 5, 6,
                GateTrainer.EpochListener.NONE);
        assertEquals("signals", result.name());
        assertTrue(result.averagingFloor(), "averaging among learned candidates, margin 2");
        assertEquals(List.of("uniform", "constant", "features", "signals"),
                result.scores().stream().map(GateSelection.Score::candidate).toList());
        GateSelection.Score signals = result.scores().get(3);
        assertEquals(0, signals.aboveBest());
        for (GateSelection.Score other : result.scores().subList(0, 3)) {
            assertTrue(signals.logLoss() < other.logLoss(), result.scores().toString());
            assertTrue(other.aboveBest() > other.standardError(), other.toString());
            assertTrue(other.accuracy() < 0.65, other.toString());
        }
        assertTrue(signals.accuracy() > 0.95, signals.toString());
        // The chosen one is trained again on every row.
        assertTrue(accuracy(result.chosen().model(), confidenceDecides(500, 3, 7)) > 0.95);
    }

    @Test
    void averagingIsTheFloorWhenALearnedGateOnlyFitsNoise() {
        // 60 rows, 20 noise features, no weight decay or early stopping: a features gate memorises its rows.
        GateData data = coinFlipExperts(60, 20, 8);
        GateOptions overfitting = GateOptions.builder().epochs(500).learningRate(0.1).seed(9).build();
        List<GateSelection.Candidate> candidates = List.of(
                new GateSelection.Candidate("uniform", new UniformRouting(), overfitting.toBuilder().epochs(0).build()),
                new GateSelection.Candidate("features", new SoftmaxDenseRouting(1), overfitting));
        GateSelection.Result result = new GateSelection(new GateTrainer(), 2).select(data, LABELS, experts(20), candidates, 5, 10,
                GateTrainer.EpochListener.NONE);
        assertEquals("uniform", result.name(), result.scores().toString());
        assertEquals(Math.log(2), result.scores().get(0).logLoss(), 1e-6);
        assertTrue(result.scores().get(1).logLoss() > result.scores().get(0).logLoss());
    }

    @Test
    void averagingIsChosenOnlyWhenItsLogLossIsClearlyLower() {
        GateOptions options = linear(1).build();
        List<GateSelection.Candidate> candidates = List.of(
                new GateSelection.Candidate("uniform", new UniformRouting(), options),
                new GateSelection.Candidate("product", new ProductRouting(), options),
                new GateSelection.Candidate("constant", new ConstantRouting(), options));
        double[] averaging = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3};
        // The product 0.05 worse on average, but from two rows of eight: within two standard errors, so it stays.
        double[] noisy = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1.1, 1.1};
        assertEquals(1, GateSelection.choose(candidates, new double[][] {averaging, noisy, constant(8, 0.5)}, 2));
        // 0.05 worse on every row: clearly worse, so averaging.
        assertEquals(0, GateSelection.choose(candidates, new double[][] {averaging, constant(8, 0.35), constant(8, 0.4)}, 2));
        // The learned candidates are compared by their plain minimum, ties to the earlier one.
        assertEquals(2, GateSelection.choose(candidates, new double[][] {averaging, constant(8, 0.25), constant(8, 0.2)}, 2));
        assertEquals(1, GateSelection.choose(candidates, new double[][] {averaging, constant(8, 0.2), constant(8, 0.2)}, 2));
        // A margin of 0 is the plain minimum: the noisy product loses to averaging's lower mean.
        assertEquals(0, GateSelection.choose(candidates, new double[][] {averaging, noisy, constant(8, 0.5)}, 0));
        assertEquals(0, GateSelection.choose(candidates, new double[][] {averaging, constant(8, 0.3), constant(8, 0.5)}, 0));
        // Without averaging among the candidates there is no floor.
        assertEquals(0, GateSelection.choose(candidates.subList(1, 3), new double[][] {constant(8, 0.9), constant(8, 1.0)}, 2));
        assertEquals(1, GateSelection.choose(candidates.subList(1, 3), new double[][] {constant(8, 1.0), constant(8, 0.9)}, 2));
        // A margin of 0 still takes a learned candidate that is lower.
        assertEquals(2, GateSelection.choose(candidates, new double[][] {averaging, constant(8, 0.5), constant(8, 0.25)}, 0));
    }

    @Test
    void theFloorIsAveragingClearlyBelowTheBestLearnedCandidateWhereverTheyAreListed() {
        GateOptions options = linear(1).build();
        // A learned candidate listed first is compared with the other learned one before averaging is.
        List<GateSelection.Candidate> candidates = List.of(
                new GateSelection.Candidate("product", new ProductRouting(), options),
                new GateSelection.Candidate("uniform", new UniformRouting(), options),
                new GateSelection.Candidate("constant", new ConstantRouting(), options));
        double[] averaging = constant(8, 0.3);
        assertEquals(0, GateSelection.choose(candidates, new double[][] {constant(8, 0.2), averaging, constant(8, 0.25)}, 2));
        assertEquals(2, GateSelection.choose(candidates, new double[][] {constant(8, 0.25), averaging, constant(8, 0.2)}, 2));
        // Averaging level with the best learned candidate is not clearly better: the learned one stays.
        assertEquals(0, GateSelection.choose(candidates, new double[][] {averaging, averaging, constant(8, 0.4)}, 2));
    }

    @Test
    void theMarginIsInStandardErrorsOfTheRowsPairedDifferences() {
        GateOptions options = linear(1).build();
        List<GateSelection.Candidate> candidates = List.of(
                new GateSelection.Candidate("uniform", new UniformRouting(), options),
                new GateSelection.Candidate("product", new ProductRouting(), options));
        double[] averaging = {0.3, 0.3};
        // Differences 0.1 and 0.4: mean 0.25, sample standard deviation 0.212, standard error 0.15; 0.25 < 2 x 0.15.
        assertEquals(1, GateSelection.choose(candidates, new double[][] {averaging, {0.4, 0.7}}, 2));
        // Differences 0.2 and 0.3: mean 0.25, standard error 0.05; 0.25 > 2 x 0.05.
        assertEquals(0, GateSelection.choose(candidates, new double[][] {averaging, {0.5, 0.6}}, 2));
        // Eight rows, every difference near 0.05 (0.04 or 0.06): a standard error of 0.004, so averaging is clearly
        // better.
        double[] close = {0.34, 0.36, 0.34, 0.36, 0.34, 0.36, 0.34, 0.36};
        assertEquals(0, GateSelection.choose(candidates, new double[][] {constant(8, 0.3), close}, 2));
    }

    @Test
    void scoresGiveEachCandidatesOutOfFoldLossAndAccuracyAndTheListenerHearsEveryTraining() {
        // Both experts right on every row (A with 0.8, B with 0.6): averaging gives the label 0.7 everywhere.
        int n = 40;
        SplittableRandom random = new SplittableRandom(21);
        int[] labels = new int[n];
        FloatMatrix a = FloatMatrix.zeros(n, 2);
        FloatMatrix b = FloatMatrix.zeros(n, 2);
        for (int r = 0; r < n; r++) {
            labels[r] = random.nextInt(2);
            a.set(r, labels[r], 0.8f);
            a.set(r, 1 - labels[r], 0.2f);
            b.set(r, labels[r], 0.6f);
            b.set(r, 1 - labels[r], 0.4f);
        }
        GateData data = new GateData(FloatMatrix.zeros(n, 1), labels, List.of(a, b));
        GateOptions options = linear(22).epochs(3).build();
        java.util.concurrent.atomic.AtomicInteger trainings = new java.util.concurrent.atomic.AtomicInteger();
        GateTrainer.EpochListener listener = (epoch, epochs, loss) -> {
            if (epoch == 1) {
                trainings.incrementAndGet();
            }
        };
        // A margin no loss can beat: a learned candidate is chosen.
        GateSelection.Result result = new GateSelection(new GateTrainer(), 1e9).select(data, LABELS, experts(1), List.of(
                new GateSelection.Candidate("uniform", new UniformRouting(), options),
                new GateSelection.Candidate("constant", new ConstantRouting(), options),
                new GateSelection.Candidate("features", new SoftmaxDenseRouting(1), options)), 4, 23, listener);
        GateSelection.Score uniform = result.scores().get(0);
        assertEquals(-Math.log(0.7), uniform.logLoss(), 1e-6);
        assertEquals(1.0, uniform.accuracy());
        assertEquals(1.0, result.scores().get(1).accuracy());
        assertEquals(1.0, result.scores().get(2).accuracy());
        // Averaging trains nothing; the two learned candidates on each of 4 folds, then the chosen one on every row.
        assertEquals(2 * 4 + 1, trainings.get());
    }

    @Test
    void theResultRecordsWhetherAveragingWasTheFloor() {
        GateOptions options = linear(16).epochs(5).build();
        // Averaging is known by its routing, whatever it is called.
        GateSelection.Candidate averaging = new GateSelection.Candidate("equal-weights", new UniformRouting(),
                options.toBuilder().epochs(0).build());
        GateSelection.Candidate constant = new GateSelection.Candidate("constant", new ConstantRouting(), options);
        GateSelection.Candidate product = new GateSelection.Candidate("product", new ProductRouting(), options);
        assertTrue(select(2, averaging, constant).averagingFloor());
        assertFalse(select(0, averaging, constant).averagingFloor(), "a margin of 0: the plain minimum");
        assertFalse(select(2, constant, product).averagingFloor(), "no averaging to fall back to");
        assertFalse(select(2, averaging).averagingFloor(), "nothing to choose");
    }

    private static GateSelection.Result select(double margin, GateSelection.Candidate... candidates) {
        return new GateSelection(new GateTrainer(), margin).select(coinFlipExperts(50, 2, 15), LABELS, experts(2),
                List.of(candidates), 5, 17, GateTrainer.EpochListener.NONE);
    }

    private static double[] constant(int n, double value) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, value);
        return values;
    }

    @Test
    void tiesGoToTheEarlierCandidate() {
        // Averaging twice under two names: the same out-of-fold losses, so the first listed is chosen.
        GateData data = coinFlipExperts(50, 2, 12);
        GateOptions untrained = linear(13).epochs(0).build();
        GateSelection.Result result = new GateSelection(new GateTrainer(), 2).select(data, LABELS, experts(2), List.of(
                new GateSelection.Candidate("first", new UniformRouting(), untrained),
                new GateSelection.Candidate("second", new UniformRouting(), untrained)), 5, 14, GateTrainer.EpochListener.NONE);
        assertEquals("first", result.name());
        assertEquals(result.scores().get(0).logLoss(), result.scores().get(1).logLoss());
        assertEquals(0, result.scores().get(1).aboveBest());
    }

    @Test
    void oneCandidateIsTrainedWithoutCrossValidation() {
        GateData data = coinFlipExperts(50, 2, 11);
        GateSelection.Result result = new GateSelection(new GateTrainer(), 2).select(data, LABELS, experts(2),
                List.of(new GateSelection.Candidate("features", new SoftmaxDenseRouting(1), linear(1).build())), 5, 1,
                GateTrainer.EpochListener.NONE);
        assertEquals("features", result.name());
        assertTrue(result.scores().isEmpty());
    }
}
