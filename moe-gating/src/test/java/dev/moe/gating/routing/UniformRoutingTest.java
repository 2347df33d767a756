package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UniformRoutingTest {

    @Test
    void everyExpertGetsOneOverEWhateverTheLogits() {
        FloatMatrix w = new UniformRouting().route(RoutingTestSupport.gaussian(2, 4, 1), false).weights();
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, w.values());
    }

    @Test
    void backwardIsZeroAsFiniteDifferencesAre() {
        FloatMatrix z = RoutingTestSupport.gaussian(4, 3, 2);
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new UniformRouting(), z);
        assertArrayEquals(new float[12], new UniformRouting().route(z, true).backward(RoutingTestSupport.gaussian(4, 3, 3)).values());
    }

    @Test
    void providerTakesNoParameters() {
        assertEquals("uniform", new UniformRoutingProvider().create(Parameters.empty("routing.params"), 2).name());
        assertThrows(ParameterException.class,
                () -> new UniformRoutingProvider().create(new Parameters("routing.params", Map.of("k", 2)), 3));
    }
}
