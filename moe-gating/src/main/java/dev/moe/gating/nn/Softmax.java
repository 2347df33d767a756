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
     * softmax each step; this takes a few, and every caller rounds to a float anyway. For many values
     * {@link #expInPlace} gives the same bits faster.
     */
    public static float exp(float x) {
        x = Math.min(Math.max(x, -87f), 88f);
        float n = (float) Math.floor(x * LOG2E + 0.5f);
        return reducedExp(x, n) * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** e^(x - n ln 2) by the polynomial: {@link #exp} before its product by 2^n. */
    private static float reducedExp(float x, float n) {
        float r = x - n * LN2_HIGH - n * LN2_LOW;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        return p * r * r + r + 1f;
    }

    /** Values per round of {@link #expInPlace}: its three scratch arrays stay in the L1 cache. */
    private static final int EXP_CHUNK = 1024;
    /** 1.5 * 2^23: {@code (y + it) - it} is y rounded to the nearest integer, for |y| below 2^22. */
    private static final float ROUNDING = 12582912f;
    /** 2^23 + 127: the bits of {@code n + it} end with n + 127, the exponent field of 2^n. */
    private static final float EXPONENT_BIAS = 8388735f;

    /**
     * {@link #exp} of each value of {@code values[from, to)}, in place, with the very same bits, in loops that Java
     * 17's C2 turns into vector instructions (about 2 ns a value against 6 one by one). C2 does not vectorise
     * {@link #exp} itself (Math.floor and the float-to-int cast stay scalar), nor a loop that mixes float arithmetic
     * with float-int bit moves, nor one whose arrays are indexed from different offsets. So, a chunk at a time copied
     * into scratch arrays: a pass of float arithmetic alone (floor as round-to-nearest, minus 1 where that rounded
     * up), a pass from n to the bits of 2^n, and a pass of products.
     */
    public static void expInPlace(float[] values, int from, int to) {
        int size = Math.max(0, Math.min(EXP_CHUNK, to - from));
        float[] chunk = new float[size];
        float[] biased = new float[size];
        int[] powers = new int[size];
        for (int start = from; start < to; start += EXP_CHUNK) {
            int length = Math.min(EXP_CHUNK, to - start);
            System.arraycopy(values, start, chunk, 0, length);
            for (int i = 0; i < length; i++) {
                float x = Math.min(Math.max(chunk[i], -87f), 88f);
                float y = x * LOG2E + 0.5f;
                float rounded = (y + ROUNDING) - ROUNDING;
                // floor(y): where y rounded up, rounded - y is at least 2^-25 (y is a float sum with 0.5), so times
                // 2^30 it clamps to 1; elsewhere it is 0 or negative and clamps to 0.
                float n = rounded - Math.min(Math.max((rounded - y) * 0x1p30f, 0f), 1f);
                chunk[i] = reducedExp(x, n);
                biased[i] = n + EXPONENT_BIAS;
            }
            for (int i = 0; i < length; i++) {
                powers[i] = Float.floatToRawIntBits(biased[i]) << 23;
            }
            for (int i = 0; i < length; i++) {
                chunk[i] *= Float.intBitsToFloat(powers[i]);
            }
            System.arraycopy(chunk, 0, values, start, length);
        }
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

    /**
     * Each row's softmax of {@code in} into {@code out}, which may be {@code in} itself: every row shifted by its
     * maximum, one exp pass over the whole block (vectorised), then each row divided by its sum.
     */
    private static void rows(float[] in, int n, int c, float[] out) {
        for (int r = 0; r < n; r++) {
            int base = r * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, in[base + j]);
            }
            for (int j = 0; j < c; j++) {
                out[base + j] = in[base + j] - max;
            }
        }
        expInPlace(out, 0, n * c);
        for (int r = 0; r < n; r++) {
            int base = r * c;
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += out[base + j];
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
