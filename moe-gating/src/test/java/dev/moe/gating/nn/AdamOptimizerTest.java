package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamOptimizerTest {

    /**
     * torch.optim.Adam's rule in double precision, written out: the reference both implementations follow (ND4J's
     * updater adds eps before the bias correction, which moves these values by far less than the tolerance).
     */
    @ParameterizedTest
    @EnumSource(Kernels.class)
    void stepsFollowTorchsAdam(Kernels kernels) {
        int n = 5000; // more than one chunk
        SplittableRandom random = new SplittableRandom(3);
        double[] p = new double[n];
        float[] start = new float[n];
        for (int i = 0; i < n; i++) {
            start[i] = (float) random.nextGaussian();
            p[i] = start[i];
        }
        INDArray parameters = Nd4j.create(start, new long[] {1, n}, 'c');
        AdamOptimizer adam = new AdamOptimizer(parameters, 0.01, kernels);
        double[] m = new double[n];
        double[] v = new double[n];
        for (int t = 1; t <= 4; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) random.nextGaussian();
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                p[i] -= 0.01 / (1 - Math.pow(0.9, t)) * m[i] / denominator;
            }
            adam.step(Nd4j.create(g, new long[] {1, n}, 'c'));
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (float) p[i];
        }
        assertArrayEquals(expected, parameters.castTo(DataType.FLOAT).reshape(-1).toFloatVector(), 1e-5f);
    }
}
