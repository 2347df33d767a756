package dev.moe.runtime.scoring;

import dev.moe.runtime.MoeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a saved mixture's columns in an input by name, for every engine (a CSV header, a Spark DataFrame's columns):
 * the features in any order, other columns ignored, a missing or doubled feature refused with one line. Names are
 * compared without surrounding spaces: moe's CSV reader strips a header's cells, while Tribuo's CSVLoader keeps them,
 * so a mixture trained from Java on iris.csv ('sepalwidth ') must still find its columns in that same file.
 */
public final class InputColumns {

    private InputColumns() {
    }

    /**
     * The header index of each of the mixture's features, in the mixture's order.
     *
     * @param source names the input in messages (a file name, "the input")
     * @throws MoeException naming the input and every feature it lacks
     */
    public static int[] features(String source, List<String> header, List<String> features) {
        Map<String, Integer> index = new HashMap<>();
        List<String> wanted = features.stream().map(String::strip).toList();
        for (int j = 0; j < header.size(); j++) {
            String name = header.get(j).strip();
            Integer previous = index.put(name, j);
            if (previous != null && wanted.contains(name)) {
                throw new MoeException(source + ": column '" + name + "' appears twice in the header");
            }
        }
        int[] columns = new int[features.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            Integer j = index.get(wanted.get(i));
            if (j == null) {
                missing.add(features.get(i));
            } else {
                columns[i] = j;
            }
        }
        if (!missing.isEmpty()) {
            throw new MoeException(source + ": no column" + (missing.size() == 1 ? " '" : "s '") + String.join("', '", missing)
                    + "' in the header; the model reads " + features.size() + " columns (" + String.join(", ", features)
                    + "), the file has " + String.join(", ", header));
        }
        return columns;
    }

    /**
     * The header index of the label column the mixture was trained with.
     *
     * @throws MoeException naming the input when it has no such column
     */
    public static int label(String source, List<String> header, String labelColumn) {
        int column = -1;
        for (int j = 0; j < header.size() && column < 0; j++) {
            column = header.get(j).strip().equals(labelColumn.strip()) ? j : -1;
        }
        if (column < 0) {
            throw new MoeException(source + ": no label column '" + labelColumn + "' in the header (" + String.join(", ", header)
                    + "); the saved mixture was trained with that label column");
        }
        return column;
    }
}
