package dev.moe.gating.mixture;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An expert seen through the mixture's feature and label spaces: it reads the data set's columns it
 * names (selected and ordered by name) and answers in the data set's label order, with probability 0
 * for labels it never saw.
 */
public final class AlignedExpert {

    private final Expert expert;
    private final int[] featureColumns;
    private final int[] labelColumns;
    private final int datasetLabelCount;
    private final boolean identityFeatures;
    /** Whether the expert's labels are the data set's, in the same order (no column to move). */
    private final boolean identityLabels;

    private AlignedExpert(Expert expert, int[] featureColumns, int[] labelColumns, int datasetLabelCount, boolean identityFeatures) {
        this.expert = expert;
        this.featureColumns = featureColumns;
        this.labelColumns = labelColumns;
        this.datasetLabelCount = datasetLabelCount;
        this.identityFeatures = identityFeatures;
        boolean identity = labelColumns.length == datasetLabelCount;
        for (int j = 0; identity && j < labelColumns.length; j++) {
            identity = labelColumns[j] == j;
        }
        this.identityLabels = identity;
    }

    /**
     * @throws ExpertException naming the features the data set lacks, or when the expert shares no label with it
     */
    public static AlignedExpert align(Expert expert, List<String> datasetFeatures, List<String> datasetLabels) {
        Objects.requireNonNull(expert, "expert");
        if (expert.featureNames() == null || expert.labelNames() == null) {
            // A plugin's bug, named here: it was an internal error about moe's own code.
            throw new ExpertException("expert '" + expert.id() + "' (" + expert.getClass().getName() + ") gives no "
                    + (expert.featureNames() == null ? "feature" : "label") + " names (null)");
        }
        Map<String, Integer> featureIndex = indexOf(datasetFeatures);
        List<String> missing = new ArrayList<>();
        int[] features = new int[expert.featureNames().size()];
        for (int i = 0; i < features.length; i++) {
            Integer column = lookUp(featureIndex, expert.featureNames().get(i));
            if (column == null) {
                missing.add("'" + expert.featureNames().get(i) + "'"); // quoted: a stray space is then visible
            } else {
                features[i] = column;
            }
        }
        if (!missing.isEmpty()) {
            throw new ExpertException("expert '" + expert.id() + "' reads features the data set lacks: "
                    + String.join(", ", missing) + " (data set has: " + String.join(", ", datasetFeatures) + ")");
        }
        Map<String, Integer> labelIndex = indexOf(datasetLabels);
        int[] labels = new int[expert.labelNames().size()];
        boolean anyKnown = false;
        for (int i = 0; i < labels.length; i++) {
            // A label the data set does not have is dropped: that probability mass predicts no class here.
            Integer label = lookUp(labelIndex, expert.labelNames().get(i));
            labels[i] = label == null ? -1 : label;
            anyKnown |= labels[i] >= 0;
        }
        if (!anyKnown) {
            throw new ExpertException("expert '" + expert.id() + "' predicts labels " + expert.labelNames()
                    + ", none of which the data set has (" + String.join(", ", datasetLabels) + ")");
        }
        boolean identity = features.length == datasetFeatures.size();
        for (int i = 0; identity && i < features.length; i++) {
            identity = features[i] == i;
        }
        return new AlignedExpert(expert, features, labels, datasetLabels.size(), identity);
    }

    /**
     * The column of {@code name}, or else of its trimmed form: moe trims a CSV header's cells, and Tribuo's CSV
     * loader does not, so a Tribuo model trained on {@code "sepalwidth ,..."} reads "sepalwidth " where moe has
     * "sepalwidth".
     */
    private static Integer lookUp(Map<String, Integer> index, String name) {
        Integer column = index.get(name);
        return column != null ? column : index.get(name.strip());
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        return index;
    }

    public Expert expert() {
        return expert;
    }

    public String id() {
        return expert.id();
    }

    int datasetLabelCount() {
        return datasetLabelCount;
    }

    /** The data set's rows as this expert reads them (its columns, in its order). */
    FloatMatrix expertFeatures(FloatMatrix datasetRows) {
        return identityFeatures ? datasetRows : datasetRows.selectColumns(featureColumns);
    }

    /** Probabilities in the data set's label order for a block of the data set's rows. */
    public FloatMatrix predict(FloatMatrix datasetRows) {
        FloatMatrix own = expert.predict(expertFeatures(datasetRows));
        return toDatasetLabels(own, datasetRows.rows());
    }

    FloatMatrix toDatasetLabels(FloatMatrix own, int expectedRows) {
        if (own == null) {
            throw new ExpertException("expert '" + expert.id() + "' returned no probabilities (null) for " + expectedRows + " rows");
        }
        if (own.rows() != expectedRows || own.columns() != labelColumns.length) {
            throw new ExpertException("expert '" + expert.id() + "' returned " + own.rows() + "x" + own.columns()
                    + " probabilities for " + expectedRows + " rows and " + labelColumns.length + " labels");
        }
        float[] in = own.values();
        int c = labelColumns.length;
        checkProbabilities(in, expectedRows, c);
        float[] out = new float[expectedRows * datasetLabelCount];
        for (int r = 0; r < expectedRows; r++) {
            for (int j = 0; j < c; j++) {
                if (labelColumns[j] >= 0) {
                    out[r * datasetLabelCount + labelColumns[j]] = in[r * c + j];
                }
            }
        }
        return new FloatMatrix(expectedRows, datasetLabelCount, out);
    }

    /**
     * {@link #toDatasetLabels}, but {@code own} itself (checked all the same) when the expert's labels are the data set's
     * in the same order: for a caller that only reads the result, as joint training does every step.
     */
    FloatMatrix toDatasetLabelsShared(FloatMatrix own, int expectedRows) {
        if (!identityLabels || own == null) {
            return toDatasetLabels(own, expectedRows); // a null throws, naming the expert
        }
        if (own.rows() != expectedRows || own.columns() != labelColumns.length) {
            return toDatasetLabels(own, expectedRows); // throws, naming the shapes
        }
        checkProbabilities(own.values(), expectedRows, labelColumns.length);
        return own;
    }

    /** How far a row's sum may stray from 1 (float rounding of a softmax over many labels stays far below). */
    static final float SUM_TOLERANCE = 1e-3f;

    /**
     * The boundary check of every expert's output: each value finite and non-negative, each row summing to 1 within
     * {@link #SUM_TOLERANCE}. A plugin's NaN or a row summing to 3 would otherwise flow silently into the mixture.
     *
     * @throws ExpertException naming the expert, the row (counted among the rows it was given, from 1) and its values
     */
    void checkProbabilities(float[] values, int rows, int columns) {
        for (int r = 0; r < rows; r++) {
            float sum = 0;
            String problem = null;
            for (int j = 0; j < columns && problem == null; j++) {
                float v = values[r * columns + j];
                if (!Float.isFinite(v)) {
                    problem = "probability of '" + expert.labelNames().get(j) + "' is " + v;
                } else if (v < 0) {
                    problem = "probability of '" + expert.labelNames().get(j) + "' is negative (" + v + ")";
                }
                sum += v;
            }
            if (problem == null && !(Math.abs(sum - 1f) <= SUM_TOLERANCE)) {
                problem = "its probabilities sum to " + sum + ", not 1";
            }
            if (problem != null) {
                StringBuilder row = new StringBuilder();
                for (int j = 0; j < Math.min(columns, 8); j++) {
                    row.append(j == 0 ? "" : ", ").append(values[r * columns + j]);
                }
                throw new ExpertException("expert '" + expert.id() + "' returned an invalid probability row (row " + (r + 1) + " of the "
                        + rows + " it scored): " + problem + " [" + row + (columns > 8 ? ", ..." : "") + "]");
            }
        }
    }

    /** The inverse of {@link #toDatasetLabels} for gradients: data set label order to the expert's own. */
    FloatMatrix toExpertLabels(FloatMatrix datasetGradient) {
        if (identityLabels) {
            return datasetGradient;
        }
        int n = datasetGradient.rows();
        int c = labelColumns.length;
        float[] out = new float[n * c];
        float[] in = datasetGradient.values();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                if (labelColumns[j] >= 0) {
                    out[r * c + j] = in[r * datasetLabelCount + labelColumns[j]];
                }
            }
        }
        return new FloatMatrix(n, c, out);
    }

    /** The same alignment around another expert with the same features and labels (e.g. a fine-tuned copy). */
    AlignedExpert withExpert(Expert replacement) {
        return new AlignedExpert(replacement, featureColumns, labelColumns, datasetLabelCount, identityFeatures);
    }
}
