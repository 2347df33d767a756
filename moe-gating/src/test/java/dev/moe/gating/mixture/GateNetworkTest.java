package dev.moe.gating.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.routing.ProductRouting;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A constant gate is the one-layer network with input weights 0, computed without it. */
class GateNetworkTest {

    private static final float[] LOGITS = {0.25f, -1.5f, ProductRouting.logitOf(0), 3f};

    private static FeatureScaler scaler() {
        return new FeatureScaler(new float[] {1f, -2f, 0.5f}, new float[] {2f, 0.5f, 3f});
    }

    /** The network layout of a constant gate over 3 features: 3 x 4 weights, all 0, then the bias. */
    private static float[] parameters(float[] logits) {
        float[] values = new float[3 * logits.length + logits.length];
        System.arraycopy(logits, 0, values, 3 * logits.length, logits.length);
        return values;
    }

    @Test
    void constantLogitsAreTheZeroWeightNetworksOnEveryRow() {
        GateNetwork constant = GateNetwork.constant(scaler(), LOGITS);
        GateNetwork network = new GateNetwork(scaler(), Mlp.fromParameters(new int[] {3, 4}, List.of(), 0, parameters(LOGITS),
                DataType.FLOAT));
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[40 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 100);
        }
        FloatMatrix rows = new FloatMatrix(40, 3, values);
        assertArrayEquals(network.logits(rows).values(), constant.logits(rows).values());
        assertArrayEquals(network.logits(rows, List.of()).values(), constant.logits(rows, List.of()).values());
        assertEquals(0, constant.logits(new FloatMatrix(0, 3, new float[0])).rows());
    }

    @Test
    void aConstantGateDescribesTheSameNetwork() {
        GateNetwork constant = GateNetwork.constant(scaler(), LOGITS);
        assertTrue(constant.isConstant());
        assertArrayEquals(new int[] {3, 4}, constant.sizes());
        assertEquals(List.of(), constant.activations());
        assertEquals(0, constant.dropout());
        assertArrayEquals(parameters(LOGITS), constant.parameterValues());
        assertArrayEquals(parameters(LOGITS), constant.network().parameterValues());
        assertArrayEquals(new int[] {3, 4}, constant.network().sizes());
    }

    @Test
    void readParametersBecomeAConstantGateOnlyWhenEveryInputWeightIsZero() {
        GateNetwork read = GateNetwork.of(scaler(), new int[] {3, 4}, List.of(), 0, parameters(LOGITS), GateInputs.FEATURES);
        assertTrue(read.isConstant());
        assertArrayEquals(parameters(LOGITS), read.parameterValues(), "saved again, the same parameters");

        float[] weighted = parameters(LOGITS);
        weighted[5] = 0.1f;
        assertFalse(GateNetwork.of(scaler(), new int[] {3, 4}, List.of(), 0, weighted, GateInputs.FEATURES).isConstant());
        float[] negativeZero = parameters(LOGITS);
        negativeZero[0] = -0f;
        GateNetwork kept = GateNetwork.of(scaler(), new int[] {3, 4}, List.of(), 0, negativeZero, GateInputs.FEATURES);
        assertFalse(kept.isConstant(), "-0 is kept as it was read, so that the bytes saved again are the same");
        assertArrayEquals(negativeZero, kept.parameterValues());
        assertFalse(GateNetwork.of(scaler(), new int[] {3, 4}, List.of(), 0.1, parameters(LOGITS), GateInputs.FEATURES).isConstant());

        float[] hidden = new float[3 * 2 + 2 + 2 * 4 + 4];
        assertFalse(GateNetwork.of(scaler(), new int[] {3, 2, 4}, List.of(Activation.RELU), 0, hidden, GateInputs.FEATURES)
                .isConstant());
    }
}
