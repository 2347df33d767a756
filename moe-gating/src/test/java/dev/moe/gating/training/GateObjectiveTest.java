package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.gating.routing.NoisyTopKRouting;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GateObjectiveTest {

    private static final GateOptions.AuxiliaryLosses ALL = new GateOptions.AuxiliaryLosses(0.1, 0.2, 0.3, 0.4);

    private static List<Class<?>> termClasses(GateObjective objective) {
        return objective.terms().stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void theDataTermComesFirstThenTheAuxiliaryLossesTheOptionsAskFor() {
        GateOptions options = GateOptions.builder().auxiliaryLosses(ALL).build();
        GateObjective objective = GateObjective.of(options, RoutingNeeds.of(new NoisyTopKRouting(2)), "noisy-top-k", new float[0], 3);
        assertEquals(List.of(MixtureLikelihood.class, RouterLossTerms.Importance.class, RouterLossTerms.SwitchLoadBalance.class,
                RouterLossTerms.ZLoss.class, RouterLossTerms.SmoothLoad.class), termClasses(objective));
        assertEquals(new RouterLossTerms.SmoothLoad(2, 0.3), objective.terms().get(4));

        GateOptions em = GateOptions.builder().method(GateOptions.Method.EM).auxiliaryLosses(
                new GateOptions.AuxiliaryLosses(0, 0, 0, 0.01)).build();
        assertEquals(List.of(EmResponsibilities.class, RouterLossTerms.ZLoss.class),
                termClasses(GateObjective.of(em, RoutingNeeds.of(new SoftmaxDenseRouting(1)), "softmax-dense", new float[0], 3)));
    }

    @Test
    void theLoadLossIsRefusedWithoutNoise() {
        GateOptions options = GateOptions.builder().auxiliaryLosses(ALL).build();
        assertThrows(ParameterException.class, () -> GateObjective.of(options, RoutingNeeds.of(new SoftmaxDenseRouting(1)),
                "softmax-dense", new float[0], 3));
    }

    @Test
    void theLikelihoodsGradientsOnTheWeightsAndTheProbabilitiesMatchFiniteDifferences() {
        int b = 4;
        int e = 3;
        SplittableRandom r = new SplittableRandom(3);
        float[] w = new float[b * e];
        float[] p = new float[b * e];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.1 + r.nextDouble());
            p[i] = (float) (0.05 + 0.9 * r.nextDouble());
        }
        GateBatch batch = batch(w, p, b, e);
        MixtureLikelihood likelihood = new MixtureLikelihood();
        likelihood.addGradient(batch);
        assertGradient(w, x -> likelihood.addGradient(batch(x, p, b, e)), batch.weightGradient);
        assertGradient(p, x -> likelihood.addGradient(batch(w, x, b, e)), batch.probabilityGradient);
    }

    @Test
    void emsValueIsTheLikelihoodAndItsWeightGradientTheCrossEntropyAgainstTheResponsibilities() {
        int b = 2;
        int e = 2;
        float[] w = {0.25f, 0.75f, 0.5f, 0.5f};
        float[] p = {0.8f, 0.4f, 0.1f, 0.3f};
        EmResponsibilities em = new EmResponsibilities(5, 0, p, e);
        em.startEpoch(0, () -> w);
        GateBatch batch = batch(w, p, b, e);
        double value = em.addGradient(batch);
        assertEquals(new MixtureLikelihood().addGradient(batch(w, p, b, e)), value, 1e-12);
        // r_00 = 0.25 * 0.8 / (0.25 * 0.8 + 0.75 * 0.4) = 0.4; dL/dw = -r / (w b).
        assertEquals(-0.4 / (0.25 * 2), batch.weightGradient[0], 1e-6);
        assertEquals(-0.6 / (0.75 * 2), batch.weightGradient[1], 1e-6);
        // Between E-steps the responsibilities stay: epoch 1 of 5 does not ask for the weights.
        em.startEpoch(1, () -> {
            throw new AssertionError("no E-step at epoch 1");
        });
    }

    private static GateBatch batch(float[] w, float[] p, int b, int e) {
        int[] rows = new int[b];
        for (int i = 0; i < b; i++) {
            rows[i] = i;
        }
        return new GateBatch(rows, new FloatMatrix(b, e, new float[b * e]), null, new FloatMatrix(b, e, w.clone()), p.clone());
    }

    private static void assertGradient(float[] x, ToDoubleFunction<float[]> loss, float[] analytic) {
        float eps = 1e-3f;
        for (int i = 0; i < x.length; i++) {
            float old = x[i];
            x[i] = old + eps;
            double up = loss.applyAsDouble(x);
            x[i] = old - eps;
            double down = loss.applyAsDouble(x);
            x[i] = old;
            assertEquals((up - down) / (2 * eps), analytic[i], 2e-3, "element " + i);
        }
    }
}
