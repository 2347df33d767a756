package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.nn.Softmax;

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
        // Single-precision exp and products by reciprocals: this runs every gate step, and Math.exp and divisions
        // were half of a linear gate's training time. The shifted logits first, then one exp pass over the whole
        // block (Softmax.expInPlace: vectorised, the same bits as Softmax.exp), then each row's sum.
        float inverseTemperature = (float) (1 / temperature);
        for (int r = 0; r < n; r++) {
            int base = r * e;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < e; j++) {
                if (selected[base + j]) {
                    max = Math.max(max, z[base + j] * inverseTemperature);
                }
            }
            for (int j = 0; j < e; j++) {
                w[base + j] = selected[base + j] ? z[base + j] * inverseTemperature - max : 0f;
            }
        }
        Softmax.expInPlace(w, 0, w.length);
        for (int r = 0; r < n; r++) {
            int base = r * e;
            double sum = 0;
            for (int j = 0; j < e; j++) {
                if (selected[base + j]) {
                    sum += w[base + j];
                } else {
                    w[base + j] = 0f;
                }
            }
            float inverseSum = (float) (1 / sum);
            for (int j = 0; j < e; j++) {
                w[base + j] *= inverseSum;
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
        double inverseTemperature = 1 / temperature;
        for (int r = 0; r < n; r++) {
            int base = r * e;
            double dot = 0;
            for (int j = 0; j < e; j++) {
                dot += (double) w[base + j] * g[base + j];
            }
            for (int j = 0; j < e; j++) {
                out[base + j] = (float) (w[base + j] * (g[base + j] - dot) * inverseTemperature);
            }
        }
        return new FloatMatrix(n, e, out);
    }
}
