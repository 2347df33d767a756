package dev.moe.gating.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.LeakyReLUBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Hidden-layer activations. Each derivative is computed from the activation's output, which is all
 * the backward pass keeps (the output's sign equals the input's for these functions).
 */
public enum Activation {
    RELU("relu"),
    LEAKY_RELU("leaky-relu"),
    IDENTITY("identity");

    /** PyTorch's default negative slope, so that the article's gate behaves the same here. */
    public static final double LEAKY_SLOPE = 0.01;

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
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
        throw new IllegalArgumentException("unknown activation '" + name + "'; known: "
                + Arrays.stream(values()).map(Activation::configName).collect(Collectors.joining(", ")));
    }

    /** Applies the activation in place and returns {@code z}. */
    INDArray applyInPlace(INDArray z) {
        return switch (this) {
            case RELU -> Transforms.relu(z, false);
            case LEAKY_RELU -> Transforms.leakyRelu(z, LEAKY_SLOPE, false);
            case IDENTITY -> z;
        };
    }

    /**
     * Multiplies {@code gradient} in place by the derivative, read off the activation's {@code output}: one fused
     * native op each (a comparison, a cast and a product as separate ops cost three passes and two temporaries).
     */
    INDArray backpropInPlace(INDArray gradient, INDArray output) {
        switch (this) {
            case RELU -> Nd4j.exec(new RectifiedLinearDerivative(output, gradient, gradient));
            case LEAKY_RELU -> Nd4j.exec(new LeakyReLUBp(output, gradient, gradient, LEAKY_SLOPE));
            case IDENTITY -> { }
        }
        return gradient;
    }
}
