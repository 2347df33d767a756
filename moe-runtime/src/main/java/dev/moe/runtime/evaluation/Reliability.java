package dev.moe.runtime.evaluation;

import dev.moe.api.FloatMatrix;

/**
 * A model's calibration on some rows, as counts: the rows binned by confidence (the probability of the predicted
 * label) into ten bins of width 0.1, and per bin how many rows, how many were right and the summed confidence. Counts
 * rather than rates, so that repeats add up exactly. A calibrated model is right as often as it is confident.
 *
 * @param rows          per bin, rows whose confidence falls in it ([0.1 b, 0.1 (b + 1)), the last bin closed)
 * @param correct       per bin, those whose predicted label was the true one
 * @param confidenceSum per bin, the sum of their confidences
 */
public record Reliability(int[] rows, int[] correct, double[] confidenceSum) implements java.io.Serializable {

    public static final int BINS = 10;

    /** No rows yet: the start of a sum over blocks. */
    public static Reliability empty() {
        return new Reliability(new int[BINS], new int[BINS], new double[BINS]);
    }

    public static Reliability of(FloatMatrix probabilities, int[] labels) {
        int[] rows = new int[BINS];
        int[] correct = new int[BINS];
        double[] confidenceSum = new double[BINS];
        for (int r = 0; r < labels.length; r++) {
            int predicted = probabilities.argMaxOfRow(r);
            double confidence = probabilities.get(r, predicted);
            int bin = bin(confidence);
            rows[bin]++;
            correct[bin] += predicted == labels[r] ? 1 : 0;
            confidenceSum[bin] += confidence;
        }
        return new Reliability(rows, correct, confidenceSum);
    }

    static int bin(double confidence) {
        return Math.max(0, Math.min(BINS - 1, (int) Math.floor(confidence * BINS)));
    }

    /** Both together, bin by bin (e.g. the repeats of one model). */
    public Reliability plus(Reliability other) {
        int[] r = rows.clone();
        int[] c = correct.clone();
        double[] s = confidenceSum.clone();
        for (int b = 0; b < BINS; b++) {
            r[b] += other.rows[b];
            c[b] += other.correct[b];
            s[b] += other.confidenceSum[b];
        }
        return new Reliability(r, c, s);
    }
}
