package dev.moe.runtime.data;

import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Objects;

/**
 * Labelled rows: a float matrix, a label index per row, and the names of both.
 *
 * @param name a short description for reports (file name or generator)
 */
public record Dataset(String name, FloatMatrix features, int[] labels, List<String> featureNames, List<String> labelNames) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        featureNames = List.copyOf(featureNames);
        labelNames = List.copyOf(labelNames);
        if (labels.length != features.rows() || featureNames.size() != features.columns()) {
            throw new IllegalArgumentException("inconsistent data set: " + features + ", " + labels.length
                    + " labels, " + featureNames.size() + " feature names");
        }
    }

    public int rows() {
        return features.rows();
    }

    /** The given rows, in order. */
    public Dataset subset(int[] rows) {
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = labels[rows[i]];
        }
        return new Dataset(name, features.selectRows(rows), y, featureNames, labelNames);
    }
}
