package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.FakeExperts;
import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.routing.ConstantRouting;
import dev.moe.gating.routing.ExpertChoiceRouting;
import dev.moe.gating.routing.NoisyTopKRouting;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.SwitchRouting;
import dev.moe.gating.routing.TopKRouting;
import dev.moe.gating.routing.UniformRouting;
import java.util.ArrayList;
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

    /** The two specialists and a third expert that is always at chance: the gate must learn to avoid it. */
    private static List<AlignedExpert> expertsWithANoisyOne() {
        List<AlignedExpert> experts = new ArrayList<>(experts());
        experts.add(AlignedExpert.align(new FakeExperts.RuleExpert("coin", FEATURES, LABELS, row -> 0, 0.5f), FEATURES, LABELS));
        return experts;
    }

    @Test
    void everyLearnedStrategyRoutesRowsToTheRightSpecialist() {
        Problem train = new Problem(400, 10);
        Problem test = new Problem(400, 11);
        List<RoutingStrategy> strategies = List.of(new NoisyTopKRouting(2), new SwitchRouting(), new ExpertChoiceRouting(2.0),
                new TopKRouting(2, 1));
        for (RoutingStrategy strategy : strategies) {
            GateTrainer.TrainedMixture trained = new GateTrainer().train(train.rows, train.labels, LABELS, expertsWithANoisyOne(),
                    strategy, linear(150, 0, 12), GateTrainer.EpochListener.NONE);
            double acc = accuracy(trained.model().predict(test.rows).probabilities(), test.labels);
            assertTrue(acc > 0.95, strategy.name() + " accuracy " + acc);
        }
    }

    @Test
    void constantGateLearnsTheLikeliestWeightPerExpertAndUniformLearnsNothing() {
        Problem train = new Problem(400, 13);
        FakeExperts.RuleExpert contrarian = new FakeExperts.RuleExpert("contrarian", FEATURES, LABELS, row -> row[0] >= 0 ? 0 : 1, 0.9f);
        List<AlignedExpert> experts = new ArrayList<>(experts());
        experts.add(AlignedExpert.align(contrarian, FEATURES, LABELS));
        GateTrainer.TrainedMixture constant = new GateTrainer().train(train.rows, train.labels, LABELS, experts,
                new ConstantRouting(), linear(300, 0, 14), GateTrainer.EpochListener.NONE);
        FloatMatrix w = constant.model().weights(new Problem(5, 15).rows);
        for (int r = 1; r < 5; r++) {
            assertArrayEquals(w.row(0), w.row(r), "row " + r);
        }
        // With a share q of negative rows, the likelihood q log(0.9a + 0.1b) + (1 - q) log(0.1a + 0.9b) peaks at
        // a = (q - 0.1) / 0.8 for "left", the rest for "right", and nothing for the expert that is always wrong.
        double q = 0;
        for (int y : train.labels) {
            q += y == 0 ? 1.0 / train.labels.length : 0;
        }
        assertEquals((q - 0.1) / 0.8, w.get(0, 0), 0.01);
        assertEquals(1 - (q - 0.1) / 0.8, w.get(0, 1), 0.01);
        assertTrue(w.get(0, 2) < 0.01, "contrarian weight " + w.get(0, 2));
        // The gate's input weights stay 0: a saved mixture needs only the bias.
        float[] params = constant.model().gate().network().parameterValues();
        for (int i = 0; i < params.length - 3; i++) {
            assertEquals(0f, params[i]);
        }

        // Averaging learns nothing, whatever the epochs asked for (none as the gate's choice trains it, 20 when named):
        // its weights ignore the logits, so no epoch runs, nothing of ND4J starts, and the logits stay 0.
        for (int epochs : new int[] {0, 20}) {
            GateTrainer.TrainedMixture averaged = new GateTrainer().train(train.rows, train.labels, LABELS, experts,
                    new UniformRouting(), linear(epochs, 0, 14), GateTrainer.EpochListener.NONE);
            assertTrue(averaged.model().gate().isConstant(), epochs + " epochs");
            assertArrayEquals(new float[(FEATURES.size() + 1) * 3], averaged.model().gate().parameterValues());
            assertEquals(0, averaged.lossHistory().length);
            assertEquals(0, averaged.validationLossHistory().length);
            assertEquals(0, averaged.bestEpoch());
            assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, averaged.model().weights(train.rows).row(0));
        }
    }

    @Test
    void emTrainerLearnsTheGateAsWellAsGradientTraining() {
        Problem train = new Problem(400, 16);
        Problem test = new Problem(400, 17);
        GateTrainer.TrainedMixture byGradient = new GateTrainer().train(train.rows, train.labels, LABELS, expertsWithANoisyOne(),
                new SoftmaxDenseRouting(1), linear(200, 0, 18), GateTrainer.EpochListener.NONE);
        GateTrainer.TrainedMixture byEm = new GateTrainer().train(train.rows, train.labels, LABELS, expertsWithANoisyOne(),
                new SoftmaxDenseRouting(1), linear(200, 0, 18).withMethod(GateOptions.Method.EM, 10), GateTrainer.EpochListener.NONE);
        double accEm = accuracy(byEm.model().predict(test.rows).probabilities(), test.labels);
        assertTrue(accEm > 0.95, "EM accuracy " + accEm);
        double[] emLoss = byEm.lossHistory();
        double[] gradientLoss = byGradient.lossHistory();
        assertTrue(emLoss[199] < emLoss[0] * 0.6, "EM loss " + emLoss[0] + " -> " + emLoss[199]);
        assertEquals(gradientLoss[199], emLoss[199], 0.01);

        // One M-step epoch per E-step is gradient training: for a softmax gate, the M-step's gradient w - r is the
        // likelihood's own. So the loss curves agree up to rounding.
        GateTrainer.TrainedMixture emEveryEpoch = new GateTrainer().train(train.rows, train.labels, LABELS, expertsWithANoisyOne(),
                new SoftmaxDenseRouting(1), linear(200, 0, 18).withMethod(GateOptions.Method.EM, 1), GateTrainer.EpochListener.NONE);
        assertArrayEquals(gradientLoss, emEveryEpoch.lossHistory(), 1e-4);

        assertThrows(IllegalArgumentException.class, () -> new GateOptions(List.of(), List.of(), 0, 10, 0.01, 0, 1, true, 0.001, 0)
                .withMethod(GateOptions.Method.EM, 10));
    }

    @Test
    void earlyStoppingKeepsTheBestEpochAndStopsAfterThePatience() {
        Problem train = new Problem(300, 19);
        // A deep gate on few rows with a large step: the validation loss turns up and training stops.
        GateOptions options = new GateOptions(List.of(32), List.of(Activation.RELU), 0, 400, 0.05, 0, 20, false, 0.001, 0)
                .withEarlyStopping(new GateOptions.EarlyStopping(0.25, 15));
        GateTrainer.TrainedMixture trained = new GateTrainer().train(train.rows, train.labels, LABELS, expertsWithANoisyOne(),
                new SoftmaxDenseRouting(1), options, GateTrainer.EpochListener.NONE);
        double[] validation = trained.validationLossHistory();
        int best = 0;
        for (int i = 1; i < validation.length; i++) {
            best = validation[i] < validation[best] ? i : best;
        }
        assertEquals(best + 1, trained.bestEpoch());
        assertTrue(validation.length < 400, "ran all " + validation.length + " epochs");
        assertEquals(trained.bestEpoch() + 15, validation.length);
        assertEquals(validation.length, trained.lossHistory().length);
    }

    @Test
    void sameSeedGivesIdenticalNumbersWithNoiseBatchesAuxiliaryLossesAndEarlyStopping() {
        Problem train = new Problem(300, 21);
        GateOptions options = new GateOptions(List.of(8), List.of(Activation.RELU), 0.1, 30, 0.01, 64, 22, false, 0.001, 5)
                .withAuxiliaryLosses(new GateOptions.AuxiliaryLosses(0.01, 0.1, 0.1, 0.001))
                .withEarlyStopping(new GateOptions.EarlyStopping(0.2, 10));
        GateTrainer.TrainedMixture a = new GateTrainer().train(train.rows, train.labels, LABELS, expertsWithANoisyOne(),
                new NoisyTopKRouting(2), options, GateTrainer.EpochListener.NONE);
        GateTrainer.TrainedMixture b = new GateTrainer().train(train.rows, train.labels, LABELS, expertsWithANoisyOne(),
                new NoisyTopKRouting(2), options, GateTrainer.EpochListener.NONE);
        assertArrayEquals(a.lossHistory(), b.lossHistory());
        assertArrayEquals(a.validationLossHistory(), b.validationLossHistory());
        assertArrayEquals(a.model().gate().network().parameterValues(), b.model().gate().network().parameterValues());
    }

    @Test
    void theLoadLossNeedsNoisyTopK() {
        Problem train = new Problem(50, 23);
        GateOptions options = linear(5, 0, 24).withAuxiliaryLosses(new GateOptions.AuxiliaryLosses(0, 0, 0.1, 0));
        ParameterException e = assertThrows(ParameterException.class, () -> new GateTrainer().train(train.rows, train.labels,
                LABELS, experts(), new TopKRouting(1, 1), options, GateTrainer.EpochListener.NONE));
        assertEquals("gate.load-coefficient: Shazeer's load loss needs noisy-top-k routing (its smooth load estimate comes"
                + " from the noise), not top-k", e.getMessage());
    }

    /**
     * Four experts that are all right on every row, expert 0 a little surer (0.8 against 0.7): the likelihood alone
     * sends every row to expert 0 under switch routing (the gate collapses, three experts dead), and keeps expert 0
     * in every row's top 2 under noisy top-2. The Switch load-balancing loss, and Shazeer's importance and load
     * losses, spread the rows over the four experts: the load's coefficient of variation falls.
     */
    @Test
    void loadBalancingLossesSpreadAGateThatCollapsesWithoutThem() {
        Problem train = new Problem(400, 25);
        Problem test = new Problem(400, 26);
        List<AlignedExpert> experts = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            FakeExperts.RuleExpert expert = new FakeExperts.RuleExpert("e" + k, FEATURES, LABELS, row -> row[0] >= 0 ? 1 : 0,
                    k == 0 ? 0.8f : 0.7f);
            experts.add(AlignedExpert.align(expert, FEATURES, LABELS));
        }
        GateOptions options = new GateOptions(List.of(), List.of(), 0, 300, 0.01, 0, 27, false, 0.001, 0);

        RoutingDiagnostics collapsed = diagnostics(train, test, experts, new SwitchRouting(), options);
        RoutingDiagnostics balanced = diagnostics(train, test, experts, new SwitchRouting(),
                options.withAuxiliaryLosses(new GateOptions.AuxiliaryLosses(1.0, 0, 0, 0)));
        assertEquals(Math.sqrt(3), collapsed.loadCv(), 1e-9, "every row on expert 0");
        assertEquals(3, collapsed.deadExperts());
        assertTrue(balanced.loadCv() < 0.2, "switch with the load-balancing loss: load CV " + balanced.loadCv());
        assertEquals(0, balanced.deadExperts());

        RoutingDiagnostics topTwo = diagnostics(train, test, experts, new NoisyTopKRouting(2), options);
        RoutingDiagnostics shazeer = diagnostics(train, test, experts, new NoisyTopKRouting(2),
                options.withAuxiliaryLosses(new GateOptions.AuxiliaryLosses(0, 0.1, 0.1, 0)));
        assertEquals(1.0, topTwo.loadCv(), 1e-9, "expert 0 and one other on every row");
        assertTrue(shazeer.loadCv() < 0.2, "noisy top-2 with importance and load losses: load CV " + shazeer.loadCv());
    }

    private static RoutingDiagnostics diagnostics(Problem train, Problem test, List<AlignedExpert> experts, RoutingStrategy strategy,
                                                  GateOptions options) {
        MixtureModel model = new GateTrainer().train(train.rows, train.labels, LABELS, experts, strategy, options,
                GateTrainer.EpochListener.NONE).model();
        MixtureModel.Prediction prediction = model.predict(test.rows);
        assertTrue(accuracy(prediction.probabilities(), test.labels) > 0.99);
        return RoutingDiagnostics.compute(prediction.weights(), experts.stream().map(x -> x.predict(test.rows)).toList(), test.labels);
    }

    @Test
    void aUniformStartAveragesTheExpertsBeforeTraining() {
        Problem train = new Problem(200, 30);
        GateOptions.Builder untrained = GateOptions.builder().hidden(List.of(8), List.of(Activation.RELU)).epochs(0).seed(31);
        MixtureModel uniform = new GateTrainer().train(train.rows, train.labels, LABELS, experts(), new SoftmaxDenseRouting(1),
                untrained.uniformStart(true).build(), GateTrainer.EpochListener.NONE).model();
        MixtureModel random = new GateTrainer().train(train.rows, train.labels, LABELS, experts(), new SoftmaxDenseRouting(1),
                untrained.uniformStart(false).build(), GateTrainer.EpochListener.NONE).model();
        float[] w = uniform.weights(train.rows).values();
        for (float v : w) {
            assertEquals(0.5f, v, 1e-6f);
        }
        float[] r = random.weights(train.rows).values();
        double offUniform = 0;
        for (float v : r) {
            offUniform = Math.max(offUniform, Math.abs(v - 0.5));
        }
        assertTrue(offUniform > 0.01, "a random start is not uniform: " + offUniform);
    }

    @Test
    void weightDecayShrinksTheGateTowardsAveraging() {
        Problem train = new Problem(400, 32);
        GateOptions.Builder options = GateOptions.builder().epochs(300).learningRate(0.05).seed(33).uniformStart(true);
        MixtureModel free = new GateTrainer().train(train.rows, train.labels, LABELS, experts(), new SoftmaxDenseRouting(1),
                options.weightDecay(0).build(), GateTrainer.EpochListener.NONE).model();
        MixtureModel decayed = new GateTrainer().train(train.rows, train.labels, LABELS, experts(), new SoftmaxDenseRouting(1),
                options.weightDecay(1.0).build(), GateTrainer.EpochListener.NONE).model();
        MixtureModel flattened = new GateTrainer().train(train.rows, train.labels, LABELS, experts(), new SoftmaxDenseRouting(1),
                options.weightDecay(100).build(), GateTrainer.EpochListener.NONE).model();
        double freeNorm = weightNorm(free);
        double decayedNorm = weightNorm(decayed);
        assertTrue(decayedNorm < freeNorm / 2, "with decay " + decayedNorm + ", without " + freeNorm);
        for (float v : flattened.weights(train.rows).values()) {
            assertEquals(0.5, v, 0.05);
        }
    }

    /** The L2 norm of a linear gate's input weights (its biases left out). */
    private static double weightNorm(MixtureModel model) {
        float[] p = model.gate().network().parameterValues();
        int weights = model.gate().network().inputSize() * model.gate().network().outputSize();
        double sum = 0;
        for (int i = 0; i < weights; i++) {
            sum += p[i] * p[i];
        }
        return Math.sqrt(sum);
    }

    @Test
    void calibrationIsFittedPerExpertOnTheGateRowsAndKeptInTheModel() {
        GateData data = GateSelectionTest.confidenceDecides(800, 2, 34);
        MixtureModel model = new GateTrainer().train(data, GateSelectionTest.LABELS, GateSelectionTest.experts(2),
                new ConstantRouting(), GateOptions.builder().epochs(50).seed(35).calibrate(true).build(),
                GateTrainer.EpochListener.NONE).model();
        for (int k = 0; k < 2; k++) {
            assertTrue(!model.calibrations().get(k).isIdentity(), model.calibrations().toString());
        }
        MixtureModel raw = new GateTrainer().train(data, GateSelectionTest.LABELS, GateSelectionTest.experts(2),
                new ConstantRouting(), GateOptions.builder().epochs(50).seed(35).build(), GateTrainer.EpochListener.NONE).model();
        assertTrue(raw.calibrations().stream().allMatch(dev.moe.gating.mixture.ExpertCalibration::isIdentity));
    }

    @Test
    void theProductPoolIsFittedOnTheCalibratedOutputsAndPredictsTheirWeightedProduct() {
        GateData data = GateSelectionTest.confidenceDecides(800, 2, 37);
        List<AlignedExpert> experts = GateSelectionTest.experts(2);
        GateTrainer.TrainedMixture trained = new GateTrainer().train(data, GateSelectionTest.LABELS, experts,
                new ProductRouting(), GateOptions.builder().seed(38).calibrate(true).build(), GateTrainer.EpochListener.NONE);
        MixtureModel model = trained.model();
        List<FloatMatrix> calibrated = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            assertTrue(!model.calibrations().get(k).isIdentity(), model.calibrations().toString());
            calibrated.add(model.calibrations().get(k).apply(data.expertProbabilities().get(k)));
        }
        LogLinearPool.Fit fit = LogLinearPool.fit(calibrated, data.labels());
        // Only the output bias is set (the log of each exponent): a saved mixture needs nothing else, nor ND4J.
        assertTrue(model.gate().isConstant());
        float[] params = model.gate().network().parameterValues();
        int inputs = data.features().columns();
        for (int i = 0; i < inputs * 2; i++) {
            assertEquals(0f, params[i]);
        }
        for (int k = 0; k < 2; k++) {
            assertEquals(fit.exponents()[k], Math.exp(params[inputs * 2 + k]), 1e-6 * Math.max(1, fit.exponents()[k]));
        }
        FloatMatrix logits = model.gate().logits(data.features());
        assertArrayEquals(ProductRouting.pool(logits, calibrated, 2).values(),
                model.predict(data.features(), data.expertProbabilities()).probabilities().values(), 1e-6f);
        assertEquals(fit.loss(), trained.lossHistory()[trained.lossHistory().length - 1], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new GateTrainer().train(data.features(), data.labels(),
                GateSelectionTest.LABELS, experts, new ProductRouting(), GateOptions.builder().fineTuneExperts(true, 0.001).build(),
                GateTrainer.EpochListener.NONE));
    }

    @Test
    void anExpertWhoseExponentIsZeroNeverRunsInTheProduct() {
        Problem train = new Problem(400, 41);
        FakeExperts.RuleExpert contrarian = new FakeExperts.RuleExpert("contrarian", FEATURES, LABELS, row -> row[0] >= 0 ? 0 : 1, 0.9f);
        List<AlignedExpert> experts = new ArrayList<>(experts());
        experts.add(AlignedExpert.align(contrarian, FEATURES, LABELS));
        MixtureModel model = new GateTrainer().train(train.rows, train.labels, LABELS, experts, new ProductRouting(),
                GateOptions.builder().seed(42).build(), GateTrainer.EpochListener.NONE).model();
        // Always wrong: a negative exponent would help, but exponents stop at 0, and 0 is what the model reports
        // (the gate stores it as 1e-30, which moe inspect and the reports showed as 1.00e-30).
        assertEquals(0.0, model.productExponents().get(2), model.productExponents().toString());
        Problem test = new Problem(50, 43);
        List<FloatMatrix> outputs = experts.stream().map(e -> e.predict(test.rows)).toList();
        int seen = contrarian.rowsSeen.get();
        FloatMatrix p = model.predict(test.rows).probabilities();
        assertEquals(seen, contrarian.rowsSeen.get(), "the contrarian ran");
        assertArrayEquals(model.predict(test.rows, outputs).probabilities().values(), p.values(), 1e-6f);
    }

    @Test
    void theProductOnTheSignalsIsAGateOnThemUnderTheProductAndBeatsTheProductWhereConfidenceDecides() {
        GateData data = SignalPoolTest.sureWhenRight(800, 44);
        List<String> labels = List.of("a", "b", "c");
        List<AlignedExpert> experts = List.of(AlignedExpert.align(FakeExperts.constant("A", List.of("x0"), labels, 0), List.of("x0"), labels),
                AlignedExpert.align(FakeExperts.constant("B", List.of("x0"), labels, 1), List.of("x0"), labels));
        GateOptions signals = GateOptions.builder().seed(45).calibrate(true).inputs(GateInputs.SIGNALS).build();
        MixtureModel model = new GateTrainer().train(data, labels, experts, new ProductRouting(), signals,
                GateTrainer.EpochListener.NONE).model();
        MixtureModel product = new GateTrainer().train(data, labels, experts, new ProductRouting(),
                GateOptions.builder().seed(45).calibrate(true).build(), GateTrainer.EpochListener.NONE).model();
        assertEquals(GateInputs.SIGNALS, model.gate().inputs());
        assertTrue(!model.gate().isConstant());
        double own = logLoss(model.predict(data.features(), data.expertProbabilities()).probabilities(), data.labels());
        double pooled = logLoss(product.predict(data.features(), data.expertProbabilities()).probabilities(), data.labels());
        assertTrue(own < pooled - 0.1, own + " against the product's " + pooled);
        // Each expert's signals reach only its own exponent.
        float[] params = model.gate().parameterValues();
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(0f, params[((1 - k) * 3 + i) * 2 + k]);
            }
        }
        // The product's exponents where the signals are at their mean: the gate's bias.
        assertEquals(2, model.productExponents().size());
        // Chosen by cross-validation over averaging and the row-independent product.
        GateSelection.Result chosen = new GateSelection(new GateTrainer(), 2).select(data, labels, experts,
                List.of(new GateSelection.Candidate("uniform", new UniformRouting(), GateOptions.builder().epochs(0).build()),
                        new GateSelection.Candidate("product", new ProductRouting(), GateOptions.builder().calibrate(true).build()),
                        new GateSelection.Candidate("product-signals", new ProductRouting(), signals)),
                5, 46, GateTrainer.EpochListener.NONE);
        assertEquals("product-signals", chosen.name());
    }

    @Test
    void theProductOnTheSignalsRunsEveryExpertAndPredictsAsFromTheirOutputs() {
        Problem train = new Problem(400, 47);
        List<AlignedExpert> experts = experts();
        MixtureModel model = new GateTrainer().train(train.rows, train.labels, LABELS, experts, new ProductRouting(),
                GateOptions.builder().seed(48).calibrate(true).inputs(GateInputs.SIGNALS).build(), GateTrainer.EpochListener.NONE).model();
        Problem test = new Problem(60, 49);
        List<FloatMatrix> outputs = experts.stream().map(e -> e.predict(test.rows)).toList();
        assertArrayEquals(model.predict(test.rows, outputs).probabilities().values(), model.predict(test.rows).probabilities().values(),
                1e-6f);
    }

    private static double logLoss(FloatMatrix p, int[] labels) {
        double sum = 0;
        for (int r = 0; r < labels.length; r++) {
            sum -= Math.log(Math.max(p.get(r, labels[r]), 1e-7));
        }
        return sum / labels.length;
    }

    @Test
    void fineTuningRefusesGatesOnTheExpertsAndCalibration() {
        assertThrows(IllegalArgumentException.class, () -> GateOptions.builder().fineTuneExperts(true, 0.001)
                .inputs(dev.moe.gating.mixture.GateInputs.SIGNALS).build());
        assertThrows(IllegalArgumentException.class, () -> GateOptions.builder().fineTuneExperts(true, 0.001).calibrate(true).build());
    }

    @Test
    void aSpecialistIsCalibratedOnTheLabelsItAnswersNotOnTheOnesItNeverLearned() {
        // Labels 0..2; the specialist knows 0 and 1 (right on 90% of their rows, probability 0.9) and gives label 2
        // almost nothing. Fitted on every row, its calibration would need a large floor for the label-2 rows.
        SplittableRandom random = new SplittableRandom(36);
        int n = 900;
        int[] labels = new int[n];
        FloatMatrix p = specialistOfLabels0And1(labels, random);
        dev.moe.gating.mixture.ExpertCalibration own = GateTrainer.calibration(p, labels);
        dev.moe.gating.mixture.ExpertCalibration everyRow = dev.moe.gating.mixture.ExpertCalibration.fit(p, labels);
        assertTrue(own.floor() < 0.01, own.toString());
        assertTrue(everyRow.floor() > 0.1, everyRow.toString());
        // On the rows it knows it stays as it is: probability about 0.9 for its answer, right 90% of the time.
        assertEquals(0.9, own.apply(p).get(0, p.argMaxOfRow(0)), 0.04);
    }

    @Test
    void inAProductASpecialistIsCalibratedOnEveryRowSoItsZeroDoesNotVetoWhatItNeverLearned() {
        // The specialist above (labels 0 and 1 only, almost nothing for 2) beside a generalist that is right on 80%
        // of all rows. Calibrated on the rows it answers, the specialist's 0.0001 for label 2 would veto label 2.
        SplittableRandom random = new SplittableRandom(39);
        int n = 900;
        int[] labels = new int[n];
        FloatMatrix specialist = specialistOfLabels0And1(labels, random);
        FloatMatrix generalist = FloatMatrix.zeros(n, 3);
        for (int r = 0; r < n; r++) {
            int guess = random.nextDouble() < 0.8 ? labels[r] : (labels[r] + 1 + random.nextInt(2)) % 3;
            for (int j = 0; j < 3; j++) {
                generalist.set(r, j, j == guess ? 0.7f : 0.15f);
            }
        }
        GateData data = new GateData(FloatMatrix.zeros(n, 1), labels, List.of(specialist, generalist));
        List<String> names = List.of("x0");
        List<String> three = List.of("a", "b", "c");
        List<AlignedExpert> experts = List.of(AlignedExpert.align(FakeExperts.constant("S", names, three, 0), names, three),
                AlignedExpert.align(FakeExperts.constant("G", names, three, 1), names, three));
        MixtureModel model = new GateTrainer().train(data, three, experts, new ProductRouting(),
                GateOptions.builder().seed(40).calibrate(true).build(), GateTrainer.EpochListener.NONE).model();
        assertTrue(model.calibrations().get(0).floor() > 0.1, model.calibrations().toString());
        FloatMatrix p = model.predict(data.features(), data.expertProbabilities()).probabilities();
        int right = 0;
        int generalistRight = 0;
        for (int r = 2; r < n; r += 3) {
            right += p.argMaxOfRow(r) == 2 ? 1 : 0;
            generalistRight += generalist.argMaxOfRow(r) == 2 ? 1 : 0;
        }
        assertTrue(right >= generalistRight - 5, "label 2: product right on " + right + ", generalist on " + generalistRight);
    }

    /**
     * Labels 0, 1, 2 in turn (written into {@code labels}) and a specialist's outputs on them: it knows 0 and 1 (right
     * on 90% of their rows, probability 0.9), answers 0 or 1 at random on label 2's rows, and gives label 2 0.0001.
     */
    private static FloatMatrix specialistOfLabels0And1(int[] labels, SplittableRandom random) {
        FloatMatrix p = FloatMatrix.zeros(labels.length, 3);
        for (int r = 0; r < labels.length; r++) {
            labels[r] = r % 3;
            int answer = labels[r] == 2 ? random.nextInt(2) : (random.nextDouble() < 0.9 ? labels[r] : 1 - labels[r]);
            p.set(r, answer, 0.9f);
            p.set(r, 1 - answer, 0.0999f);
            p.set(r, 2, 0.0001f);
        }
        return p;
    }
}
