package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;

/**
 * The auxiliary losses on a batch's routing, each as a pure function that returns the loss and adds its
 * gradient to the array it is given. Batch sums and means are over the rows of the batch, as in the papers.
 */
final class RouterLosses {

    /** Keeps CV^2 finite when every expert's total is 0 (Shazeer et al.'s epsilon). */
    private static final double CV_EPSILON = 1e-10;
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private RouterLosses() {
    }

    /**
     * The Switch Transformer's load-balancing loss {@code alpha * E * sum_i f_i P_i}: {@code f_i} the share of
     * rows routed to expert i (weight above 0; counted once per chosen expert, so the f sum to the experts per
     * row), {@code P_i} the mean of {@code softmax(z)_i}. f is a count and passes no gradient; P does. Under
     * dense routing every f_i is 1 and the loss is a constant: balance a dense gate with {@link #importance}.
     *
     * @param logitGradient rows x experts; dL/dz is added to it
     */
    static double switchLoadBalance(FloatMatrix logits, FloatMatrix weights, double alpha, float[] logitGradient) {
        int b = logits.rows();
        int e = logits.columns();
        float[] w = weights.values();
        float[] p = dev.moe.gating.nn.Softmax.rows(logits).values();
        double[] f = new double[e];
        double[] meanP = new double[e];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < e; j++) {
                f[j] += w[r * e + j] > 0 ? 1.0 / b : 0;
                meanP[j] += p[r * e + j] / (double) b;
            }
        }
        double loss = 0;
        for (int j = 0; j < e; j++) {
            loss += f[j] * meanP[j];
        }
        double scale = alpha * e / b;
        for (int r = 0; r < b; r++) {
            // d/dz_rj of sum_i f_i p_ri = p_rj (f_j - sum_i f_i p_ri)
            double dot = 0;
            for (int j = 0; j < e; j++) {
                dot += f[j] * p[r * e + j];
            }
            for (int j = 0; j < e; j++) {
                logitGradient[r * e + j] += (float) (scale * p[r * e + j] * (f[j] - dot));
            }
        }
        return alpha * e * loss;
    }

    /**
     * Shazeer et al.'s importance loss {@code coefficient * CV^2(importance)}, {@code importance_i = sum_x w_xi}.
     *
     * @param weightGradient rows x experts; dL/dw is added to it
     */
    static double importance(FloatMatrix weights, double coefficient, float[] weightGradient) {
        int b = weights.rows();
        int e = weights.columns();
        float[] w = weights.values();
        double[] importance = new double[e];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < e; j++) {
                importance[j] += w[r * e + j];
            }
        }
        double[] d = new double[e];
        double cv2 = cvSquared(importance, d);
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < e; j++) {
                weightGradient[r * e + j] += (float) (coefficient * d[j]);
            }
        }
        return coefficient * cv2;
    }

    /** The noisy logits {@code H = z + eps * std}, element by element. */
    static float[] noisyLogits(float[] clean, float[] noise, float[] std) {
        float[] h = new float[clean.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = clean[i] + noise[i] * std[i];
        }
        return h;
    }

    /**
     * Shazeer et al.'s load loss {@code coefficient * CV^2(load)} for noisy top-k. {@code load_i = sum_x P(x, i)},
     * the smooth probability that expert i stays in row x's top k when its own noise is drawn again:
     * {@code P(x, i) = Phi((z_i - t_i) / std_i)}, {@code t_i} the k-th largest noisy logit of the other experts.
     * With {@code k = E} every expert is always chosen and the loss is 0.
     *
     * @param clean     rows x experts, the gate's logits z
     * @param noise     the standard normal draws of this batch
     * @param std       the noise scales {@code softplus(x W_noise)}
     * @param dClean    dL/dz is added to it
     * @param dStd      dL/dstd is added to it
     */
    static double smoothLoad(FloatMatrix clean, float[] noise, float[] std, int k, double coefficient,
                             float[] dClean, float[] dStd) {
        int b = clean.rows();
        int e = clean.columns();
        if (k >= e) {
            return 0;
        }
        float[] z = clean.values();
        float[] h = noisyLogits(z, noise, std);
        int[] threshold = new int[b * e];
        double[] u = new double[b * e];
        double[] load = new double[e];
        for (int r = 0; r < b; r++) {
            int base = r * e;
            int[] order = largestFirst(h, base, e, k + 1);
            for (int i = 0; i < e; i++) {
                boolean chosen = false;
                for (int pick = 0; pick < k; pick++) {
                    chosen |= order[pick] == i;
                }
                // Without expert i, the k-th largest of the others is the (k+1)-th overall if i is in the top k.
                int t = chosen ? order[k] : order[k - 1];
                threshold[base + i] = t;
                u[base + i] = (z[base + i] - h[base + t]) / std[base + i];
                load[i] += normalCdf(u[base + i]);
            }
        }
        double[] d = new double[e];
        double cv2 = cvSquared(load, d);
        for (int r = 0; r < b; r++) {
            int base = r * e;
            for (int i = 0; i < e; i++) {
                double g = coefficient * d[i] * INV_SQRT_2PI * Math.exp(-0.5 * u[base + i] * u[base + i]) / std[base + i];
                int t = base + threshold[base + i];
                dClean[base + i] += (float) g;
                dStd[base + i] += (float) (-g * u[base + i]);
                // t_i = z_t + eps_t * std_t
                dClean[t] -= (float) g;
                dStd[t] -= (float) (g * noise[t]);
            }
        }
        return coefficient * cv2;
    }

    /**
     * The router z-loss of ST-MoE, {@code beta * mean_x (logsumexp_j z_xj)^2}.
     *
     * @param logitGradient rows x experts; dL/dz is added to it
     */
    static double zLoss(FloatMatrix logits, double beta, float[] logitGradient) {
        int b = logits.rows();
        int e = logits.columns();
        float[] z = logits.values();
        double loss = 0;
        double[] p = new double[e];
        for (int r = 0; r < b; r++) {
            int base = r * e;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < e; j++) {
                max = Math.max(max, z[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < e; j++) {
                p[j] = Math.exp(z[base + j] - max);
                sum += p[j];
            }
            double lse = max + Math.log(sum);
            loss += lse * lse;
            for (int j = 0; j < e; j++) {
                logitGradient[base + j] += (float) (beta * 2 * lse * p[j] / sum / b);
            }
        }
        return beta * loss / b;
    }

    /**
     * The squared coefficient of variation {@code var(v) / mean(v)^2} (population variance), writing its
     * gradient with respect to each {@code v_i} into {@code gradient}.
     */
    static double cvSquared(double[] v, double[] gradient) {
        int e = v.length;
        double mean = 0;
        for (double x : v) {
            mean += x / e;
        }
        double variance = 0;
        for (double x : v) {
            variance += (x - mean) * (x - mean) / e;
        }
        double denominator = mean * mean + CV_EPSILON;
        for (int i = 0; i < e; i++) {
            gradient[i] = 2.0 / (e * denominator) * ((v[i] - mean) - variance * mean / denominator);
        }
        return variance / denominator;
    }

    /** Indices of the {@code count} largest of {@code values[base .. base + e)}, largest first; ties to the lower index. */
    private static int[] largestFirst(float[] values, int base, int e, int count) {
        int[] order = new int[count];
        boolean[] taken = new boolean[e];
        for (int pick = 0; pick < count; pick++) {
            int best = -1;
            for (int j = 0; j < e; j++) {
                if (!taken[j] && (best < 0 || values[base + j] > values[base + best])) {
                    best = j;
                }
            }
            taken[best] = true;
            order[pick] = best;
        }
        return order;
    }

    /** The standard normal CDF, through erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double normalCdf(double x) {
        double a = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * a);
        double erfc = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }
}
