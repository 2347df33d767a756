package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoisyTopKRoutingTest {

    @Test
    void routeAddsNoNoiseItselfSoInferenceIsPlainTopK() {
        FloatMatrix z = RoutingTestSupport.gaussian(30, 5, 1);
        float[] expected = new TopKRouting(2, 1).route(z, false).weights().values();
        assertArrayEquals(expected, new NoisyTopKRouting(2).route(z, false).weights().values());
        // The noise comes from the gate trainer's noise network: route() on its own is the same in training.
        assertArrayEquals(expected, new NoisyTopKRouting(2).route(z, true).weights().values());
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new NoisyTopKRouting(2), RoutingTestSupport.gaussian(8, 4, 2));
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new NoisyTopKRouting(3), RoutingTestSupport.gaussian(8, 5, 3));
    }

    @Test
    void providerChecksKAndKeys() {
        NoisyTopKRoutingProvider p = new NoisyTopKRoutingProvider();
        assertEquals(2, ((NoisyTopKRouting) p.create(Parameters.empty("routing.params"), 4)).k());
        assertEquals("routing.params.k: must be between 1 and the number of experts (3), got 5",
                assertThrows(ParameterException.class, () -> p.create(new Parameters("routing.params", Map.of("k", 5)), 3)).getMessage());
        assertEquals("routing.params: unknown key 'temperature'; known keys: k",
                assertThrows(ParameterException.class,
                        () -> p.create(new Parameters("routing.params", Map.of("temperature", 1.0)), 3)).getMessage());
    }
}
