package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.gating.nn.Softmax;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpertChoiceRoutingTest {

    @Test
    void eachExpertTakesItsTopCapacityRowsByRouterProbability() {
        // softmax rows: row 0 prefers e0 strongly, row 1 e1, row 2 is split, row 3 prefers e0 weakly.
        FloatMatrix z = new FloatMatrix(4, 2, new float[] {3, 0, 0, 3, 0, 0, 1, 0});
        ExpertChoiceRouting routing = new ExpertChoiceRouting(1.0);
        assertEquals(2, routing.capacity(4, 2));
        float[] w = routing.route(z, false).weights().values();
        // e0 takes rows 0 and 3 (s = 0.95, 0.73); e1 takes rows 1 and 2 (0.95, 0.5): one expert per row here.
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 1, 1, 0}, w);
    }

    @Test
    void aRowNoExpertTakesFallsBackToItsBestExpertAndSharedRowsAreRenormalised() {
        // Both experts like rows 0 and 1 best (capacity 1 each): row 2 would get nobody.
        FloatMatrix z = new FloatMatrix(3, 2, new float[] {4, 0, 0, 4, 1, 0.5f});
        float[] w = new ExpertChoiceRouting(2.0 / 3).route(z, false).weights().values();
        assertArrayEquals(new float[] {1, 0, 0, 1, 1, 0}, w);
        // Capacity 3 of 3 rows: every expert takes every row, which is dense softmax.
        FloatMatrix dense = new ExpertChoiceRouting(2.0).route(z, false).weights();
        assertArrayEquals(Softmax.rows(z).values(), dense.values(), 1e-6f);
    }

    @Test
    void everyExpertDoesTheSameWorkAndRowsSumToOne() {
        FloatMatrix z = RoutingTestSupport.gaussian(60, 4, 5);
        ExpertChoiceRouting routing = new ExpertChoiceRouting(1.5);
        FloatMatrix w = routing.route(z, true).weights();
        RoutingTestSupport.assertRowsAreDistributions(w);
        int capacity = routing.capacity(60, 4);
        assertEquals(23, capacity);
        for (int j = 0; j < 4; j++) {
            int taken = 0;
            for (int r = 0; r < 60; r++) {
                taken += w.get(r, j) > 0 ? 1 : 0;
            }
            // Fallback rows can add to an expert's rows, never take away.
            assertTrue(taken >= capacity && taken <= capacity + 10, "expert " + j + " took " + taken);
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new ExpertChoiceRouting(2.0), RoutingTestSupport.gaussian(8, 4, 6));
        RoutingTestSupport.assertBackwardMatchesFiniteDifferences(new ExpertChoiceRouting(1.0), RoutingTestSupport.gaussian(9, 3, 7));
    }

    @Test
    void providerChecksTheCapacityFactor() {
        ExpertChoiceRoutingProvider p = new ExpertChoiceRoutingProvider();
        assertEquals("capacity-factor=2.0", p.create(Parameters.empty("routing.params"), 3).describe());
        assertEquals("capacity-factor=1.0", p.create(Parameters.empty("routing.params"), 1).describe());
        assertEquals("routing.params.capacity-factor: must be above 0 and at most the number of experts (3), got 4.0",
                assertThrows(ParameterException.class,
                        () -> p.create(new Parameters("routing.params", Map.of("capacity-factor", 4)), 3)).getMessage());
        assertThrows(ParameterException.class, () -> p.create(new Parameters("routing.params", Map.of("capacity-factor", 0)), 3));
    }
}
