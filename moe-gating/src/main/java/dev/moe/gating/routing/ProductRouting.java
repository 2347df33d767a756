package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RowIndependentRouting;

/**
 * A weighted product of the experts instead of a weighted sum (the logarithmic opinion pool, Genest and Zidek
 * 1986; Hinton's product of experts): {@code P(y|x) ∝ prod_k q_k(y|x)^(a_k)}, one exponent {@code a_k >= 0} per
 * expert, the same for every row. Where the sum lets any expert that is sure of a label carry it, the product lets
 * an expert that is sure a label is wrong veto it, and the exponents also set how sharp the result is. The
 * exponents are the exponentials of the gate's logits (its output bias, as for {@link ConstantRouting}); the
 * weights reported for the experts are their shares, {@code a_k / sum a}. Fitted by
 * {@link dev.moe.gating.training.LogLinearPool} (convex: one optimum), not by the gate's gradient loop.
 */
public final class ProductRouting implements RowIndependentRouting {

    public static final String NAME = "product";

    /** Keeps the logarithm finite where an uncalibrated expert gives a label probability 0. */
    public static final double MIN_PROBABILITY = 1e-7;

    private final RoutingStrategy softmax = new SoftmaxDenseRouting(1.0);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "a weighted product of the experts' probabilities, one learned exponent per expert";
    }

    /** The experts' shares of the exponents (the softmax of the logits), for reports and diagnostics. */
    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        return softmax.route(logits, training);
    }

    /**
     * The gate logit that stores an exponent: its logarithm, with 0 stored as 1e-30 (a logit of about -69, whose
     * exp() moves nothing), so that a saved gate holds no infinity.
     */
    public static float logitOf(double exponent) {
        // The inverse of exponentOf: the gate's output bias holds log a_k.
        return (float) Math.log(Math.max(exponent, MIN_EXPONENT));
    }

    private static final double MIN_EXPONENT = 1e-30;

    /** The exponent an expert's gate logit stores ({@link #logitOf}'s inverse). */
    public static double exponentOf(float logit) {
        return Math.exp(logit);
    }

    /**
     * The exponent as fitted, for reports: 0 where the stored one is {@link #negligible} (a fitted 0, stored as 1e-30,
     * whose expert the mixture never runs), else {@link #exponentOf}.
     */
    public static double fittedExponent(float logit) {
        return negligible(logit) ? 0 : exponentOf(logit);
    }

    /**
     * Whether an expert's exponent is too small to move any probability (a fitted 0 is stored as 1e-30): the
     * mixture then need not run that expert at all.
     */
    public static boolean negligible(float logit) {
        return logit < NEGLIGIBLE_LOGIT;
    }

    /** exp(-40) is about 4e-18: times a log-probability of at most 16 in size, far below a double's resolution of 1. */
    private static final float NEGLIGIBLE_LOGIT = -40f;

    /**
     * The pooled probabilities: per row {@code softmax_y(sum_k exp(z_k) log q_k(y))}.
     *
     * @param logits        rows x experts, the gate's logits (the log of each expert's exponent)
     * @param probabilities per expert, rows x labels; null for an expert whose exponent is {@link #negligible}
     */
    public static FloatMatrix pool(FloatMatrix logits, java.util.List<FloatMatrix> probabilities, int labels) {
        int n = logits.rows();
        int e = logits.columns();
        float[] out = new float[n * labels];
        double[] z = new double[labels];
        for (int r = 0; r < n; r++) {
            java.util.Arrays.fill(z, 0);
            for (int k = 0; k < e; k++) {
                if (probabilities.get(k) == null) {
                    continue;
                }
                double exponent = exponentOf(logits.get(r, k));
                float[] q = probabilities.get(k).values();
                for (int j = 0; j < labels; j++) {
                    z[j] += exponent * Math.log(Math.max(q[r * labels + j], MIN_PROBABILITY));
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int j = 0; j < labels; j++) {
                z[j] = Math.exp(z[j] - max);
                sum += z[j];
            }
            for (int j = 0; j < labels; j++) {
                out[r * labels + j] = (float) (z[j] / sum);
            }
        }
        return new FloatMatrix(n, labels, out);
    }
}
