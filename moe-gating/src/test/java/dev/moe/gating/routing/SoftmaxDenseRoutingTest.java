package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoftmaxDenseRoutingTest {

    @Test
    void weightsAreTheSoftmaxOfLogitsOverTemperature() {
        FloatMatrix z = new FloatMatrix(1, 3, new float[] {0, (float) Math.log(2), (float) Math.log(5)});
        assertArrayEquals(new float[] {0.125f, 0.25f, 0.625f}, new SoftmaxDenseRouting(1).route(z, false).weights().values(), 1e-6f);
        // T = 2 halves the logits: weights proportional to 1, sqrt 2, sqrt 5
        double s = 1 + Math.sqrt(2) + Math.sqrt(5);
        assertArrayEquals(new float[] {(float) (1 / s), (float) (Math.sqrt(2) / s), (float) (Math.sqrt(5) / s)},
                new SoftmaxDenseRouting(2).route(z, false).weights().values(), 1e-6f);
    }

    @Test
    void everyExpertGetsWeightAndRowsSumToOne() {
        FloatMatrix w = new SoftmaxDenseRouting(1).route(RoutingTestSupport.gaussian(50, 4, 1), false).weights();
        RoutingTestSupport.assertRowsAreDistributions(w);
        for (float v : w.values()) {
            assertEquals(true, v > 0);
        }
    }

    @Test
    void logitsFarFromZeroStillGiveADistribution() {
        // Logits of a thousand at a temperature of one half: exp() of them overflows unless the row's largest is
        // taken out first.
        FloatMatrix z = new FloatMatrix(2, 2, new float[] {1000, 1000 - (float) Math.log(3) / 2, -1000, -1000 - (float) Math.log(3) / 2});
        assertArrayEquals(new float[] {0.75f, 0.25f, 0.75f, 0.25f}, new SoftmaxDenseRouting(0.5).route(z, false).weights().values(), 1e-4f);
    }

    @Test
    void aTemperatureOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SoftmaxDenseRouting(0));
        assertThrows(IllegalArgumentException.class, () -> new TopKRouting(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ExpertChoiceRouting(0));
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new SoftmaxDenseRouting(1), RoutingTestSupport.gaussian(6, 4, 2));
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new SoftmaxDenseRouting(0.5), RoutingTestSupport.gaussian(6, 3, 3));
    }

    @Test
    void providerRejectsBadTemperatureAndUnknownKeys() {
        SoftmaxDenseRoutingProvider p = new SoftmaxDenseRoutingProvider();
        ParameterException bad = assertThrows(ParameterException.class,
                () -> p.create(new Parameters("routing.params", Map.of("temperature", 0)), 3));
        assertEquals("routing.params.temperature: must be positive, got 0.0", bad.getMessage());
        ParameterException unknown = assertThrows(ParameterException.class,
                () -> p.create(new Parameters("routing.params", Map.of("k", 2)), 3));
        assertEquals("routing.params: unknown key 'k'; known keys: temperature", unknown.getMessage());
        ParameterException typo = assertThrows(ParameterException.class,
                () -> p.create(new Parameters("routing.params", Map.of("temprature", 2)), 3));
        assertEquals("routing.params: unknown key 'temprature' (did you mean 'temperature'?); known keys: temperature",
                typo.getMessage());
    }
}
