package dev.moe.library;

import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Objects;

/**
 * A mixture's answer for a block of rows: a new one per {@link Mixture#predict} call, its matrices not copied when
 * read ({@link FloatMatrix} shares its array), so treat them as read-only.
 *
 * @param labelNames    the labels, in the order of {@code probabilities}' columns
 * @param expertIds     the experts, in the order of {@code weights}' columns
 * @param probabilities rows x labels, each row summing to 1
 * @param weights       rows x experts: the weight each expert got in each row (0: not consulted)
 */
public record Predictions(List<String> labelNames, List<String> expertIds, FloatMatrix probabilities, FloatMatrix weights) {

    /**
     * Checks that the shapes agree with the names.
     *
     * @param labelNames    the labels, in the order of {@code probabilities}' columns
     * @param expertIds     the experts, in the order of {@code weights}' columns
     * @param probabilities rows x labels
     * @param weights       rows x experts
     */
    public Predictions {
        labelNames = List.copyOf(labelNames);
        expertIds = List.copyOf(expertIds);
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(weights, "weights");
        if (probabilities.columns() != labelNames.size() || weights.columns() != expertIds.size()
                || probabilities.rows() != weights.rows()) {
            throw new IllegalArgumentException("probabilities " + probabilities + " and weights " + weights + " for "
                    + labelNames.size() + " labels and " + expertIds.size() + " experts");
        }
    }

    /** {@return how many rows were predicted} */
    public int rows() {
        return probabilities.rows();
    }

    /**
     * A row's predicted label.
     *
     * @param row a row of the block predicted
     * @return the most probable label of that row (the first of equals)
     * @throws IndexOutOfBoundsException when the row is not one of {@link #rows()}
     */
    public String label(int row) {
        return labelNames.get(probabilities.argMaxOfRow(checkRow(row)));
    }

    /**
     * A row's probability of a label.
     *
     * @param row   a row of the block predicted
     * @param label one of {@link #labelNames()}
     * @return the mixture's probability of that label in that row
     * @throws IndexOutOfBoundsException when the row is not one of {@link #rows()}
     * @throws IllegalArgumentException  when the label is not one of {@link #labelNames()}
     */
    public float probability(int row, String label) {
        checkRow(row);
        int column = labelNames.indexOf(label);
        if (column < 0) {
            throw new IllegalArgumentException("unknown label '" + label + "'; labels: " + labelNames);
        }
        return probabilities.get(row, column);
    }

    /** FloatMatrix checks the flat array only: a row past the end would read the next one's values, or fail with their index. */
    private int checkRow(int row) {
        if (row < 0 || row >= rows()) {
            throw new IndexOutOfBoundsException("row " + row + " of predictions for " + rows() + " rows");
        }
        return row;
    }
}
