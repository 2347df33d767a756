package dev.moe.gating.nn;

import dev.moe.api.FloatMatrix;

/** Row-wise softmax and softmax cross-entropy on small matrices (rows x classes), in plain Java. */
public final class Softmax {

    private Softmax() {
    }

    /** A new matrix with each row's softmax, computed stably (shifted by the row's maximum). */
    public static FloatMatrix rows(FloatMatrix logits) {
        int n = logits.rows();
        int c = logits.columns();
        float[] in = logits.values();
        float[] out = new float[in.length];
        for (int r = 0; r < n; r++) {
            int base = r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, in[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                double e = Math.exp(in[base + j] - max);
                out[base + j] = (float) e;
                sum += e;
            }
            for (int j = 0; j < c; j++) {
                out[base + j] = (float) (out[base + j] / sum);
            }
        }
        return new FloatMatrix(n, c, out);
    }

    /**
     * Mean cross-entropy of {@code probabilities} (the softmax of some logits) against {@code labels},
     * writing {@code dLoss/dLogits} into {@code logitGradient}.
     */
    public static double crossEntropy(FloatMatrix probabilities, int[] labels, float[] logitGradient) {
        int n = probabilities.rows();
        int c = probabilities.columns();
        float[] p = probabilities.values();
        double loss = 0;
        float inv = 1f / n;
        for (int r = 0; r < n; r++) {
            int base = r * c;
            loss -= Math.log(Math.max(p[base + labels[r]], 1e-12f));
            for (int j = 0; j < c; j++) {
                logitGradient[base + j] = p[base + j] * inv;
            }
            logitGradient[base + labels[r]] -= inv;
        }
        return loss / n;
    }
}
