package dev.moe.runtime.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows of a labelled file left out because their label cell means "no label" ({@code data.unlabelled}: R's
 * {@code NA}, a blank cell): how many, with which texts, and the lines of the first few.
 *
 * @param rows       how many rows were left out
 * @param texts      the label texts they had, in the order first met ({@code ""}: a blank cell)
 * @param firstLines the line numbers of the first {@link #SHOWN} of them
 */
public record Unlabelled(long rows, List<String> texts, List<Integer> firstLines) {

    /** Lines named in the warning; the count says how many more there were. */
    public static final int SHOWN = 3;

    public Unlabelled {
        texts = List.copyOf(texts);
        firstLines = List.copyOf(firstLines);
    }

    /** The one warning line, e.g. {@code car90.csv: 6 rows without a label ('NA') left out (data.unlabelled): lines 12, 40, 77, ...}. */
    public String warning(String file) {
        String lines = firstLines.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return file + ": " + rows + (rows == 1 ? " row" : " rows") + " without a label ("
                + texts.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + ") left out (data.unlabelled): "
                + (rows == 1 ? "line " : "lines ") + lines + (rows > firstLines.size() ? ", ..." : "");
    }

    /** Counts the rows as a reader meets them. Not thread-safe. */
    static final class Counter {

        private long rows;
        private final LinkedHashSet<String> texts = new LinkedHashSet<>();
        private final List<Integer> lines = new ArrayList<>();

        void add(String text, int line) {
            rows++;
            texts.add(text);
            if (lines.size() < SHOWN) {
                lines.add(line);
            }
        }

        /** What was counted, or null when no row was left out. */
        Unlabelled result() {
            return rows == 0 ? null : new Unlabelled(rows, new ArrayList<>(texts), lines);
        }
    }
}
