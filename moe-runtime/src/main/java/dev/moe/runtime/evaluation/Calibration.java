package dev.moe.runtime.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * A model's reliability over all repeats' test rows: per confidence bin that holds any row, how confident the model
 * was there on average and how often it was right. Below the diagonal (accuracy under confidence) it is
 * over-confident.
 *
 * @param bins                     the bins with rows, from low confidence to high
 * @param expectedCalibrationError the rows' share-weighted mean of |accuracy - confidence| over the bins (Guo et al.
 *                                 2017): 0 for a perfectly calibrated model
 */
public record Calibration(List<Bin> bins, double expectedCalibrationError) {

    public Calibration {
        bins = List.copyOf(bins);
    }

    /**
     * @param low            the bin's lowest confidence
     * @param high           its highest
     * @param rows           test rows in it, all repeats together
     * @param meanConfidence their mean probability of the predicted label
     * @param accuracy       the share of them whose predicted label was right
     */
    public record Bin(double low, double high, int rows, double meanConfidence, double accuracy) { }

    public static Calibration of(Reliability counts) {
        List<Bin> bins = new ArrayList<>();
        int total = 0;
        for (int rows : counts.rows()) {
            total += rows;
        }
        double error = 0;
        for (int b = 0; b < Reliability.BINS; b++) {
            int rows = counts.rows()[b];
            if (rows == 0) {
                continue;
            }
            double confidence = counts.confidenceSum()[b] / rows;
            double accuracy = (double) counts.correct()[b] / rows;
            bins.add(new Bin((double) b / Reliability.BINS, (double) (b + 1) / Reliability.BINS, rows, confidence, accuracy));
            error += (double) rows / total * Math.abs(accuracy - confidence);
        }
        return new Calibration(bins, error);
    }
}
