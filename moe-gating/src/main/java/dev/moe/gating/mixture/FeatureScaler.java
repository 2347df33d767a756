package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;

/**
 * Standardises columns to zero mean and unit variance with statistics from training rows. A constant
 * column keeps scale 1 (it becomes all zeros) rather than dividing by zero.
 */
public record FeatureScaler(float[] means, float[] scales) {

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
        float[] v = rows.values();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                double x = v[r * c + j];
                sum[j] += x;
                sumSq[j] += x * x;
            }
        }
        float[] means = new float[c];
        float[] scales = new float[c];
        for (int j = 0; j < c; j++) {
            double mean = n == 0 ? 0 : sum[j] / n;
            double variance = n == 0 ? 0 : Math.max(0, sumSq[j] / n - mean * mean);
            double sd = Math.sqrt(variance);
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
