package dev.moe.runtime.data;

import java.util.List;
import java.util.Objects;

/**
 * A data set's categorical columns as read, before encoding: each column's name, its place among the file's feature
 * columns, and its cells as text (stripped; a missing value as it was written).
 *
 * @param names     the columns, in file order
 * @param positions each column's index among the feature columns (numeric and categorical together), ascending
 * @param cells     {@code cells[k][row]}: the k-th column's cell in that row
 */
public record TextColumns(List<String> names, int[] positions, String[][] cells) {

    public TextColumns {
        names = List.copyOf(names);
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(cells, "cells");
        if (positions.length != names.size() || cells.length != names.size()) {
            throw new IllegalArgumentException(names.size() + " names, " + positions.length + " positions, " + cells.length + " columns");
        }
    }

    /** The given rows, in order. */
    TextColumns subset(int[] rows) {
        String[][] picked = new String[cells.length][rows.length];
        for (int k = 0; k < cells.length; k++) {
            for (int i = 0; i < rows.length; i++) {
                picked[k][i] = cells[k][rows[i]];
            }
        }
        return new TextColumns(names, positions, picked);
    }
}
