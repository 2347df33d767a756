package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import java.util.SplittableRandom;

/** Shared checks for routing strategies: weights form a distribution; backward matches finite differences. */
final class RoutingTestSupport {

    private RoutingTestSupport() {
    }

    static FloatMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(rows, cols, v);
    }

    static void assertRowsAreDistributions(FloatMatrix w) {
        for (int r = 0; r < w.rows(); r++) {
            double sum = 0;
            for (int j = 0; j < w.columns(); j++) {
                float v = w.get(r, j);
                if (v < 0) {
                    throw new AssertionError("negative weight " + v + " in row " + r);
                }
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5, "row " + r + " sums to " + sum);
        }
    }

    private static double probeLoss(RoutingStrategy s, FloatMatrix z, FloatMatrix probe) {
        float[] w = s.route(z, true).weights().values();
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += (double) w[i] * probe.values()[i];
        }
        return sum;
    }

    /** Checks backward against central differences of sum(w * probe), in a region where the selection is stable. */
    static void assertBackwardMatchesFiniteDifferences(RoutingStrategy s, FloatMatrix z) {
        FloatMatrix probe = gaussian(z.rows(), z.columns(), 1234);
        FloatMatrix analytic = s.route(z, true).backward(probe);
        float eps = 1e-3f;
        for (int i = 0; i < z.values().length; i++) {
            float old = z.values()[i];
            z.values()[i] = old + eps;
            double up = probeLoss(s, z, probe);
            z.values()[i] = old - eps;
            double down = probeLoss(s, z, probe);
            z.values()[i] = old;
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, analytic.values()[i], 2e-3, "logit " + i);
        }
    }
}
