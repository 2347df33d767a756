package dev.moe.gating.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateInputsTest {

    private static final FloatMatrix FEATURES = new FloatMatrix(1, 2, new float[] {5f, -1f});
    /** Two experts over two labels: a sure one and an undecided one. */
    private static final List<FloatMatrix> EXPERTS = List.of(
            new FloatMatrix(1, 2, new float[] {1f, 0f}),
            new FloatMatrix(1, 2, new float[] {0.5f, 0.5f}));

    @Test
    void signalsAreTopProbabilityEntropyShareAndAgreementWithTheMean() {
        FloatMatrix x = GateInputs.SIGNALS.build(FEATURES, EXPERTS);
        // mean of the experts: (0.75, 0.25); agreement = p . mean.
        assertArrayEquals(new float[] {1f, 0f, 0.75f, 0.5f, 1f, 0.5f}, x.values(), 1e-6f);
    }

    @Test
    void eachInputChoiceLaysOutItsColumns() {
        assertSame(FEATURES, GateInputs.FEATURES.build(FEATURES, List.of()));
        assertArrayEquals(new float[] {1f, 0f, 1f, 0f, 0.75f, 0.5f, 0.5f, 0.5f, 1f, 0.5f},
                GateInputs.EXPERTS.build(FEATURES, EXPERTS).values(), 1e-6f);
        assertArrayEquals(new float[] {5f, -1f, 1f, 0f, 1f, 0f, 0.75f, 0.5f, 0.5f, 0.5f, 1f, 0.5f},
                GateInputs.BOTH.build(FEATURES, EXPERTS).values(), 1e-6f);
        assertEquals(2 + 2 * 2 + 2 * 3, GateInputs.BOTH.width(2, 2, 2));
        assertEquals(6, GateInputs.SIGNALS.width(2, 2, 2));
        assertFalse(GateInputs.FEATURES.needsExperts());
        assertTrue(GateInputs.SIGNALS.needsExperts());
    }

    @Test
    void configNamesRoundTripAndUnknownOnesAreNamed() {
        for (GateInputs inputs : GateInputs.values()) {
            assertEquals(inputs, GateInputs.fromConfigName(inputs.configName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GateInputs.fromConfigName("logits"));
        assertEquals("unknown gate inputs 'logits'; known: features, signals, experts, both", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GateInputs.EXPERTS.build(FEATURES, List.of()));
    }
}
