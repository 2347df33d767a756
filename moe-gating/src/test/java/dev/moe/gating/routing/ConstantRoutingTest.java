package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstantRoutingTest {

    @Test
    void weightsAreTheSoftmaxOfTheLogitsTheTrainerKeepsEqualAcrossRows() {
        float l2 = (float) Math.log(2);
        FloatMatrix z = new FloatMatrix(2, 3, new float[] {0, l2, 2 * l2, 0, l2, 2 * l2});
        assertArrayEquals(new float[] {1 / 7f, 2 / 7f, 4 / 7f, 1 / 7f, 2 / 7f, 4 / 7f},
                new ConstantRouting().route(z, false).weights().values(), 1e-6f);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new ConstantRouting(), RoutingTestSupport.gaussian(5, 3, 1));
    }

    @Test
    void providerTakesNoParameters() {
        assertEquals("routing.params: unknown key 'temperature'; constant takes no parameters",
                assertThrows(ParameterException.class, () -> new ConstantRoutingProvider()
                        .create(new Parameters("routing.params", Map.of("temperature", 2)), 3)).getMessage());
    }
}
