package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;

/**
 * Standardises columns to zero mean and unit variance with statistics from training rows. A constant
 * column keeps scale 1 (it becomes all zeros) rather than dividing by zero. A column of 0s and 1s only (a one-hot
 * level, a fill's column=missing indicator) is centred and divided by 0.5, the deviation of a balanced one, rather
 * than by its own: its 0 and 1 stay 2 apart, as a balanced column's are, where a level in 1 of n rows would otherwise
 * be about sqrt(n) on that row (15 in 241), and many such columns drown the measurements (penguins_raw's 190 bird
 * IDs took an MLP from 0.99 to 0.63).
 */
public record FeatureScaler(float[] means, float[] scales) {

    /** The scale of a column of 0s and 1s: the standard deviation of a balanced one. */
    public static final float BINARY_SCALE = 0.5f;

    public FeatureScaler {
        if (means.length != scales.length) {
            throw new IllegalArgumentException(means.length + " means but " + scales.length + " scales");
        }
        means = means.clone();
        scales = scales.clone();
    }

    public static FeatureScaler fit(FloatMatrix rows) {
        int n = rows.rows();
        int c = rows.columns();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        boolean[] binary = new boolean[c];
        java.util.Arrays.fill(binary, true);
        float[] v = rows.values();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                double x = v[r * c + j];
                sum[j] += x;
                sumSq[j] += x * x;
                binary[j] &= x == 0 || x == 1;
            }
        }
        float[] means = new float[c];
        float[] scales = new float[c];
        for (int j = 0; j < c; j++) {
            double mean = n == 0 ? 0 : sum[j] / n;
            double variance = n == 0 ? 0 : Math.max(0, sumSq[j] / n - mean * mean);
            double sd = binary[j] && variance > 0 ? BINARY_SCALE : Math.sqrt(variance);
            means[j] = (float) mean;
            scales[j] = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? (float) sd : 1f;
        }
        return new FeatureScaler(means, scales);
    }

    public static FeatureScaler identity(int columns) {
        float[] ones = new float[columns];
        java.util.Arrays.fill(ones, 1f);
        return new FeatureScaler(new float[columns], ones);
    }

    public int columns() {
        return means.length;
    }

    public FloatMatrix apply(FloatMatrix rows) {
        if (rows.columns() != means.length) {
            throw new IllegalArgumentException("expected " + means.length + " columns, got " + rows.columns());
        }
        int c = means.length;
        float[] in = rows.values();
        float[] out = new float[in.length];
        // Row by row rather than a remainder per value: fine-tuned experts scale their rows every step.
        for (int base = 0; base < in.length; base += c) {
            for (int j = 0; j < c; j++) {
                out[base + j] = (in[base + j] - means[j]) / scales[j];
            }
        }
        return new FloatMatrix(rows.rows(), c, out);
    }
}
