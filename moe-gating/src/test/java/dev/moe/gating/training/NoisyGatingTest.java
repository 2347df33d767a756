package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Nd4jMatrices;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class NoisyGatingTest {

    private static FloatMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(rows, cols, v);
    }

    @Test
    void noiseStartsAtSoftplusOfZeroAndIsSeeded() {
        NoisyGating gating = new NoisyGating(3, 4, 0.01);
        INDArray x = Nd4jMatrices.toNd4j(gaussian(5, 3, 1), DataType.FLOAT);
        FloatMatrix z = gaussian(5, 4, 2);
        NoisyGating.Sample a = gating.sample(x, z, new SplittableRandom(7));
        NoisyGating.Sample b = gating.sample(x, z, new SplittableRandom(7));
        for (float s : a.std()) {
            assertEquals(Math.log(2), s, 1e-6);
        }
        assertArrayEquals(a.noisyLogits().values(), b.noisyLogits().values());
        for (int i = 0; i < 20; i++) {
            assertEquals(z.values()[i] + a.noise()[i] * Math.log(2), a.noisyLogits().values()[i], 1e-6);
        }
    }

    /** Loss = sum(H * probe) + sum(std * q): checks dL/d(noise weights) through softplus against finite differences. */
    @Test
    void parameterGradientMatchesFiniteDifferences() {
        NoisyGating gating = new NoisyGating(3, 4, 0.01);
        INDArray params = gating.network().parameters();
        SplittableRandom init = new SplittableRandom(3);
        for (int i = 0; i < params.length(); i++) {
            params.putScalar(0, i, init.nextGaussian());
        }
        INDArray x = Nd4jMatrices.toNd4j(gaussian(6, 3, 4), DataType.FLOAT);
        FloatMatrix z = gaussian(6, 4, 5);
        FloatMatrix probe = gaussian(6, 4, 6);
        float[] q = gaussian(6, 4, 7).values();
        NoisyGating.Sample sample = gating.sample(x, z, new SplittableRandom(8));
        float[] analytic = gating.parameterGradient(sample, probe, q).dup().data().asFloat();
        float eps = 1e-2f;
        for (int i = 0; i < params.length(); i++) {
            float old = params.getFloat(0, i);
            params.putScalar(0, i, old + eps);
            double up = loss(gating, x, z, probe, q);
            params.putScalar(0, i, old - eps);
            double down = loss(gating, x, z, probe, q);
            params.putScalar(0, i, old);
            assertEquals((up - down) / (2 * eps), analytic[i], 2e-3 * Math.max(1, Math.abs(analytic[i])), "parameter " + i);
        }
    }

    private static double loss(NoisyGating gating, INDArray x, FloatMatrix z, FloatMatrix probe, float[] q) {
        NoisyGating.Sample s = gating.sample(x, z, new SplittableRandom(8));
        double sum = 0;
        for (int i = 0; i < q.length; i++) {
            sum += (double) s.noisyLogits().values()[i] * probe.values()[i] + (double) s.std()[i] * q[i];
        }
        return sum;
    }
}
