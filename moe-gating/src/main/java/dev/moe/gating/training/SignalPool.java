package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.routing.ProductRouting;
import java.util.Arrays;
import java.util.List;

/**
 * The weighted product with exponents that depend on the row through each expert's own signals:
 * {@code P(y|x) ∝ prod_k q_k(y|x)^(a_k(x))}, {@code a_k(x) = exp(b_k + w_k · s_k(x))}, where {@code s_k(x)} are
 * expert k's signals on the row (standardised: its top probability, its entropy, its agreement with the experts'
 * mean). A gate in the log domain: an expert that is right when it is sure and not otherwise can keep its veto
 * where it is sure and lose it where it is not.
 *
 * <p>Fitted by maximum likelihood from the product's fit ({@code b_k = log a_k}, {@code w = 0}) with an L2
 * penalty on the slopes, so that it stays the product where the signals say nothing. No longer convex in
 * {@code (b, w)}: Gauss-Newton steps (the likelihood's Fisher matrix, positive semi-definite) with a backtracking
 * line search, from a start that is already the best row-independent pool. An expert the product gave exponent 0
 * keeps it on every row (no parameters), so the product's choice to drop an expert stands.
 */
public final class SignalPool {

    /** Its name as a gate candidate and in reports. */
    public static final String NAME = "product-signals";

    /**
     * The slopes' L2 penalty on the mean log-likelihood. It also keeps the fit solvable where two signals move
     * together (the top probability and the entropy). Chosen between 0.01 and 0.1 by the training side only: on
     * the public benchmark's 13 sets the combiner choice's cross-validated log-loss of this candidate averaged
     * 0.3395 with 0.01 and 0.3235 with 0.1 (the product's: 0.3224); see docs/real-data-log.md.
     */
    public static final double DEFAULT_PENALTY = 0.1;

    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-8;

    /**
     * @param bias        per expert, the log of its exponent where its signals are at their mean; for an expert
     *                    held at exponent 0, {@code ProductRouting.logitOf(0)}
     * @param slopes      per expert, one slope per signal (0 for an expert held at 0)
     * @param lossHistory the penalised mean negative log-likelihood before each step and after the last; the first
     *                    is the product's (slopes 0)
     */
    public record Fit(double[] bias, double[][] slopes, double[] lossHistory) {

        public double loss() {
            return lossHistory[lossHistory.length - 1];
        }
    }

    private final int n;
    private final int labels;
    private final int e;
    private final int m;
    /** log q_k(y) per row, label and expert: [(row * labels + label) * e + k]. */
    private final double[] logs;
    /** Standardised signals: [row * e * m + k * m + i]. */
    private final float[] signals;
    private final int[] truth;
    private final double penalty;
    /** The experts with parameters (a product exponent above 0), and each one's first parameter index. */
    private final int[] free;
    private final int parameters;

    private SignalPool(List<FloatMatrix> probabilities, FloatMatrix signals, int signalsPerExpert, int[] truth,
                       double[] startExponents, double penalty) {
        this.e = probabilities.size();
        this.n = truth.length;
        this.labels = probabilities.get(0).columns();
        this.m = signalsPerExpert;
        this.truth = truth;
        this.penalty = penalty;
        if (signals.rows() != n || signals.columns() != e * m) {
            throw new IllegalArgumentException("signals are " + signals.rows() + " x " + signals.columns() + ", expected " + n
                    + " x " + e * m);
        }
        if (startExponents.length != e) {
            throw new IllegalArgumentException(startExponents.length + " start exponents for " + e + " experts");
        }
        this.signals = signals.values();
        this.logs = PoolLogs.table(probabilities, n, labels);
        this.free = new int[e];
        int next = 0;
        for (int k = 0; k < e; k++) {
            if (startExponents[k] > 0) {
                free[k] = next;
                next += 1 + m;
            } else {
                free[k] = -1;
            }
        }
        this.parameters = next;
    }

    /**
     * @param probabilities  per expert, rows x labels: the calibrated outputs on the rows
     * @param signals        rows x (experts * signalsPerExpert), standardised, expert by expert
     * @param startExponents the product's exponents on these rows ({@link LogLinearPool})
     * @param penalty        the L2 penalty on the slopes, added to the mean negative log-likelihood as
     *                       {@code penalty / 2 * sum w^2}
     */
    public static Fit fit(List<FloatMatrix> probabilities, FloatMatrix signals, int signalsPerExpert, int[] labels,
                          double[] startExponents, double penalty) {
        if (labels.length == 0 || probabilities.isEmpty()) {
            throw new IllegalArgumentException("no rows or no experts to fit the pool on");
        }
        if (!(penalty >= 0)) {
            throw new IllegalArgumentException("the penalty must be 0 or more, got " + penalty);
        }
        return new SignalPool(probabilities, signals, signalsPerExpert, labels, startExponents, penalty).gaussNewton(startExponents);
    }

    private Fit gaussNewton(double[] startExponents) {
        double[] theta = new double[parameters];
        for (int k = 0; k < e; k++) {
            if (free[k] >= 0) {
                theta[free[k]] = Math.log(startExponents[k]);
            }
        }
        double[] gradient = new double[parameters];
        double[][] fisher = new double[parameters][parameters];
        double loss = lossAndDerivatives(theta, gradient, fisher);
        double[] history = new double[MAX_ITERATIONS + 1];
        history[0] = loss;
        int steps = 0;
        while (steps < MAX_ITERATIONS && parameters > 0) {
            double largest = 0;
            for (double g : gradient) {
                largest = Math.max(largest, Math.abs(g));
            }
            if (largest < TOLERANCE) {
                break;
            }
            double[] direction = solve(fisher, gradient);
            double slope = 0;
            for (int p = 0; p < parameters; p++) {
                slope += direction[p] * gradient[p];
            }
            if (!(slope < 0)) {
                for (int p = 0; p < parameters; p++) {
                    direction[p] = -gradient[p];
                }
                slope = -Arrays.stream(gradient).map(g -> g * g).sum();
            }
            double[] next = new double[parameters];
            double nextLoss = Double.NaN;
            boolean improved = false;
            for (double t = 1; t > 1e-10; t /= 2) {
                for (int p = 0; p < parameters; p++) {
                    next[p] = theta[p] + t * direction[p];
                }
                nextLoss = lossAndDerivatives(next, null, null);
                if (nextLoss <= loss + 1e-4 * t * slope) {
                    improved = true;
                    break;
                }
            }
            if (!improved || loss - nextLoss < 1e-12) {
                break;
            }
            theta = next;
            loss = lossAndDerivatives(theta, gradient, fisher);
            history[++steps] = loss;
        }
        double[] bias = new double[e];
        double[][] slopes = new double[e][m];
        for (int k = 0; k < e; k++) {
            if (free[k] < 0) {
                bias[k] = ProductRouting.logitOf(0);
                continue;
            }
            bias[k] = theta[free[k]];
            for (int i = 0; i < m; i++) {
                slopes[k][i] = theta[free[k] + 1 + i];
            }
        }
        return new Fit(bias, slopes, Arrays.copyOf(history, steps + 1));
    }

    /** Solves (F + ridge) d = -g (the ridge keeps two signals that move together solvable). */
    private double[] solve(double[][] fisher, double[] gradient) {
        double[] minus = new double[parameters];
        for (int i = 0; i < parameters; i++) {
            minus[i] = -gradient[i];
        }
        return SmallSystems.solve(fisher, minus, 1e-9);
    }

    /**
     * The penalised mean negative log-likelihood; with non-null arrays also its gradient and Fisher matrix. With
     * {@code z_y = sum_k a_k log q_k(y)}, the derivative of {@code z_y} in expert k's parameter with input u
     * (1 for the bias, a signal for a slope) is {@code a_k u log q_k(y)}: the gradient is
     * {@code a_k u (E_p[log q_k] - log q_k(truth))}, the Fisher matrix {@code a_k a_l u u' Cov_p(log q_k, log q_l)}.
     */
    private double lossAndDerivatives(double[] theta, double[] gradient, double[][] fisher) {
        if (gradient != null) {
            Arrays.fill(gradient, 0);
            for (double[] row : fisher) {
                Arrays.fill(row, 0);
            }
        }
        double[] a = new double[e];
        double[] z = new double[labels];
        double[] p = new double[labels];
        double[] mean = new double[e];
        double[][] covariance = new double[e][e];
        double[] u = new double[1 + m];
        u[0] = 1;
        double total = 0;
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < e; k++) {
                if (free[k] < 0) {
                    a[k] = 0;
                    continue;
                }
                double s = theta[free[k]];
                int base = r * e * m + k * m;
                for (int i = 0; i < m; i++) {
                    s += theta[free[k] + 1 + i] * signals[base + i];
                }
                a[k] = Math.exp(s);
            }
            for (int j = 0; j < labels; j++) {
                int base = (r * labels + j) * e;
                double s = 0;
                for (int k = 0; k < e; k++) {
                    if (a[k] != 0) {
                        s += a[k] * logs[base + k];
                    }
                }
                z[j] = s;
            }
            double logSum = PoolLogs.logSumExp(z);
            total += logSum - z[truth[r]];
            if (gradient == null) {
                continue;
            }
            Arrays.fill(mean, 0);
            for (double[] row : covariance) {
                Arrays.fill(row, 0);
            }
            for (int j = 0; j < labels; j++) {
                p[j] = Math.exp(z[j] - logSum);
                int base = (r * labels + j) * e;
                for (int k = 0; k < e; k++) {
                    if (free[k] < 0) {
                        continue;
                    }
                    mean[k] += p[j] * logs[base + k];
                    for (int l = 0; l <= k; l++) {
                        if (free[l] >= 0) {
                            covariance[k][l] += p[j] * logs[base + k] * logs[base + l];
                        }
                    }
                }
            }
            int own = (r * labels + truth[r]) * e;
            for (int k = 0; k < e; k++) {
                if (free[k] < 0) {
                    continue;
                }
                for (int i = 0; i < m; i++) {
                    u[1 + i] = signals[r * e * m + k * m + i];
                }
                double g = a[k] * (mean[k] - logs[own + k]);
                for (int i = 0; i <= m; i++) {
                    gradient[free[k] + i] += g * u[i];
                }
                for (int l = 0; l <= k; l++) {
                    if (free[l] >= 0) {
                        addFisherBlock(fisher, k, l, a[k] * a[l] * (covariance[k][l] - mean[k] * mean[l]), u, r);
                    }
                }
            }
        }
        double loss = total / n;
        double squares = 0;
        for (int k = 0; k < e; k++) {
            if (free[k] < 0) {
                continue;
            }
            for (int i = 1; i <= m; i++) {
                squares += theta[free[k] + i] * theta[free[k] + i];
            }
        }
        loss += penalty / 2 * squares;
        if (gradient != null) {
            for (int p1 = 0; p1 < parameters; p1++) {
                gradient[p1] /= n;
                for (int p2 = 0; p2 < parameters; p2++) {
                    fisher[p1][p2] /= n;
                }
            }
            // Mirror the blocks filled for l <= k, then the penalty on the slopes.
            for (int k = 0; k < e; k++) {
                for (int l = 0; l < k; l++) {
                    if (free[k] < 0 || free[l] < 0) {
                        continue;
                    }
                    for (int i = 0; i <= m; i++) {
                        for (int j = 0; j <= m; j++) {
                            fisher[free[l] + j][free[k] + i] = fisher[free[k] + i][free[l] + j];
                        }
                    }
                }
                if (free[k] >= 0) {
                    for (int i = 1; i <= m; i++) {
                        gradient[free[k] + i] += penalty * theta[free[k] + i];
                        fisher[free[k] + i][free[k] + i] += penalty;
                    }
                }
            }
        }
        return loss;
    }

    /**
     * Adds {@code c u_k u_l'} to the Fisher block of experts k and l on row r, where {@code u_k} is k's inputs
     * ({@code u}: 1, then its signals) and {@code u_l} is l's, read from the signals.
     */
    private void addFisherBlock(double[][] fisher, int k, int l, double c, double[] u, int r) {
        for (int i = 0; i <= m; i++) {
            double ui = u[i];
            for (int j = 0; j <= m; j++) {
                double uj = j == 0 ? 1 : signals[r * e * m + l * m + j - 1];
                fisher[free[k] + i][free[l] + j] += c * ui * uj;
            }
        }
    }
}
