package dev.moe.gating.nn;

import dev.moe.api.NearestName;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Hidden-layer activations. Each derivative is computed from the activation's output, which is all
 * the backward pass keeps (the output's sign equals the input's for these functions).
 *
 * <p>Two implementations of each: Java loops over an array's memory (the CPU kernels) and ND4J's ops (any backend).
 */
public enum Activation {
    RELU("relu", 0f),
    LEAKY_RELU("leaky-relu", (float) Activation.LEAKY_SLOPE),
    IDENTITY("identity", 1f);


    /** PyTorch's default negative slope, so that the article's gate behaves the same here. */
    public static final double LEAKY_SLOPE = 0.01;

    private final String configName;
    /** The derivative where the input is not positive (1 where it is). */
    private final float negativeSlope;

    Activation(String configName, float negativeSlope) {
        this.configName = configName;
        this.negativeSlope = negativeSlope;
    }

    public String configName() {
        return configName;
    }

    public static Activation fromConfigName(String name) {
        for (Activation a : values()) {
            if (a.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        List<String> known = Arrays.stream(values()).map(Activation::configName).toList();
        throw new IllegalArgumentException("unknown activation '" + name + "'" + NearestName.didYouMean(name, known) + "; known: "
                + String.join(", ", known));
    }

    /** Applies the activation in place to the first {@code n} values (a heap chunk: the JIT vectorises this loop). */
    void apply(float[] z, int n) {
        if (this == RELU) {
            for (int i = 0; i < n; i++) {
                z[i] = Math.max(z[i], 0f);
            }
        } else if (this == LEAKY_RELU) {
            for (int i = 0; i < n; i++) {
                z[i] = Math.max(z[i], 0f) + negativeSlope * Math.min(z[i], 0f);
            }
        }
    }

    /**
     * Multiplies {@code gradient} in place by the derivative, read off the activation's {@code output}. Branch-free,
     * so that it vectorises: {@code min(max(out * MAX_VALUE, 0), 1)} is 1 for every output above 3e-39 and 0 for
     * every output at or below 0 (a conditional per value cost 15x here).
     */
    void backprop(float[] gradient, float[] output, int n) {
        if (this == IDENTITY) {
            return;
        }
        for (int i = 0; i < n; i++) {
            float positive = Math.min(Math.max(output[i] * Float.MAX_VALUE, 0f), 1f);
            gradient[i] *= positive + negativeSlope * (1f - positive);
        }
    }

    /**
     * {@link #apply} then a multiplication by {@code factors} (a dropout mask), in one loop: the same values, one pass
     * over the chunk fewer.
     */
    void apply(float[] z, float[] factors, int n) {
        if (this == RELU) {
            for (int i = 0; i < n; i++) {
                z[i] = Math.max(z[i], 0f) * factors[i];
            }
        } else if (this == LEAKY_RELU) {
            for (int i = 0; i < n; i++) {
                z[i] = (Math.max(z[i], 0f) + negativeSlope * Math.min(z[i], 0f)) * factors[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                z[i] *= factors[i];
            }
        }
    }

    /** {@link #backprop(float[], float[], int)} then a multiplication by {@code factors} (a dropout mask), in one loop. */
    void backprop(float[] gradient, float[] output, float[] factors, int n) {
        if (this == IDENTITY) {
            for (int i = 0; i < n; i++) {
                gradient[i] *= factors[i];
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float positive = Math.min(Math.max(output[i] * Float.MAX_VALUE, 0f), 1f);
            gradient[i] = gradient[i] * (positive + negativeSlope * (1f - positive)) * factors[i];
        }
    }

    /** {@link #apply} through ND4J's ops: returns {@code z}, changed in place. */
    INDArray applyNd4j(INDArray z) {
        return switch (this) {
            case RELU -> Transforms.relu(z, false);
            case LEAKY_RELU -> Transforms.leakyRelu(z, LEAKY_SLOPE, false);
            case IDENTITY -> z;
        };
    }

    /** {@link #backprop} through ND4J's ops, one fused native op each. */
    void backpropNd4j(INDArray gradient, INDArray output) {
        switch (this) {
            case RELU -> Nd4j.exec(new RectifiedLinearDerivative(output, gradient, gradient));
            case LEAKY_RELU -> Nd4j.exec(new LeakyReLUBp(output, gradient, gradient, LEAKY_SLOPE));
            case IDENTITY -> { }
        }
    }
}
