package dev.moe.runtime.evaluation;

import java.util.List;

/**
 * One model's figures on one set of test rows.
 *
 * @param confusion rows: true label, columns: predicted label, in the data set's label order
 * @param logLoss   mean negative log-probability of the true label (probabilities clipped at 1e-15)
 * @param reliability the rows binned by confidence, with how many were right: the model's calibration
 */
public record ClassificationMetrics(
        double accuracy,
        double macroF1,
        double weightedF1,
        double logLoss,
        List<ClassMetrics> perClass,
        int[][] confusion,
        Reliability reliability) {

    public ClassificationMetrics {
        perClass = List.copyOf(perClass);
    }

    /** Precision, recall and F1 of one label, and how many test rows carry it. */
    public record ClassMetrics(String label, double precision, double recall, double f1, int support) { }
}
