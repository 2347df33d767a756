package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.AdamOptimizer;
import dev.moe.gating.nn.Mlp;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training-only noise of noisy top-k: {@code std = softplus(x W_noise + b_noise)} from the gate's
 * (standardised) input rows, and {@code H = z + N(0,1) * std}. {@code W_noise} starts at 0, as in Shazeer et
 * al., and learns from the same loss as the gate. It is dropped after training: inference has no noise.
 */
final class NoisyGating {

    private final Mlp network;
    private final AdamOptimizer optimizer;

    NoisyGating(int inputs, int experts, double learningRate) {
        int[] sizes = {inputs, experts};
        network = Mlp.fromParameters(sizes, List.of(), 0, new float[inputs * experts + experts], DataType.FLOAT);
        optimizer = new AdamOptimizer(network.parameters(), learningRate);
    }

    /** One batch's noise: its draws, its scales and the noisy logits. */
    record Sample(Mlp.Pass pass, float[] preActivation, float[] noise, float[] std, FloatMatrix noisyLogits) { }

    Sample sample(INDArray input, FloatMatrix clean, SplittableRandom random) {
        Mlp.Pass pass = network.forward(input, false, random);
        float[] a = pass.logitValues().values();
        float[] noise = new float[a.length];
        float[] std = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            noise[i] = (float) random.nextGaussian();
            std[i] = (float) softplus(a[i]);
        }
        float[] h = RouterLosses.noisyLogits(clean.values(), noise, std);
        return new Sample(pass, a, noise, std, new FloatMatrix(clean.rows(), clean.columns(), h));
    }

    /**
     * One Adam step on the noise weights.
     *
     * @param noisyLogitGradient dL/dH from the routing's backward step
     * @param stdGradient        dL/dstd from other terms (the load loss), added to {@code dL/dH * noise}
     */
    void step(Sample sample, FloatMatrix noisyLogitGradient, float[] stdGradient) {
        optimizer.step(parameterGradient(sample, noisyLogitGradient, stdGradient));
    }

    /** dL/d(noise weights), 1 x parameters, from the same inputs as {@link #step}. */
    INDArray parameterGradient(Sample sample, FloatMatrix noisyLogitGradient, float[] stdGradient) {
        float[] dh = noisyLogitGradient.values();
        float[] da = new float[dh.length];
        for (int i = 0; i < da.length; i++) {
            double dStd = dh[i] * sample.noise()[i] + stdGradient[i];
            da[i] = (float) (dStd * sigmoid(sample.preActivation()[i]));
        }
        FloatMatrix gradient = new FloatMatrix(noisyLogitGradient.rows(), noisyLogitGradient.columns(), da);
        return network.backward(sample.pass(), gradient).parameters();
    }

    /** The noise weights, live: for tests. */
    Mlp network() {
        return network;
    }

    static double softplus(double a) {
        return a > 20 ? a : Math.log1p(Math.exp(a));
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }
}
