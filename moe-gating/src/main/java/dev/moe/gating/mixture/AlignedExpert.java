package dev.moe.gating.mixture;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import dev.moe.api.MissingCells;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * An expert seen through the mixture's feature and label spaces: it reads the data set's columns it
 * names (selected and ordered by name) and answers in the data set's label order, with probability 0
 * for labels it never saw.
 *
 * <p>Names as Tribuo's columnar loaders make them ({@code RowProcessor}) are read from moe's columns too: a number
 * from {@code DoubleFieldProcessor} is {@code column@value}, moe's {@code column}; a category from
 * {@code IdentityProcessor} is {@code column@level}, moe's one-hot {@code column=level}. Such a model also knows the
 * levels it saw for a blank cell ({@code column@}, or {@code column@NA} and moe's other spellings of a missing cell),
 * which moe encodes as none of the column's levels: it reads 1 where all of the column's features are 0. A level moe's
 * encoding has no feature for (the mixture's training rows lack it) reads 0, as every cell moe encodes does: so does
 * moe's own {@code column=level} (an expert moe trained on a file that had the level). A column the data set has no
 * level of, or none of whose levels the expert reads, is refused: a renamed column, or levels written otherwise.
 */
public final class AlignedExpert {

    private final Expert expert;
    /** For each of the expert's features, the data set's column, or {@link #DERIVED}: see {@link #noneOf}. */
    private final int[] featureColumns;
    /**
     * Null when every feature is a column; else, for a {@link #DERIVED} feature, the columns whose being all 0 makes it 1
     * (an empty array: always 0), null for the others.
     */
    private final int[][] noneOf;
    private final int[] labelColumns;
    private final int datasetLabelCount;
    private final boolean identityFeatures;
    /** Whether the expert's labels are the data set's, in the same order (no column to move). */
    private final boolean identityLabels;

    private AlignedExpert(Expert expert, int[] featureColumns, int[][] noneOf, int[] labelColumns, int datasetLabelCount,
                          boolean identityFeatures) {
        this.expert = expert;
        this.featureColumns = featureColumns;
        this.noneOf = noneOf;
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
            throw new ExpertException("expert '" + expert.id() + "' (" + origin(expert) + ") gives no "
                    + (expert.featureNames() == null ? "feature" : "label") + " names (null)");
        }
        Map<String, Integer> featureIndex = indexOf(datasetFeatures);
        List<String> missing = new ArrayList<>();
        int[] features = new int[expert.featureNames().size()];
        int[][] noneOf = null;
        Map<String, List<String>> absentLevels = new java.util.LinkedHashMap<>();
        for (int i = 0; i < features.length; i++) {
            String name = expert.featureNames().get(i);
            Integer column = lookUp(featureIndex, name);
            if (column != null) {
                features[i] = column;
                continue;
            }
            int[] derived = levelOrColumn(expert.id(), name, featureIndex, datasetFeatures, absentLevels);
            if (derived == null) {
                missing.add("'" + name + "'"); // quoted: a stray space is then visible
            } else if (derived.length == 1 && derived[0] >= 0) {
                features[i] = derived[0];
            } else {
                noneOf = noneOf == null ? new int[features.length][] : noneOf;
                features[i] = DERIVED;
                noneOf[i] = derived.length == 1 ? new int[0] : Arrays.copyOf(derived, derived.length - 1);
            }
        }
        requireOneMissingLevel(expert, features, noneOf);
        requireAKnownLevel(expert, features, datasetFeatures, absentLevels);
        if (!missing.isEmpty()) {
            throw new ExpertException("expert '" + expert.id() + "' reads features the data set lacks: "
                    + String.join(", ", missing) + " (data set has: " + String.join(", ", datasetFeatures) + ")"
                    + (missing.stream().anyMatch(m -> m.contains("@")) ? TRIBUO_HINT
                            : readAsNumbers(missing, featureIndex) ? ONE_HOT_HINT : ""));
        }
        Map<String, Integer> labelIndex = indexOf(datasetLabels);
        int[] labels = new int[expert.labelNames().size()];
        boolean anyKnown = false;
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < labels.length; i++) {
            // A label the data set does not have is dropped: that probability mass predicts no class here.
            Integer label = lookUp(labelIndex, expert.labelNames().get(i));
            labels[i] = label == null ? -1 : label;
            taken.add(labels[i]);
        }
        Map<String, Integer> upperCase = upperCaseIndex(datasetLabels);
        for (int i = 0; i < labels.length; i++) {
            String name = expert.labelNames().get(i);
            // Tribuo's FieldResponseProcessor upper-cases labels unless told otherwise: REPUBLICAN is the data's republican.
            if (labels[i] < 0 && name.equals(name.toUpperCase(Locale.ROOT))) {
                Integer label = upperCase.get(name.strip());
                if (label != null && label >= 0 && taken.add(label)) {
                    labels[i] = label;
                }
            }
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
        return new AlignedExpert(expert, features, noneOf, labels, datasetLabels.size(), identity);
    }

    static final int DERIVED = -1;

    /**
     * Refuses a model with two missing-cell levels of one column ({@code colour@} and {@code colour@NA}): Tribuo told
     * them apart, moe reads every spelling of a missing cell as one, so neither could be given the right value.
     */
    private static void requireOneMissingLevel(Expert expert, int[] features, int[][] noneOf) {
        if (noneOf == null) {
            return;
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < features.length; i++) {
            if (noneOf[i] != null && noneOf[i].length > 0) {
                String name = expert.featureNames().get(i);
                String other = seen.put(Arrays.toString(noneOf[i]), name);
                if (other != null) {
                    throw new ExpertException("expert '" + expert.id() + "' reads '" + other + "' and '" + name + "', two"
                            + " spellings of a missing cell that moe reads as one (none of the column's levels), so it cannot"
                            + " tell which a row has: write the column's missing cells one way (blank) and train the model on that");
                }
            }
        }
    }

    private static final String TRIBUO_HINT = "; a Tribuo model's column@level features are read from moe's column=level"
            + " ones: name the column in data.categorical (its numbers, column@value, are read from a numeric column)";

    private static final String ONE_HOT_HINT = "; a column=level feature is a level of a categorical column: name the column"
            + " in data.categorical";

    /** Whether a missing {@code 'column=level'} (quoted) names a column the data set reads as numbers. */
    private static boolean readAsNumbers(List<String> missing, Map<String, Integer> featureIndex) {
        for (String quoted : missing) {
            String name = quoted.substring(1, quoted.length() - 1);
            for (int at = name.indexOf('='); at > 0; at = name.indexOf('=', at + 1)) {
                if (featureIndex.containsKey(name.substring(0, at).strip())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Where a name from Tribuo's columnar loaders ({@code column@value}, {@code column@level}), or moe's own
     * {@code column=level} of a level the data set has no feature for, is in the data set: the
     * column, as a one-element array; or the columns of the categorical column whose being all 0 makes it 1 (a blank
     * cell's level), followed by {@link #DERIVED}; or just {@link #DERIVED} for a level without a feature (always 0).
     * Null when the name is no such name of a data set column.
     *
     * @param absentLevels gathers, per column, the expert's levels that read 0 for want of a feature
     * @throws ExpertException when the name reads as two different columns (a column name holding '@' or '=')
     */
    private static int[] levelOrColumn(String expertId, String name, Map<String, Integer> index, List<String> datasetFeatures,
                                       Map<String, List<String>> absentLevels) {
        // First a feature of the data set itself; only then a level it has no feature for (a column name may hold '@').
        for (boolean exact : new boolean[] {true, false}) {
            int[] found = null;
            String foundColumn = null;
            for (int at = nextSeparator(name, 0); at >= 0; at = nextSeparator(name, at + 1)) {
                String column = name.substring(0, at).strip();
                String level = name.substring(at + 1);
                boolean tribuo = name.charAt(at) == '@';
                // moe's own column=level is a feature of the data set only as itself, looked up before this.
                int[] candidate = exact ? (tribuo ? exactColumn(index, column, level) : null)
                        : absentLevel(datasetFeatures, column, level);
                if (candidate != null) {
                    if (found != null) {
                        throw new ExpertException("expert '" + expertId + "' reads '" + name + "', which is a feature of column '"
                                + foundColumn + "' and of column '" + column + "' of the data set: rename one of them");
                    }
                    found = candidate;
                    foundColumn = column;
                }
            }
            if (found != null) {
                if (!exact && found.length == 1) {
                    absentLevels.computeIfAbsent(foundColumn, c -> new ArrayList<>()).add(name);
                }
                return found;
            }
        }
        return null;
    }

    /**
     * Refuses an expert none of whose levels of a column the data set has a feature for: one absent level is a level the
     * rows lack (read as 0), but none at all is a column whose levels are written otherwise ({@code Red} for {@code red},
     * {@code 3.0} for {@code 3}), or another column of the same name, which would read 0 on every row.
     */
    private static void requireAKnownLevel(Expert expert, int[] features, List<String> datasetFeatures,
                                           Map<String, List<String>> absentLevels) {
        for (Map.Entry<String, List<String>> column : absentLevels.entrySet()) {
            String prefix = column.getKey() + "=";
            boolean anyKnown = Arrays.stream(features).anyMatch(c -> c >= 0 && datasetFeatures.get(c).startsWith(prefix));
            if (!anyKnown) {
                List<String> has = datasetFeatures.stream().filter(f -> f.startsWith(prefix)).toList();
                throw new ExpertException("expert '" + expert.id() + "' reads levels of column '" + column.getKey() + "' none of"
                        + " which the data set has: '" + String.join("', '", column.getValue()) + "' (data set has: "
                        + String.join(", ", has) + "); a level is matched by its text, case included");
            }
        }
    }

    /** The first '@' (Tribuo's column@level) or '=' (moe's column=level) from {@code from} on; -1 when none. */
    private static int nextSeparator(String name, int from) {
        for (int i = from; i < name.length(); i++) {
            if (name.charAt(i) == '@' || name.charAt(i) == '=') {
                return i;
            }
        }
        return -1;
    }

    /** DoubleFieldProcessor's {@code column@value} as the numeric column, IdentityProcessor's level as moe's feature. */
    private static int[] exactColumn(Map<String, Integer> index, String column, String level) {
        Integer c = level.equals("value") ? index.get(column) : null;
        c = c != null ? c : index.get(column + "=" + level);
        return c == null ? null : new int[] {c};
    }

    /**
     * A level of a categorical column of the data set (one with {@code column=} features) that has no feature: a
     * missing cell's level reads 1 where the column's features are all 0, any other level always 0.
     */
    private static int[] absentLevel(List<String> datasetFeatures, String column, String level) {
        String prefix = column + "=";
        int[] levels = IntStream.range(0, datasetFeatures.size())
                .filter(j -> datasetFeatures.get(j).startsWith(prefix)).toArray();
        if (levels.length == 0) {
            return null;
        }
        // A Tribuo model trained on missing cells has a level for them, which moe encodes as none of the column's levels.
        if (!MissingCells.isMissing(level)) {
            return new int[] {DERIVED};
        }
        int[] noneOf = Arrays.copyOf(levels, levels.length + 1);
        noneOf[levels.length] = DERIVED;
        return noneOf;
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

    /** Each label by its upper-case form; -1 for a form two labels share. */
    private static Map<String, Integer> upperCaseIndex(List<String> labels) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String upper = labels.get(i).strip().toUpperCase(Locale.ROOT);
            index.put(upper, index.containsKey(upper) ? -1 : i);
        }
        return index;
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

    /**
     * The data set's labels (their indices, ascending) that none of the expert's labels is: it gives them probability
     * 0 on every row, as certain that no row holds them. Empty when it knows every label of the data set.
     */
    public int[] absentLabels() {
        boolean[] known = new boolean[datasetLabelCount];
        for (int column : labelColumns) {
            if (column >= 0) {
                known[column] = true;
            }
        }
        return IntStream.range(0, datasetLabelCount).filter(j -> !known[j]).toArray();
    }

    /** The data set's rows as this expert reads them (its columns, in its order). */
    FloatMatrix expertFeatures(FloatMatrix datasetRows) {
        if (identityFeatures) {
            return datasetRows;
        }
        if (noneOf == null) {
            return datasetRows.selectColumns(featureColumns);
        }
        int rows = datasetRows.rows();
        int in = datasetRows.columns();
        int width = featureColumns.length;
        float[] x = datasetRows.values();
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                int c = featureColumns[i];
                if (c >= 0) {
                    out[r * width + i] = x[r * in + c];
                } else if (noneOf[i].length > 0) {
                    boolean none = true;
                    for (int j : noneOf[i]) {
                        none &= x[r * in + j] == 0f;
                    }
                    out[r * width + i] = none ? 1f : 0f;
                }
            }
        }
        return new FloatMatrix(rows, width, out);
    }

    /** Probabilities in the data set's label order for a block of the data set's rows. */
    public FloatMatrix predict(FloatMatrix datasetRows) {
        FloatMatrix in = expertFeatures(datasetRows);
        // A plugin's code runs with its own class loader as the thread's context loader, as its provider's load and train
        // do: a library that looks classes up through it (a lazy first-batch set-up, ServiceLoader) finds the plugin's.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader own = expert.getClass().getClassLoader();
        FloatMatrix out;
        if (own == null || own == previous) {
            out = expert.predict(in);
        } else {
            thread.setContextClassLoader(own);
            try {
                out = expert.predict(in);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
        return toDatasetLabels(out, datasetRows.rows());
    }

    FloatMatrix toDatasetLabels(FloatMatrix own, int expectedRows) {
        if (own == null) {
            throw new ExpertException(who() + " returned no probabilities (null) for " + expectedRows + " rows: predict must"
                    + " return one row per row it is given and one column per label of its labelNames()");
        }
        if (own.rows() != expectedRows || own.columns() != labelColumns.length) {
            throw new ExpertException(who() + " returned " + own.rows() + "x" + own.columns() + " probabilities for "
                    + expectedRows + " rows and " + labelColumns.length + " labels: predict must return one row per row it is"
                    + " given and one column per label of its labelNames(), in that order");
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

    /** The expert with where its code lives, for the messages that say its output is wrong. */
    private String who() {
        return "expert '" + expert.id() + "' (" + origin(expert) + ")";
    }

    /**
     * Where an expert's code lives: its provider, class and jar, so that a plugin's author (or its user) knows whose code
     * answered wrongly; the id alone named only the config's entry.
     */
    static String origin(Expert expert) {
        String provider = null;
        try {
            provider = expert.provenance() == null ? null : expert.provenance().get("provider");
        } catch (RuntimeException e) {
            // a provenance that fails says nothing of where the code lives: the class and jar still do
        }
        String jar = null;
        try {
            java.security.CodeSource source = expert.getClass().getProtectionDomain().getCodeSource();
            String path = source == null || source.getLocation() == null ? "" : source.getLocation().getPath();
            jar = path.endsWith(".jar") ? path.substring(path.lastIndexOf('/') + 1) : null;
        } catch (SecurityException e) {
            // no jar to name
        }
        return (provider == null ? "" : "provider '" + provider + "', ") + expert.getClass().getName() + (jar == null ? "" : " in " + jar);
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
                throw new ExpertException(who() + " returned an invalid probability row (row " + (r + 1) + " of the " + rows
                        + " it scored): " + problem + " [" + row + (columns > 8 ? ", ..." : "") + "]; predict must return"
                        + " probabilities: each finite and non-negative, each row summing to 1 (within " + SUM_TOLERANCE + ")");
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
        return new AlignedExpert(replacement, featureColumns, noneOf, labelColumns, datasetLabelCount, identityFeatures);
    }
}
