package dev.moe.runtime.data;

import dev.moe.api.FloatMatrix;
import dev.moe.api.MissingCells;
import dev.moe.runtime.MoeException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One-hot encoding of categorical columns, and filling of numeric ones with gaps: how the columns of an input
 * (numeric, filled and categorical, in file order) become the features a mixture reads. A numeric column is one
 * feature; a categorical column one feature per level, named {@code column=level}, 1 for the row's level and 0 for
 * the others. The levels are those of the rows a model is fitted on ({@link #fit}), ordered as labels are
 * (numerically when all are numbers, else alphabetically). A missing cell (blank, NA, ?, ...: {@link MissingCells})
 * and a level not seen in fitting encode as all zeros ("none of the known levels") and are counted in a {@link Tally}.
 * A filled numeric column ({@code data.fill}) is two features: its value, a missing cell taking the median of the
 * fitted rows' values, and {@code column=missing}, 1 where the cell was missing and 0 elsewhere; filled cells are
 * counted in the {@link Tally} too. Immutable; serializable for Spark's tasks.
 */
public final class CategoricalEncoding implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * An input column: numeric (no levels, no median), categorical (levels) or filled numeric (a median).
     *
     * @param name   its name in the input's header
     * @param levels a categorical column's levels, in feature order; null for a numeric column
     * @param median a filled numeric column's value for a missing cell (a float's value); null for the others
     */
    public record Column(String name, List<String> levels, Double median) implements Serializable {

        /** A numeric column (levels null) or a categorical one. */
        public Column(String name, List<String> levels) {
            this(name, levels, null);
        }

        public Column {
            Objects.requireNonNull(name, "name");
            levels = levels == null ? null : List.copyOf(levels);
            if (levels != null && median != null) {
                throw new IllegalArgumentException("column '" + name + "': either categorical or filled, not both");
            }
            if (median != null && !Double.isFinite(median)) {
                throw new IllegalArgumentException("column '" + name + "': median " + median + " is not a finite number");
            }
        }

        /** A numeric column whose missing cells take {@code median}. */
        public static Column filled(String name, double median) {
            return new Column(name, null, median);
        }

        public boolean categorical() {
            return levels != null;
        }

        /** Whether this is a numeric column whose missing cells are filled. */
        public boolean filled() {
            return median != null;
        }

        /** The features it gives, in order. */
        public List<String> features() {
            return java.util.stream.IntStream.range(0, width()).mapToObj(this::feature).toList();
        }

        /** How many features it gives. */
        public int width() {
            return categorical() ? levels.size() : filled() ? 2 : 1;
        }

        /** Its k-th feature: {@code column=level}, or a filled column's value then {@code column=missing}. */
        String feature(int k) {
            return categorical() ? featureName(name, levels.get(k)) : k == 0 ? name : missingFeature(name);
        }
    }

    /** The input columns, in the order their features take. */
    private final List<Column> columns;
    /** The features they give, in order. */
    private final List<String> featureNames;
    /** For each categorical column (in order), its level's feature index offset by level. */
    private final List<HashMap<String, Integer>> levelIndex = new ArrayList<>();
    /**
     * For each categorical column, its numeric levels by value (-1: two levels of one value), for typed cells: a
     * Spark or Parquet double 6.0, whose text is "6.0", is the level "6" that the CSV's text gave.
     */
    private final List<HashMap<Double, Integer>> levelByValue = new ArrayList<>();

    private CategoricalEncoding(List<Column> columns) {
        this.columns = List.copyOf(columns);
        List<String> names = new ArrayList<>();
        for (Column c : this.columns) {
            if (c.categorical()) {
                HashMap<String, Integer> index = new HashMap<>();
                HashMap<Double, Integer> byValue = new HashMap<>();
                for (String level : c.levels()) {
                    Double value = numberOf(level);
                    if (value != null && byValue.putIfAbsent(value, index.size()) != null) {
                        byValue.put(value, -1);
                    }
                    index.put(level, index.size());
                    names.add(featureName(c.name(), level));
                }
                levelIndex.add(index);
                levelByValue.add(byValue);
            } else {
                names.addAll(c.features());
            }
        }
        this.featureNames = List.copyOf(names);
    }

    /** A level's value when it is a finite number (0 for -0), else null. */
    private static Double numberOf(String level) {
        try {
            double v = Double.parseDouble(level);
            return Double.isFinite(v) ? v + 0.0 : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The feature of one level of a categorical column. */
    public static String featureName(String column, String level) {
        return column + "=" + level;
    }

    /** The indicator feature of a filled column: 1 where the cell was missing ({@code column=missing}). */
    public static String missingFeature(String column) {
        return featureName(column, "missing");
    }

    /** No categorical columns: the input's columns are the features. */
    public static CategoricalEncoding none(List<String> featureNames) {
        return new CategoricalEncoding(featureNames.stream().map(n -> new Column(n, null)).toList());
    }

    /**
     * The encoding a saved mixture records: its features, and each categorical column with its levels and each filled
     * column with its median ({@code encoded}, any other column numeric). The columns' order is found from the
     * features (each categorical column's {@code column=level} block, each filled column's {@code column,
     * column=missing} pair); a categorical column without levels (every fitted cell missing) gives no feature and is
     * read last.
     *
     * @throws IllegalArgumentException when a column's block is not among the features
     */
    public static CategoricalEncoding of(List<String> featureNames, List<Column> encoded) {
        List<Column> columns = new ArrayList<>();
        List<Column> unplaced = new ArrayList<>(encoded);
        for (int i = 0; i < featureNames.size(); ) {
            Column found = null;
            for (Column c : unplaced) {
                if (matches(c, featureNames, i)) {
                    found = c;
                    break;
                }
            }
            if (found != null) {
                columns.add(found);
                unplaced.remove(found);
                i += found.width();
            } else {
                columns.add(new Column(featureNames.get(i), null));
                i++;
            }
        }
        for (Column c : unplaced) {
            if (c.width() > 0) {
                throw new IllegalArgumentException((c.filled() ? "filled column '" + c.name() + "': its features ('"
                        + c.name() + "', '" + missingFeature(c.name()) + "') are" : "categorical column '" + c.name()
                        + "': its levels' features are") + " not among the features");
            }
            columns.add(c);
        }
        return new CategoricalEncoding(columns);
    }

    /** Whether the column's features start at {@code at}; checked feature by feature (a column may have many levels). */
    private static boolean matches(Column c, List<String> featureNames, int at) {
        int width = c.width();
        if (width == 0 || at + width > featureNames.size()) {
            return false;
        }
        for (int k = 0; k < width; k++) {
            if (!featureNames.get(at + k).equals(c.feature(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The encoding of a data set's categorical columns ({@link Dataset#text()}) with the levels of the given rows only,
     * and of its filled columns ({@link Dataset#filled()}) with the median of the given rows' values: the rows a model
     * is fitted on, never the test rows.
     *
     * @throws MoeException when a level's or an indicator's feature name is already another feature's
     */
    public static CategoricalEncoding fit(Dataset raw, int[] rows) {
        List<Column> columns = new ArrayList<>();
        TextColumns text = raw.text();
        int numeric = 0;
        int total = raw.featureNames().size() + (text == null ? 0 : text.names().size());
        for (int position = 0, k = 0; position < total; position++) {
            if (text != null && k < text.positions().length && text.positions()[k] == position) {
                Set<String> levels = new HashSet<>();
                int cells = 0;
                for (int row : rows) {
                    String cell = text.cells()[k][row];
                    if (!MissingCells.isMissing(cell)) {
                        levels.add(cell);
                        cells++;
                    }
                }
                if (levels.size() >= IDENTIFIER_LEVELS && levels.size() > 0.9 * cells) {
                    // An id (or a measurement under [all]): a feature per row, minutes and gigabytes, and nothing a new
                    // row's level can match. 10,000 ids took 5.5 minutes and 6 GB before this.
                    throw new MoeException(raw.name() + ": categorical column '" + text.names().get(k) + "' has " + levels.size()
                            + " levels in " + cells + " rows, nearly one per row: an identifier or a measurement, not categories"
                            + " (one-hot would give " + levels.size() + " features that no new row's level matches); add it to"
                            + " data.ignore, or leave it out of data.categorical to read it as numbers");
                }
                columns.add(new Column(text.names().get(k), CsvSource.orderedLabels(levels)));
                k++;
            } else {
                String name = raw.featureNames().get(numeric);
                columns.add(raw.filled().contains(name) ? Column.filled(name, median(raw.features(), numeric, rows))
                        : new Column(name, null));
                numeric++;
            }
        }
        CategoricalEncoding encoding = new CategoricalEncoding(columns);
        Set<String> seen = new HashSet<>();
        for (String name : encoding.featureNames) {
            if (!seen.add(name)) {
                boolean indicator = encoding.filled().stream().anyMatch(c -> missingFeature(c.name()).equals(name));
                throw new MoeException(raw.name() + ": feature '" + name + "' twice: " + (indicator
                        ? "a filled column's indicator (column=missing)" : "a categorical column's level")
                        + " is named as another column is; rename that column");
            }
        }
        return encoding;
    }

    /**
     * The median of a column's values (NaN: missing, skipped) over the given rows, as a float's value: the middle one,
     * or the mean of the two middle ones; 0 when every cell is missing (the indicator then says it on every row).
     */
    static double median(FloatMatrix features, int column, int[] rows) {
        float[] values = new float[rows.length];
        int n = 0;
        int width = features.columns();
        float[] all = features.values();
        for (int row : rows) {
            float v = all[row * width + column];
            if (!Float.isNaN(v)) {
                values[n++] = v;
            }
        }
        if (n == 0) {
            return 0;
        }
        java.util.Arrays.sort(values, 0, n);
        double middle = n % 2 == 1 ? values[n / 2] : ((double) values[n / 2 - 1] + values[n / 2]) / 2;
        return (float) middle;
    }

    /** A categorical column with at least this many levels, nearly one per row, is refused as an identifier. */
    static final int IDENTIFIER_LEVELS = 100;

    /** The features, in the order a mixture reads them. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The columns an input needs, numeric and categorical, in feature order. */
    public List<String> inputColumns() {
        return columns.stream().map(Column::name).toList();
    }

    /** Every input column, in feature order. */
    public List<Column> columns() {
        return columns;
    }

    /** The categorical columns with their levels, in order. */
    public List<Column> categorical() {
        return columns.stream().filter(Column::categorical).toList();
    }

    /** The filled numeric columns with their medians, in order. */
    public List<Column> filled() {
        return columns.stream().filter(Column::filled).toList();
    }

    /** The columns that are not plain numbers (categorical and filled), in order: what a saved mixture records. */
    public List<Column> encoded() {
        return columns.stream().filter(c -> c.categorical() || c.filled()).toList();
    }

    /** Whether every column is numeric without gaps (the features are the input's columns). */
    public boolean isIdentity() {
        return columns.stream().noneMatch(c -> c.categorical() || c.filled());
    }

    /**
     * For each of {@link #numericInputs()}, whether its missing cells are filled (a reader passes them on as NaN,
     * {@link CsvSource.Rows#next(int, int[], int, int[], boolean[])}).
     */
    public boolean[] fillableInputs() {
        int[] numeric = numericInputs();
        boolean[] fillable = new boolean[numeric.length];
        for (int i = 0; i < numeric.length; i++) {
            fillable[i] = columns.get(numeric[i]).filled();
        }
        return fillable;
    }

    /** The input columns that are numeric, as indices into {@link #inputColumns()}. */
    public int[] numericInputs() {
        return java.util.stream.IntStream.range(0, columns.size()).filter(j -> !columns.get(j).categorical()).toArray();
    }

    /** The input columns that are categorical, as indices into {@link #inputColumns()}. */
    public int[] categoricalInputs() {
        return java.util.stream.IntStream.range(0, columns.size()).filter(j -> columns.get(j).categorical()).toArray();
    }

    /**
     * A data set with its categorical columns encoded and its gaps filled ({@link Dataset#text()} and
     * {@link Dataset#filled()} gone); cells outside the levels, and filled cells, counted.
     */
    public Dataset encode(Dataset raw, Tally tally) {
        FloatMatrix features = encode(raw.features(), raw.text() == null ? new String[0][] : raw.text().cells(), tally);
        return new Dataset(raw.name(), features, raw.labels(), featureNames, raw.labelNames());
    }

    /**
     * The features of a block of rows.
     *
     * @param numeric rows x the numeric input columns, in order; a filled column's missing cells NaN
     * @param cells   {@code cells[k][row]}: the k-th categorical column's cells, stripped
     * @param tally   counts the cells encoded as none of the known levels, and the filled ones
     */
    public FloatMatrix encode(FloatMatrix numeric, String[][] cells, Tally tally) {
        int rows = numeric.rows();
        int in = numeric.columns();
        int width = featureNames.size();
        float[] source = numeric.values();
        if ((long) rows * width > Integer.MAX_VALUE - 8) {
            throw new MoeException(rows + " rows of " + width + " features (" + (featureNames.size() - columns.size() + categorical().size())
                    + " of them from categorical levels) are too many to hold in one array: fewer rows (data.rows), or fewer levels");
        }
        float[] out = new float[rows * width];
        int at = 0;
        int n = 0;
        int k = 0;
        for (Column c : columns) {
            if (c.categorical()) {
                HashMap<String, Integer> index = levelIndex.get(k);
                String[] column = cells[k];
                for (int r = 0; r < rows; r++) {
                    Integer level = index.get(column[r]);
                    if (level != null) {
                        out[r * width + at + level] = 1f;
                    } else {
                        tally.count(c.name(), column[r]);
                    }
                }
                at += c.levels().size();
                k++;
            } else if (c.filled()) {
                float median = c.median().floatValue();
                long filled = 0;
                for (int r = 0; r < rows; r++) {
                    float v = source[r * in + n];
                    if (Float.isNaN(v)) {
                        out[r * width + at] = median;
                        out[r * width + at + 1] = 1f;
                        filled++;
                    } else {
                        out[r * width + at] = v;
                    }
                }
                tally.fill(c.name(), filled);
                at += 2;
                n++;
            } else {
                for (int r = 0; r < rows; r++) {
                    out[r * width + at] = source[r * in + n];
                }
                at++;
                n++;
            }
        }
        return new FloatMatrix(rows, width, out);
    }

    /**
     * One row given as typed cells (a Spark row's), in {@link #inputColumns()} order, into {@code into[at ...]}: a
     * numeric cell with the CSV reader's policy, a categorical one as text, or a number (a Spark double) as the
     * numeric level of its value when its text is not a level; a filled column's missing cell (null, NaN, or a
     * missing value's text) as its median, with its indicator.
     *
     * @param where put before a message, e.g. {@code "input partition 3: "}
     */
    public void encodeRow(Object[] cells, float[] into, int at, String where, Tally tally) {
        int k = 0;
        for (int j = 0; j < columns.size(); j++) {
            Column c = columns.get(j);
            if (c.categorical()) {
                String cell = cells[j] == null ? "" : cells[j].toString().strip();
                Integer level = levelIndex.get(k).get(cell);
                if (level == null && cells[j] instanceof Number number) {
                    level = levelByValue.get(k).get(number.doubleValue() + 0.0);
                    level = level == null || level < 0 ? null : level;
                }
                k++;
                int width = c.levels().size();
                java.util.Arrays.fill(into, at, at + width, 0f);
                if (level != null) {
                    into[at + level] = 1f;
                } else if (cell.indexOf('\uFFFD') >= 0) {
                    // Spark and most readers decode a Latin-1 byte to U+FFFD without a word: counted as an unseen level,
                    // 'café' would silently lose its level. The CSV reader refuses such bytes; so does this.
                    throw new MoeException(where + "column '" + c.name() + "': '" + cell + "' holds U+FFFD, the mark of bytes"
                            + " that were not UTF-8 (a Latin-1 or Windows-1252 file?), so its level cannot be known; save the"
                            + " input as UTF-8");
                } else {
                    tally.count(c.name(), cell);
                }
                at += width;
            } else if (c.filled()) {
                Object cell = cells[j];
                boolean missing = cell == null || cell instanceof Number number && Double.isNaN(number.doubleValue())
                        || !(cell instanceof Number) && MissingCells.isMissing(cell.toString());
                if (missing) {
                    into[at] = c.median().floatValue();
                    into[at + 1] = 1f;
                    tally.fill(c.name(), 1);
                } else {
                    into[at] = CsvSource.feature(cell, where, c.name());
                    into[at + 1] = 0f;
                }
                at += 2;
            } else {
                into[at++] = CsvSource.feature(cells[j], where, c.name());
            }
        }
    }

    /**
     * Categorical cells encoded as none of the known levels, by column: missing ones, and levels the fitting rows did
     * not have (with the first such value seen); and filled numeric cells, by column. Not thread-safe; {@link #add}
     * merges another's counts.
     */
    public static final class Tally implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Columns named one by one in {@link #summary()}; the rest are summed (soybean has 35). */
        static final int SHOWN = 6;

        private final LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
        private final HashMap<String, String> examples = new HashMap<>();
        /** Filled cells by filled column (a column appears once it was encoded, with 0 when none was missing). */
        private final LinkedHashMap<String, long[]> filled = new LinkedHashMap<>();

        void fill(String column, long cells) {
            filled.computeIfAbsent(column, x -> new long[1])[0] += cells;
        }

        void count(String column, String cell) {
            long[] c = counts.computeIfAbsent(column, x -> new long[2]);
            if (MissingCells.isMissing(cell)) {
                c[0]++;
            } else {
                c[1]++;
                examples.putIfAbsent(column, cell);
            }
        }

        /** Adds another tally's counts to this one's. */
        public synchronized void add(Tally other) {
            other.counts.forEach((column, c) -> {
                long[] mine = counts.computeIfAbsent(column, x -> new long[2]);
                mine[0] += c[0];
                mine[1] += c[1];
            });
            other.examples.forEach(examples::putIfAbsent);
            other.filled.forEach((column, c) -> fill(column, c[0]));
        }

        /**
         * The same counts with the columns in {@code columns}' order (others after): a reader that encodes row by row
         * (Spark's) meets them in another order than {@code moe predict}'s block by block, and should say the same line.
         */
        public synchronized Tally inOrderOf(List<String> columns) {
            Tally out = new Tally();
            for (String column : columns) {
                if (counts.containsKey(column)) {
                    out.counts.put(column, counts.get(column).clone());
                }
                if (filled.containsKey(column)) {
                    out.filled.put(column, filled.get(column).clone());
                }
            }
            counts.forEach((column, c) -> out.counts.putIfAbsent(column, c.clone()));
            filled.forEach((column, c) -> out.filled.putIfAbsent(column, c.clone()));
            out.examples.putAll(examples);
            return out;
        }

        /** How many cells of a filled column were missing, and took its median. */
        public long filled(String column) {
            long[] c = filled.get(column);
            return c == null ? 0 : c[0];
        }

        /** How many cells of the column were missing. */
        public long missing(String column) {
            long[] c = counts.get(column);
            return c == null ? 0 : c[0];
        }

        /** How many cells of the column held a level not seen in fitting. */
        public long unseen(String column) {
            long[] c = counts.get(column);
            return c == null ? 0 : c[1];
        }

        /** Whether no cell was encoded as none of the known levels, nor filled. */
        public boolean isEmpty() {
            return counts.isEmpty() && filled.values().stream().allMatch(c -> c[0] == 0);
        }

        /**
         * One line, e.g. {@code categorical cells encoded as none of the known levels (all zeros): 'colour' 3 missing,
         * 1 with a level unseen in training (e.g. 'mauve')}, and {@code missing numeric cells filled with the training rows' median
         * (column=missing set to 1): 'insulin' 374, 'triceps' 227}; null when there were none.
         */
        public String summary() {
            String categorical = categoricalSummary();
            List<String> parts = new ArrayList<>();
            long[] rest = new long[2]; // filled columns past the first SHOWN, and their cells
            filled.forEach((column, c) -> {
                if (c[0] == 0) {
                    return;
                }
                if (parts.size() == SHOWN) {
                    rest[0]++;
                    rest[1] += c[0];
                } else {
                    parts.add("'" + column + "' " + c[0]);
                }
            });
            if (rest[0] > 0) {
                parts.add("and " + rest[0] + " more column" + (rest[0] == 1 ? "" : "s") + " (" + rest[1] + ")");
            }
            String fills = parts.isEmpty() ? null : "missing numeric cells filled with the training rows' median"
                    + " (column=missing set to 1): " + String.join(", ", parts);
            if (categorical == null || fills == null) {
                return categorical == null ? fills : categorical;
            }
            return categorical + "; " + fills;
        }

        private String categoricalSummary() {
            if (counts.isEmpty()) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            long[] rest = new long[3]; // columns past the first SHOWN, and their missing and unseen cells
            counts.forEach((column, c) -> {
                if (parts.size() == SHOWN) {
                    rest[0]++;
                    rest[1] += c[0];
                    rest[2] += c[1];
                    return;
                }
                List<String> what = new ArrayList<>();
                if (c[0] > 0) {
                    what.add(c[0] + " missing");
                }
                if (c[1] > 0) {
                    // Cells, as "3 missing" counts them: "9 unseen levels" read as nine new levels where one was in 9 cells.
                    what.add(c[1] + " with a level unseen in training (e.g. '" + examples.get(column) + "')");
                }
                parts.add("'" + column + "' " + String.join(", ", what));
            });
            if (rest[0] > 0) {
                parts.add("and " + rest[0] + " more column" + (rest[0] == 1 ? "" : "s") + " (" + rest[1] + " missing, "
                        + rest[2] + " unseen)");
            }
            return "categorical cells encoded as none of the known levels (all zeros): " + String.join("; ", parts);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalEncoding e && e.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        return "CategoricalEncoding" + columns;
    }
}
