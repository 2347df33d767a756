package dev.moe.runtime.experiment;

import dev.moe.api.FloatMatrix;

/** Figures computed from probability rows and true labels. */
public final class Metrics {

    private Metrics() {
    }

    /** Share of rows whose most probable label is the true one. */
    public static double accuracy(FloatMatrix probabilities, int[] labels) {
        if (probabilities.rows() != labels.length) {
            throw new IllegalArgumentException(probabilities.rows() + " predictions for " + labels.length + " labels");
        }
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            correct += probabilities.argMaxOfRow(r) == labels[r] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) correct / labels.length;
    }
}
