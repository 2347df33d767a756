package dev.moe.runtime.data;

import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Objects;

/**
 * Labelled rows: a float matrix, a label index per row, and the names of both.
 *
 * @param name a short description for reports (file name or generator)
 * @param text categorical columns still as text (their one-hot features are not in {@code features} yet; see
 *             {@link CategoricalEncoding}), or null when there are none
 * @param filled numeric columns (among {@code featureNames}) whose missing cells are NaN in {@code features}, to be
 *               filled once the rows a model is fitted on are known ({@code data.fill}); empty when none
 * @param unlabelled the file's rows left out for having no label ({@code data.unlabelled}), or null when none was
 */
public record Dataset(String name, FloatMatrix features, int[] labels, List<String> featureNames, List<String> labelNames,
                      TextColumns text, List<String> filled, Unlabelled unlabelled) {

    public Dataset(String name, FloatMatrix features, int[] labels, List<String> featureNames, List<String> labelNames,
                   TextColumns text, List<String> filled) {
        this(name, features, labels, featureNames, labelNames, text, filled, null);
    }

    public Dataset(String name, FloatMatrix features, int[] labels, List<String> featureNames, List<String> labelNames) {
        this(name, features, labels, featureNames, labelNames, null, List.of());
    }

    public Dataset(String name, FloatMatrix features, int[] labels, List<String> featureNames, List<String> labelNames,
                   TextColumns text) {
        this(name, features, labels, featureNames, labelNames, text, List.of());
    }

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
        filled = filled == null ? List.of() : List.copyOf(filled);
        if (!featureNames.containsAll(filled)) {
            throw new IllegalArgumentException("filled columns " + filled + " not all among the features " + featureNames);
        }
        if (text != null && text.names().isEmpty()) {
            text = null;
        }
        if (text != null && text.cells()[0].length != labels.length) {
            throw new IllegalArgumentException("inconsistent data set: " + text.cells()[0].length + " text rows, " + labels.length + " labels");
        }
    }

    /** Whether categorical columns wait to be encoded ({@link CategoricalEncoding#fit}); a model reads none of them yet. */
    public boolean hasText() {
        return text != null;
    }

    /**
     * Whether the rows need {@link CategoricalEncoding#fit} before a model reads them: categorical columns to encode,
     * or numeric ones with gaps to fill.
     */
    public boolean needsEncoding() {
        return text != null || !filled.isEmpty();
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
        return new Dataset(name, features.selectRows(rows), y, featureNames, labelNames, text == null ? null : text.subset(rows), filled,
                unlabelled);
    }
}
