package dev.moe.runtime.scoring;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.data.CsvSource;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * The check on the label cell of one input row for engines that hand over typed cells (Spark's rows): a label must
 * be one some expert of the mixture knows. Their feature cells follow the CSV reader's policy
 * ({@link CsvSource#feature}, through the saved encoding).
 */
public final class RowValues implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String labelColumn;
    /** The labels some expert knows, in the mixture's order, with their index there. */
    private final LinkedHashMap<String, Integer> known = new LinkedHashMap<>();

    /**
     * @param labelNames  the mixture's labels, in its order
     * @param labelColumn the column the labels are read from, for messages
     * @param known       the labels some expert of the mixture knows
     */
    public RowValues(List<String> labelNames, String labelColumn, Set<String> known) {
        this.labelColumn = labelColumn;
        for (int i = 0; i < labelNames.size(); i++) {
            if (known.contains(labelNames.get(i))) {
                this.known.put(labelNames.get(i), i);
            }
        }
    }

    /**
     * A label cell as the index of the mixture's label.
     *
     * @throws MoeException for an empty label and one no expert of the mixture knows (no weighting of the experts could
     *                      ever get it right)
     */
    public int label(Object cell, String where) {
        String label = cell == null ? "" : cell.toString().strip();
        if (label.isEmpty()) {
            throw new MoeException(where + "empty label in column '" + labelColumn + "'");
        }
        return label(label, where);
    }

    /** As {@link #label(Object, String)} for a label already read as text. */
    public int label(String label, String where) {
        Integer index = known.get(label);
        if (index == null && label.indexOf('\uFFFD') >= 0) {
            // Spark decodes a Latin-1 label ('café') to U+FFFD without a word: say why, not only "known to no expert".
            throw new MoeException(where + "column '" + labelColumn + "': label '" + label + "' holds U+FFFD, the mark of"
                    + " bytes that were not UTF-8 (a Latin-1 or Windows-1252 file?); save the input as UTF-8");
        }
        if (index == null) {
            throw new MoeException(where + "column '" + labelColumn + "': label '" + label
                    + "' is known to no expert of the mixture (they know: " + String.join(", ", known.keySet()) + ")");
        }
        return index;
    }
}
