package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.nn.Softmax;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopKRoutingTest {

    @Test
    void keepsTheKLargestLogitsAndRenormalises() {
        FloatMatrix z = new FloatMatrix(1, 4, new float[] {3, (float) (3 + Math.log(3)), -1, 0});
        float[] w = new TopKRouting(2, 1).route(z, false).weights().values();
        assertArrayEquals(new float[] {0.25f, 0.75f, 0, 0}, w, 1e-6f);
    }

    @Test
    void exactlyKNonZerosPerRow() {
        for (int k = 1; k <= 5; k++) {
            FloatMatrix w = new TopKRouting(k, 1).route(RoutingTestSupport.gaussian(40, 5, k), true).weights();
            RoutingTestSupport.assertRowsAreDistributions(w);
            for (int r = 0; r < w.rows(); r++) {
                int nonZero = 0;
                for (int j = 0; j < w.columns(); j++) {
                    nonZero += w.get(r, j) > 0 ? 1 : 0;
                }
                assertEquals(k, nonZero, "k=" + k + " row " + r);
            }
        }
    }

    @Test
    void weightsAreExpsOverTheSumOfTheChosenBitForBit() {
        // 600 rows x 5 experts: more values than one round of Softmax.expInPlace; a temperature that is not 1.
        FloatMatrix z = RoutingTestSupport.gaussian(600, 5, 11);
        double temperature = 0.7;
        float[] w = new TopKRouting(2, temperature).route(z, false).weights().values();
        float inverseTemperature = (float) (1 / temperature);
        for (int r = 0; r < z.rows(); r++) {
            // The chosen experts are those with a weight: exp is never 0 (its argument is clamped at -87).
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < 5; j++) {
                if (w[r * 5 + j] != 0) {
                    max = Math.max(max, z.get(r, j) * inverseTemperature);
                }
            }
            double sum = 0;
            float[] e = new float[5];
            for (int j = 0; j < 5; j++) {
                if (w[r * 5 + j] != 0) {
                    e[j] = Softmax.exp(z.get(r, j) * inverseTemperature - max);
                    sum += e[j];
                }
            }
            for (int j = 0; j < 5; j++) {
                assertEquals(e[j] * (float) (1 / sum), w[r * 5 + j], 0f, "row " + r + ", expert " + j);
            }
        }
    }

    @Test
    void tiesGoToTheFirstExpert() {
        float[] w = new TopKRouting(1, 1).route(new FloatMatrix(1, 3, new float[] {1, 1, 1}), false).weights().values();
        assertArrayEquals(new float[] {1, 0, 0}, w);
    }

    @Test
    void kEqualToExpertsIsDenseSoftmax() {
        FloatMatrix z = RoutingTestSupport.gaussian(10, 3, 9);
        assertArrayEquals(new SoftmaxDenseRouting(1).route(z, false).weights().values(),
                new TopKRouting(3, 1).route(z, false).weights().values(), 1e-7f);
    }

    @Test
    void backwardMatchesFiniteDifferencesAndIsZeroForUnchosenExperts() {
        FloatMatrix z = RoutingTestSupport.gaussian(8, 5, 4);
        RoutingStrategy s = new TopKRouting(2, 1);
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(s, z);
        RoutingStrategy.Routing routing = s.route(z, true);
        FloatMatrix g = routing.backward(RoutingTestSupport.gaussian(8, 5, 5));
        for (int i = 0; i < g.values().length; i++) {
            if (routing.weights().values()[i] == 0) {
                assertEquals(0f, g.values()[i], 0f);
            }
        }
    }

    @Test
    void providerDefaultsToTwoAndChecksKAgainstExperts() {
        TopKRoutingProvider p = new TopKRoutingProvider();
        assertEquals(2, ((TopKRouting) p.create(Parameters.empty("routing.params"), 3)).k());
        ParameterException tooMany = assertThrows(ParameterException.class,
                () -> p.create(new Parameters("routing.params", Map.of("k", 4)), 3));
        assertEquals("routing.params.k: must be between 1 and the number of experts (3), got 4", tooMany.getMessage());
        assertThrows(ParameterException.class, () -> p.create(new Parameters("routing.params", Map.of("k", -1)), 3));
        assertThrows(ParameterException.class, () -> p.create(new Parameters("routing.params", Map.of("k", 0)), 3));
        // Both ends of the range are allowed: one expert a row, or every expert.
        assertEquals(1, ((TopKRouting) p.create(new Parameters("routing.params", Map.of("k", 1)), 3)).k());
        assertEquals(3, ((TopKRouting) p.create(new Parameters("routing.params", Map.of("k", 3)), 3)).k());
        assertEquals("routing.params.temperature: must be positive, got 0.0", assertThrows(ParameterException.class,
                () -> p.create(new Parameters("routing.params", Map.of("temperature", 0)), 3)).getMessage());
        ParameterException wrongType = assertThrows(ParameterException.class,
                () -> p.create(new Parameters("routing.params", Map.of("k", "two")), 3));
        assertEquals("routing.params.k: expected an integer, got 'two'", wrongType.getMessage());
    }
}
