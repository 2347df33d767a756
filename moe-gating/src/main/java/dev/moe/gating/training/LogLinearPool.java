package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.routing.ProductRouting;
import java.util.List;

/**
 * Fits the exponents of a {@link ProductRouting} pool, {@code P(y) ∝ prod_k q_k(y)^(a_k)} with {@code a_k >= 0}, by
 * maximum likelihood on the given rows. The negative log-likelihood is convex in the exponents (a multinomial
 * logistic regression whose inputs are the experts' log-probabilities, one coefficient per expert shared by every
 * label), so there is one optimum and no seed: projected Newton steps with a backtracking line search, from equal
 * exponents. A handful of parameters, so it needs no weight decay or early stopping to hold it back.
 */
public final class LogLinearPool {

    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-9;

    /**
     * @param exponents      one per expert, each at least 0
     * @param lossHistory    the mean negative log-likelihood before each step and after the last
     */
    public record Fit(double[] exponents, double[] lossHistory) {

        public double loss() {
            return lossHistory[lossHistory.length - 1];
        }
    }

    private final int n;
    private final int labels;
    private final int e;
    /** log q_k(y) per row, label and expert: [(row * labels + label) * e + k]. */
    private final double[] logs;
    private final int[] truth;

    private LogLinearPool(List<FloatMatrix> probabilities, int[] truth) {
        this.e = probabilities.size();
        if (e == 0) {
            throw new IllegalArgumentException("a pool needs at least one expert");
        }
        this.n = truth.length;
        this.labels = probabilities.get(0).columns();
        this.truth = truth;
        this.logs = PoolLogs.table(probabilities, n, labels);
    }

    /**
     * The exponents that maximise the likelihood of {@code labels} under the pool of {@code probabilities} (each
     * rows x labels, the experts' calibrated outputs on the rows).
     */
    public static Fit fit(List<FloatMatrix> probabilities, int[] labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException("no rows to fit the pool on");
        }
        return new LogLinearPool(probabilities, labels).newton();
    }

    private Fit newton() {
        double[] a = new double[e];
        java.util.Arrays.fill(a, 1.0 / e);
        double[] gradient = new double[e];
        double[][] hessian = new double[e][e];
        double loss = lossAndDerivatives(a, gradient, hessian);
        double[] history = new double[MAX_ITERATIONS + 1];
        int steps = 0;
        history[0] = loss;
        while (steps < MAX_ITERATIONS) {
            // Free: exponents off their bound of 0, or at it with the gradient pointing inside.
            boolean[] free = new boolean[e];
            double projected = 0;
            for (int k = 0; k < e; k++) {
                free[k] = a[k] > 0 || gradient[k] < 0;
                if (free[k]) {
                    projected = Math.max(projected, Math.abs(gradient[k]));
                }
            }
            if (projected < TOLERANCE) {
                break;
            }
            double[] direction = newtonDirection(hessian, gradient, free);
            double slope = 0;
            for (int k = 0; k < e; k++) {
                slope += direction[k] * gradient[k];
            }
            if (!(slope < 0)) {
                // Not a descent direction (a near-singular Hessian): a plain gradient step instead.
                for (int k = 0; k < e; k++) {
                    direction[k] = free[k] ? -gradient[k] : 0;
                }
            }
            double[] next = new double[e];
            double nextLoss = Double.NaN;
            boolean improved = false;
            for (double t = 1; t > 1e-12; t /= 2) {
                double decrease = 0;
                for (int k = 0; k < e; k++) {
                    next[k] = Math.max(0, a[k] + t * direction[k]);
                    decrease += gradient[k] * (next[k] - a[k]);
                }
                nextLoss = loss(next);
                if (nextLoss <= loss + 1e-4 * decrease) {
                    improved = true;
                    break;
                }
            }
            if (!improved || loss - nextLoss < 1e-15) {
                break;
            }
            a = next;
            loss = lossAndDerivatives(a, gradient, hessian);
            history[++steps] = loss;
        }
        return new Fit(a, java.util.Arrays.copyOf(history, steps + 1));
    }

    /** Solves H_FF d_F = -g_F on the free exponents (Gaussian elimination; a tiny ridge keeps it solvable). */
    private double[] newtonDirection(double[][] hessian, double[] gradient, boolean[] free) {
        int[] index = java.util.stream.IntStream.range(0, e).filter(k -> free[k]).toArray();
        int m = index.length;
        double[][] h = new double[m][m];
        double[] minus = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                h[i][j] = hessian[index[i]][index[j]];
            }
            minus[i] = -gradient[index[i]];
        }
        double[] solution = SmallSystems.solve(h, minus, 1e-10);
        double[] direction = new double[e];
        for (int i = 0; i < m; i++) {
            direction[index[i]] = solution[i];
        }
        return direction;
    }

    private double loss(double[] a) {
        return lossAndDerivatives(a, null, null);
    }

    /** The mean negative log-likelihood; with non-null arrays, also its gradient and Hessian in the exponents. */
    private double lossAndDerivatives(double[] a, double[] gradient, double[][] hessian) {
        if (gradient != null) {
            java.util.Arrays.fill(gradient, 0);
            for (double[] row : hessian) {
                java.util.Arrays.fill(row, 0);
            }
        }
        double[] z = new double[labels];
        double[] mean = new double[e];
        double total = 0;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < labels; j++) {
                int base = (r * labels + j) * e;
                double s = 0;
                for (int k = 0; k < e; k++) {
                    s += a[k] * logs[base + k];
                }
                z[j] = s;
            }
            double logSum = PoolLogs.logSumExp(z);
            total += logSum - z[truth[r]];
            if (gradient == null) {
                continue;
            }
            // Under the pooled p: the gradient is E_p[log q_k] - log q_k(y); the Hessian the covariance of log q.
            java.util.Arrays.fill(mean, 0);
            for (int j = 0; j < labels; j++) {
                double p = Math.exp(z[j] - logSum);
                int base = (r * labels + j) * e;
                for (int k = 0; k < e; k++) {
                    mean[k] += p * logs[base + k];
                }
                for (int k = 0; k < e; k++) {
                    double pk = p * logs[base + k];
                    for (int l = 0; l <= k; l++) {
                        hessian[k][l] += pk * logs[base + l];
                    }
                }
            }
            int own = (r * labels + truth[r]) * e;
            for (int k = 0; k < e; k++) {
                gradient[k] += mean[k] - logs[own + k];
                for (int l = 0; l <= k; l++) {
                    hessian[k][l] -= mean[k] * mean[l];
                }
            }
        }
        if (gradient != null) {
            for (int k = 0; k < e; k++) {
                gradient[k] /= n;
                for (int l = 0; l <= k; l++) {
                    hessian[k][l] /= n;
                    hessian[l][k] = hessian[k][l];
                }
            }
        }
        return total / n;
    }
}
