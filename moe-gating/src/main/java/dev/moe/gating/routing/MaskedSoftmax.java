package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;

/**
 * Softmax of {@code logits / temperature} over each row's selected experts; the others get weight 0
 * and no gradient. Dense softmax selects every expert; top-k selects k of them.
 */
final class MaskedSoftmax implements RoutingStrategy.Routing {

    private final FloatMatrix weights;
    private final double temperature;

    /** @param selected rows x experts, true where the expert takes part in that row's softmax */
    MaskedSoftmax(FloatMatrix logits, boolean[] selected, double temperature) {
        this.temperature = temperature;
        int n = logits.rows();
        int e = logits.columns();
        float[] z = logits.values();
        float[] w = new float[z.length];
        for (int r = 0; r < n; r++) {
            int base = r * e;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < e; j++) {
                if (selected[base + j]) {
                    max = Math.max(max, z[base + j] / temperature);
                }
            }
            double sum = 0;
            for (int j = 0; j < e; j++) {
                if (selected[base + j]) {
                    double v = Math.exp(z[base + j] / temperature - max);
                    w[base + j] = (float) v;
                    sum += v;
                }
            }
            for (int j = 0; j < e; j++) {
                w[base + j] = (float) (w[base + j] / sum);
            }
        }
        this.weights = new FloatMatrix(n, e, w);
    }

    @Override
    public FloatMatrix weights() {
        return weights;
    }

    /** dL/dz_j = w_j (g_j - sum_k w_k g_k) / T over the selected experts; 0 elsewhere (w_j = 0 there). */
    @Override
    public FloatMatrix backward(FloatMatrix weightGradient) {
        return backward(weights, weightGradient, temperature);
    }

    /** The backward step of a (masked) softmax whose output was {@code weights}. */
    static FloatMatrix backward(FloatMatrix weights, FloatMatrix weightGradient, double temperature) {
        int n = weights.rows();
        int e = weights.columns();
        if (weightGradient.rows() != n || weightGradient.columns() != e) {
            throw new IllegalArgumentException("gradient " + weightGradient + " does not match weights " + weights);
        }
        float[] w = weights.values();
        float[] g = weightGradient.values();
        float[] out = new float[w.length];
        for (int r = 0; r < n; r++) {
            int base = r * e;
            double dot = 0;
            for (int j = 0; j < e; j++) {
                dot += (double) w[base + j] * g[base + j];
            }
            for (int j = 0; j < e; j++) {
                out[base + j] = (float) (w[base + j] * (g[base + j] - dot) / temperature);
            }
        }
        return new FloatMatrix(n, e, out);
    }
}
