package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.routing.ProductRouting;
import java.util.List;

/**
 * The log-domain pieces both product pools fit with ({@link LogLinearPool}, {@link SignalPool}): the experts'
 * log-probabilities as one table, and a row's log-normaliser.
 */
final class PoolLogs {

    private PoolLogs() {
    }

    /**
     * log q_k(y) per row, label and expert, at {@code [(row * labels + label) * experts + k]}, each probability floored
     * at {@link ProductRouting#MIN_PROBABILITY} as the routing floors it.
     *
     * @param probabilities per expert, rows x labels
     * @throws IllegalArgumentException when an expert's matrix is not rows x labels
     */
    static double[] table(List<FloatMatrix> probabilities, int rows, int labels) {
        int e = probabilities.size();
        double[] logs = new double[rows * labels * e];
        for (int k = 0; k < e; k++) {
            FloatMatrix p = probabilities.get(k);
            if (p.rows() != rows || p.columns() != labels) {
                throw new IllegalArgumentException("expert " + k + " gives " + p.rows() + " x " + p.columns() + " probabilities for "
                        + rows + " rows of " + labels + " labels");
            }
            float[] v = p.values();
            for (int i = 0; i < rows * labels; i++) {
                logs[i * e + k] = Math.log(Math.max(v[i], ProductRouting.MIN_PROBABILITY));
            }
        }
        return logs;
    }

    /** {@code log sum_j exp(z_j)}, shifted by the largest {@code z_j} so that no exp overflows. */
    static double logSumExp(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
