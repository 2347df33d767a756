package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {

    /** Values around 0 (both signs, zeros, tiny ones) and a dropout mask's factors: 0 or 1/(1-p). */
    private static float[][] valuesAndFactors(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n];
        float[] factors = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (i % 5) {
                case 0 -> 0f;
                case 1 -> (float) (random.nextGaussian() * 1e-39);
                default -> (float) random.nextGaussian();
            };
            factors[i] = random.nextInt(10) == 0 ? 0f : (float) (1 / 0.9);
        }
        return new float[][] {values, factors};
    }

    /** The fused loops (activation or derivative with the mask) give the values of the two loops, bit for bit. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void theMaskInTheSameLoopGivesTheSameValues(Activation activation) {
        int n = 1000;
        float[][] vf = valuesAndFactors(n, 3);
        float[] twoLoops = vf[0].clone();
        activation.apply(twoLoops, n);
        for (int i = 0; i < n; i++) {
            twoLoops[i] *= vf[1][i];
        }
        float[] oneLoop = vf[0].clone();
        activation.apply(oneLoop, vf[1], n);
        assertArrayEquals(twoLoops, oneLoop);

        float[] gradient = valuesAndFactors(n, 4)[0];
        float[] separate = gradient.clone();
        activation.backprop(separate, oneLoop, n);
        for (int i = 0; i < n; i++) {
            separate[i] *= vf[1][i];
        }
        float[] fused = gradient.clone();
        activation.backprop(fused, oneLoop, vf[1], n);
        assertArrayEquals(separate, fused);
    }
}
