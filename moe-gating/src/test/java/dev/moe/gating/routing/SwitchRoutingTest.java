package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchRoutingTest {

    @Test
    void eachRowGoesToItsLargestLogitWithWeightOne() {
        FloatMatrix z = new FloatMatrix(3, 3, new float[] {0, 2, 1, 5, -1, 5, -3, -2, -2.5f});
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 1, 0}, new SwitchRouting().route(z, false).weights().values());
        RoutingTestSupport.assertRowsAreDistributions(new SwitchRouting().route(RoutingTestSupport.gaussian(40, 4, 1), true).weights());
    }

    @Test
    void backwardIsStraightThroughTheRoutersSoftmax() {
        // The forward step is piecewise constant: its finite differences are 0 wherever the choice is stable.
        FloatMatrix z = RoutingTestSupport.gaussian(6, 4, 2);
        FloatMatrix probe = RoutingTestSupport.gaussian(6, 4, 3);
        float[] before = new SwitchRouting().route(z, true).weights().values();
        z.values()[0] += 1e-3f;
        assertArrayEquals(before, new SwitchRouting().route(z, true).weights().values());
        z.values()[0] -= 1e-3f;
        // Backward is that of softmax(z), itself checked against finite differences.
        RoutingStrategy softmax = new SoftmaxDenseRouting(1);
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(softmax, z);
        assertArrayEquals(softmax.route(z, true).backward(probe).values(),
                new SwitchRouting().route(z, true).backward(probe).values(), 1e-7f);
    }

    @Test
    void providerTakesNoParameters() {
        SwitchRoutingProvider p = new SwitchRoutingProvider();
        assertEquals("switch", p.create(Parameters.empty("routing.params"), 3).name());
        assertEquals("routing.params: unknown key 'k'; switch takes no parameters",
                assertThrows(ParameterException.class, () -> p.create(new Parameters("routing.params", Map.of("k", 1)), 3)).getMessage());
    }
}
