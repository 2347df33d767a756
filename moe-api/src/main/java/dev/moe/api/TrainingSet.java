package dev.moe.api;

import java.util.List;
import java.util.Objects;

/**
 * Labelled rows handed to a provider that trains an expert.
 *
 * @param features   rows x featureNames.size()
 * @param labels     per row, an index into {@code labelNames}
 * @param featureNames the names of the feature columns, in order
 * @param labelNames the label space the expert should predict (may include labels absent from these rows); the
 *                   expert may answer with only the labels it saw, named from this list: the runtime aligns experts
 *                   by label name and gives the others probability 0
 */
public record TrainingSet(FloatMatrix features, int[] labels, List<String> featureNames, List<String> labelNames) {

    /**
     * Copies the name lists and checks that the shapes agree and that every label indexes {@code labelNames}.
     * {@code features} and {@code labels} are kept, not copied.
     *
     * @param features     rows x featureNames.size()
     * @param labels       per row, an index into {@code labelNames}
     * @param featureNames the names of the feature columns, in order
     * @param labelNames   the label space the expert should predict
     */
    public TrainingSet {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        featureNames = List.copyOf(featureNames);
        labelNames = List.copyOf(labelNames);
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException(features.rows() + " feature rows but " + labels.length + " labels");
        }
        if (featureNames.size() != features.columns()) {
            throw new IllegalArgumentException(
                    features.columns() + " feature columns but " + featureNames.size() + " feature names");
        }
        for (int label : labels) {
            if (label < 0 || label >= labelNames.size()) {
                throw new IllegalArgumentException("label index " + label + " outside 0.." + (labelNames.size() - 1));
            }
        }
    }

    /** {@return the number of labelled rows} */
    public int rows() {
        return features.rows();
    }
}
