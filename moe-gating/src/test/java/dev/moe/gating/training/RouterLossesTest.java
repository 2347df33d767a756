package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Softmax;
import dev.moe.gating.routing.TopKRouting;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class RouterLossesTest {

    private static float[] gaussian(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    /** Central differences of {@code loss} in each element of {@code x}, against {@code analytic}. */
    private static void assertGradient(float[] x, ToDoubleFunction<float[]> loss, float[] analytic, double tolerance) {
        float eps = 1e-3f;
        for (int i = 0; i < x.length; i++) {
            float old = x[i];
            x[i] = old + eps;
            double up = loss.applyAsDouble(x);
            x[i] = old - eps;
            double down = loss.applyAsDouble(x);
            x[i] = old;
            assertEquals((up - down) / (2 * eps), analytic[i], tolerance, "element " + i);
        }
    }

    @Test
    void switchLossIsAlphaTimesKWhenBalancedAndItsGradientMatchesFiniteDifferences() {
        // Two rows, two experts, each row routed to a different one with router probabilities 1/2: f = P = 1/2.
        FloatMatrix even = new FloatMatrix(2, 2, new float[] {0, 0, 0, 0});
        FloatMatrix oneEach = new FloatMatrix(2, 2, new float[] {1, 0, 0, 1});
        assertEquals(0.01, RouterLosses.switchLoadBalance(even, oneEach, 0.01, new float[4]), 1e-12);
        // Collapsed: both rows on expert 0 with probability ~1 costs alpha * E.
        FloatMatrix collapsed = new FloatMatrix(2, 2, new float[] {20, 0, 20, 0});
        FloatMatrix bothFirst = new FloatMatrix(2, 2, new float[] {1, 0, 1, 0});
        assertEquals(0.02, RouterLosses.switchLoadBalance(collapsed, bothFirst, 0.01, new float[4]), 1e-9);

        float[] z = gaussian(24, 1, 1);
        FloatMatrix weights = new TopKRouting(2, 1).route(new FloatMatrix(6, 4, z), true).weights();
        float[] g = new float[24];
        RouterLosses.switchLoadBalance(new FloatMatrix(6, 4, z), weights, 0.3, g);
        // f is held fixed (a count): differentiate through P only, with the same routing.
        assertGradient(z, v -> RouterLosses.switchLoadBalance(new FloatMatrix(6, 4, v), weights, 0.3, new float[24]), g, 1e-4);
    }

    @Test
    void importanceLossIsZeroWhenBalancedAndItsGradientMatchesFiniteDifferences() {
        assertEquals(0, RouterLosses.importance(new FloatMatrix(2, 2, new float[] {1, 0, 0, 1}), 1, new float[4]), 1e-9);
        // Importance (2, 0): mean 1, variance 1, CV^2 = 1.
        assertEquals(0.1, RouterLosses.importance(new FloatMatrix(2, 2, new float[] {1, 0, 1, 0}), 0.1, new float[4]), 1e-9);
        float[] w = Softmax.rows(new FloatMatrix(5, 3, gaussian(15, 2, 1))).values();
        float[] g = new float[15];
        RouterLosses.importance(new FloatMatrix(5, 3, w), 0.5, g);
        assertGradient(w, v -> RouterLosses.importance(new FloatMatrix(5, 3, v), 0.5, new float[15]), g, 1e-4);
    }

    @Test
    void smoothLoadGradientMatchesFiniteDifferencesInLogitsAndNoiseScales() {
        int b = 6;
        int e = 4;
        float[] z = gaussian(b * e, 3, 1);
        float[] noise = gaussian(b * e, 4, 1);
        float[] std = new float[b * e];
        float[] a = gaussian(b * e, 5, 1);
        for (int i = 0; i < std.length; i++) {
            std[i] = (float) NoisyGating.softplus(a[i]);
        }
        float[] dz = new float[b * e];
        float[] dStd = new float[b * e];
        double loss = RouterLosses.smoothLoad(new FloatMatrix(b, e, z), noise, std, 2, 0.7, dz, dStd);
        assertEquals(true, loss > 0);
        assertGradient(z, v -> RouterLosses.smoothLoad(new FloatMatrix(b, e, v), noise, std, 2, 0.7, new float[b * e], new float[b * e]),
                dz, 2e-4);
        assertGradient(std, v -> RouterLosses.smoothLoad(new FloatMatrix(b, e, z), noise, v, 2, 0.7, new float[b * e], new float[b * e]),
                dStd, 2e-4);
        // k = E: every expert is always chosen, nothing to balance.
        assertEquals(0, RouterLosses.smoothLoad(new FloatMatrix(b, e, z), noise, std, 4, 0.7, dz, dStd));
    }

    @Test
    void zLossIsTheMeanSquaredLogSumExpAndItsGradientMatchesFiniteDifferences() {
        float l3 = (float) Math.log(3);
        // logsumexp(0, ln 2) = ln 3 and logsumexp(ln 3, ln 3) = ln 6.
        FloatMatrix z = new FloatMatrix(2, 2, new float[] {0, (float) Math.log(2), l3, l3});
        double expected = 0.001 * (Math.pow(Math.log(3), 2) + Math.pow(Math.log(6), 2)) / 2;
        assertEquals(expected, RouterLosses.zLoss(z, 0.001, new float[4]), 1e-9);
        float[] v = gaussian(15, 6, 2);
        float[] g = new float[15];
        RouterLosses.zLoss(new FloatMatrix(5, 3, v), 0.2, g);
        assertGradient(v, x -> RouterLosses.zLoss(new FloatMatrix(5, 3, x), 0.2, new float[15]), g, 1e-4);
    }

    @Test
    void cvSquaredAndTheNormalCdf() {
        double[] d = new double[3];
        // (1, 2, 3): mean 2, population variance 2/3, CV^2 = 1/6.
        assertEquals(1.0 / 6, RouterLosses.cvSquared(new double[] {1, 2, 3}, d), 1e-9);
        double h = 1e-6;
        double[] numeric = new double[3];
        for (int i = 0; i < 3; i++) {
            double[] up = {1, 2, 3};
            double[] down = {1, 2, 3};
            up[i] += h;
            down[i] -= h;
            numeric[i] = (RouterLosses.cvSquared(up, new double[3]) - RouterLosses.cvSquared(down, new double[3])) / (2 * h);
        }
        assertArrayEquals(numeric, d, 1e-6);
        assertEquals(0.5, RouterLosses.normalCdf(0), 1e-7);
        assertEquals(0.841344746, RouterLosses.normalCdf(1), 1e-7);
        assertEquals(0.022750132, RouterLosses.normalCdf(-2), 1e-7);
    }
}
