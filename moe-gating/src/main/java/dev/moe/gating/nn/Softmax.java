package dev.moe.gating.nn;

import dev.moe.api.FloatMatrix;

/** Row-wise softmax and softmax cross-entropy on small matrices (rows x classes), in plain Java. */
public final class Softmax {

    private Softmax() {
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two (Cody and Waite) so that {@code x - n ln 2} stays exact enough in single precision. */
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;

    /**
     * e^x in single precision, within 2 ulp, for x in [-87, 88] (clamped outside): Cephes' expf, a degree-5
     * polynomial on the reduced argument. Math.exp took about 12 ns a call here, most of the gate's routing
     * softmax each step; this takes a few, and every caller rounds to a float anyway.
     */
    public static float exp(float x) {
        x = Math.min(Math.max(x, -87f), 88f);
        float n = (float) Math.floor(x * LOG2E + 0.5f);
        float r = x - n * LN2_HIGH - n * LN2_LOW;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        p = p * r * r + r + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** A new matrix with each row's softmax, computed stably (shifted by the row's maximum). */
    public static FloatMatrix rows(FloatMatrix logits) {
        float[] out = new float[logits.values().length];
        rows(logits.values(), logits.rows(), logits.columns(), out);
        return new FloatMatrix(logits.rows(), logits.columns(), out);
    }

    /**
     * {@link #rows(FloatMatrix)} written over the logits themselves (a copy the caller owns): the same values, one
     * array fewer per call.
     */
    public static FloatMatrix rowsInPlace(FloatMatrix logits) {
        rows(logits.values(), logits.rows(), logits.columns(), logits.values());
        return logits;
    }

    /** Each row's softmax of {@code in} into {@code out}, which may be {@code in} itself. */
    private static void rows(float[] in, int n, int c, float[] out) {
        for (int r = 0; r < n; r++) {
            int base = r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, in[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                float e = exp(in[base + j] - max);
                out[base + j] = e;
                sum += e;
            }
            float inverseSum = (float) (1 / sum);
            for (int j = 0; j < c; j++) {
                out[base + j] *= inverseSum;
            }
        }
    }

    /**
     * Mean cross-entropy of {@code probabilities} (the softmax of some logits) against {@code labels},
     * writing {@code dLoss/dLogits} into {@code logitGradient}.
     */
    public static double crossEntropy(FloatMatrix probabilities, int[] labels, float[] logitGradient) {
        crossEntropyGradient(probabilities, labels, logitGradient);
        int n = probabilities.rows();
        int c = probabilities.columns();
        float[] p = probabilities.values();
        double loss = 0;
        for (int r = 0; r < n; r++) {
            loss -= Math.log(Math.max(p[r * c + labels[r]], 1e-12f));
        }
        return loss / n;
    }

    /**
     * {@link #crossEntropy}'s gradient alone, the very same values: for a training loop that does not report the loss
     * (a logarithm per row cost about a sixth of a small expert's step).
     */
    public static void crossEntropyGradient(FloatMatrix probabilities, int[] labels, float[] logitGradient) {
        int n = probabilities.rows();
        int c = probabilities.columns();
        float[] p = probabilities.values();
        float inv = 1f / n;
        for (int r = 0; r < n; r++) {
            int base = r * c;
            for (int j = 0; j < c; j++) {
                logitGradient[base + j] = p[base + j] * inv;
            }
            logitGradient[base + labels[r]] -= inv;
        }
    }
}
