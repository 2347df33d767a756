package dev.moe.runtime.starter;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A first config for a user's own CSV file ({@code moe init}): the label column, which columns are numeric features
 * (with gaps to fill or without), categories or to be left out (and why), and the public benchmark's five experts of different kinds with the gate
 * and routing at their defaults, which is what the defaults were measured on.
 *
 * @param text     the YAML text, with comments that say why each column is where it is
 * @param label    the label column
 * @param labels   how many distinct labels it holds
 * @param numeric  the numeric feature columns, those with gaps included
 * @param filled   of those, the ones with missing cells, written as {@code data.fill}
 * @param categorical the columns read as categories
 * @param ignored  the columns left out, each with its reason
 * @param rows     the file's rows
 * @param sampled  the rows per repeat written as {@code data.rows} (a sample of a large file), or 0 for all
 * @param warnings what the user should look at before running it (a label that looks like a measurement, ...)
 * @param unlabelled the label cells that mean "no label" (blank, NA, ?, ...), written as {@code data.unlabelled}, each
 *                 with its rows, which a run leaves out; empty when none
 * @param levels   the categorical columns' levels in the file, together: the features their one-hot encoding makes
 * @param lastColumn whether the label is the file's last column by default (no --label, no column named label, class or
 *                 target taken instead): a guess the user should see, since R users often put the label first
 */
public record StarterConfig(String text, String label, int labels, List<String> numeric, List<String> filled, List<String> categorical,
                            Map<String, String> ignored, long rows, int sampled, List<String> warnings, Map<String, Long> unlabelled,
                            long levels, boolean lastColumn) {

    /**
     * Above this many rows the first run samples {@link #SAMPLE} per repeat, as the public benchmark does for letter and
     * shuttle: five experts cross-fitted on 10,000 of letter's rows took two minutes a repeat here, on 5,000 about 16 s.
     */
    static final int SAMPLE_ABOVE = 10_000;
    static final int SAMPLE = 5_000;
    /**
     * A text column with at least this many levels, nearly one per row, is an id or free text. moe itself refuses such a
     * column from 100 levels; on a small file (Cars93's 93 rows, a make and model in each) one below that is as useless,
     * since every test row's value is one the experts never saw.
     */
    private static final int ID_LEVELS = 20;
    /**
     * A numeric column with gaps whose values are whole numbers from 0 or 1 up to at most this is read as codes of
     * categories, not filled: soybean's 0, 1, 2 are categories, whose median would be a code that means something else,
     * while one-hot loses little of a count with so few values (and a gap is "none of the levels", as the fill's
     * indicator says it). Codes start at 0 or 1; whole numbers that start higher are a measurement (car90's mileage,
     * 18 to 37 miles a gallon; Cars93's luggage room, 6 to 22 cubic feet), whose levels a test row's value may miss.
     */
    static final int CODES = 20;
    /** A column's name that says it identifies rows: id, ID, user_id, customer id, PassengerId, customerID. */
    private static final java.util.regex.Pattern ID_NAME = java.util.regex.Pattern.compile(
            "(?i:id)|.*[_ .-](?i:id)|.*[a-z0-9](Id|ID)");

    /** A label in fewer rows than this is warned about (in a file of ten times as many rows at least). */
    static final int RARE_LABEL_ROWS = 3;

    /** A label of numbers with more values than this is warned about: a measurement, not classes. */
    private static final int MANY_LABELS = 20;
    /** Columns with at most this many values are named as candidates when the label taken by default looks wrong. */
    private static final int FEW_VALUES = 10;

    /**
     * Decides the columns' roles from the file's profile and writes the config.
     *
     * @param profile  the data file's profile
     * @param label    the label column named by the user, or null: a column named {@code label}, else the last one
     * @param dataPath the data file's path as the config should write it (relative to the config's folder)
     * @param configFile where the config will be (for checking that it reads back as a config), or a name in the
     *                   current folder
     * @throws MoeException when no config can be written: a header without names, a label missing or with one value
     */
    public static StarterConfig of(CsvProfile profile, String label, String dataPath, Path configFile) {
        List<CsvProfile.Column> columns = profile.columns();
        Path file = profile.file();
        Set<String> names = new LinkedHashSet<>();
        for (int j = 0; j < columns.size(); j++) {
            String name = columns.get(j).name();
            if (name.isEmpty()) {
                continue; // a row index pandas or R wrote, or a trailing comma's column: left out below, as data.ignore: [""]
            }
            if (!names.add(name)) {
                throw new MoeException(file + ": the header names column '" + name + "' twice; rename one, then run moe init again");
            }
        }
        if (names.size() < 2) {
            throw new MoeException(file + ": " + (names.isEmpty() ? "no" : "one") + " named column" + (columns.size() > names.size()
                    ? " (and " + (columns.size() - names.size()) + " without a name)" : "") + "; a data file needs features and a label");
        }
        if (label != null && label.isEmpty()) {
            throw new MoeException(file + ": --label names the label column; a column without a name cannot be the label: name it in"
                    + " the file's first line");
        }
        // By default the label is the column named label, else the last named one (a trailing comma leaves an unnamed last).
        String labelColumn = label != null ? label : names.contains("label") ? "label" : List.copyOf(names).get(names.size() - 1);
        String byName = null;
        if (label == null && !labelColumn.equals("label")) {
            // A last column of many numbers is no label (wine's proline when the class comes first); a column named as
            // labels are (class, target) that holds few values is taken instead, and init says so.
            List<String> named = names.stream().filter(n -> LABEL_NAMES.contains(n.toLowerCase(Locale.ROOT))).toList();
            if (named.size() == 1 && !named.get(0).equals(labelColumn) && !plausibleLabel(profile.column(labelColumn), profile.rows())
                    && plausibleLabel(profile.column(named.get(0)), profile.rows())) {
                byName = "took '" + named.get(0) + "' as the label by its name: the last column, '" + labelColumn + "', holds "
                        + profile.column(labelColumn).asLabel().distinct() + " distinct values (name another with --label)";
                labelColumn = named.get(0);
            }
        }
        CsvProfile.Column asRead = profile.column(labelColumn);
        if (asRead == null) {
            throw new MoeException(file + ": no column '" + labelColumn + "'; its columns: " + String.join(", ", names));
        }
        // Blank, NA, ? and the like mean "no label": written as data.unlabelled, so that a run leaves those rows out
        // (read as labels, NA was a class the experts learnt and test rows were scored on). "None" is often a class
        // ("no exercise": survey data's exercise column), so it stays one.
        java.util.LinkedHashMap<String, Long> unlabelled = new java.util.LinkedHashMap<>();
        new java.util.TreeMap<>(asRead.missingSpellings()).forEach((cell, n) -> {
            if (n > 0 && !cell.equalsIgnoreCase("none")) {
                unlabelled.put(cell, n);
            }
        });
        CsvProfile.Column labelProfile = asRead.asLabel(Set.copyOf(unlabelled.keySet()));
        long rows = profile.rows();
        List<String> warnings = new ArrayList<>();
        if (byName != null) {
            warnings.add(byName);
        }
        if (labelProfile.distinct() < 2) {
            throw new MoeException(file + ": the label column '" + labelColumn + "' holds " + (labelProfile.distinct() == 0
                    ? "no value" : "one value only") + (unlabelled.isEmpty() ? "" : " besides cells without a label ("
                    + String.join(", ", unlabelled.keySet().stream().map(c -> "'" + c + "'").toList()) + ")")
                    + "; a classifier needs at least two labels" + (label == null ? " (name the label column with --label)" : ""));
        }
        boolean numbers = labelProfile.text(rows) == 0;
        // A label taken by default (the last column) is a guess: whole numbers with more than 10 values there are more
        // likely a count or a measurement (aids2's age, kyphosis's start) than 11 classes.
        int many = label == null ? MANY_LABELS / 2 : MANY_LABELS;
        String otherLabel = label == null
                ? "; name the label column with --label if it is another" + candidates(columns, labelColumn) : "";
        int beforeDoubts = warnings.size();
        if (labelProfile.distinctCapped() || numbers && labelProfile.distinct() > many) {
            warnings.add("the label column '" + labelColumn + "' holds " + (labelProfile.distinctCapped() ? "at least " : "")
                    + labelProfile.distinct() + " distinct values"
                    + (numbers ? labelProfile.integers() < labelProfile.numbers() ? ", fractional numbers" : ", whole numbers" : "")
                    + ": moe combines classifiers, and each value is a class to them" + otherLabel);
        } else if (rows >= 20 && labelProfile.distinct() * 2L > rows) {
            warnings.add("the label column '" + labelColumn + "' holds " + labelProfile.distinct() + " distinct values in "
                    + rows + " rows: most rows would be a class of their own" + otherLabel);
        } else if (label == null && unlabelledRows(unlabelled) * 2 > rows) {
            // A default label empty in most rows is more often a remark (penguins_raw's Comments, 290 of 344 rows NA) than
            // the label; taken as one, most of the file is left out. Named with --label it is the user's choice, and the
            // summary's count of rows left out says what it costs.
            warnings.add("the label column '" + labelColumn + "' has no label in " + unlabelledRows(unlabelled) + " of " + rows
                    + " rows, which a run leaves out" + otherLabel);
        }

        if (warnings.size() == beforeDoubts && rows >= RARE_LABEL_ROWS * 10L) {
            // Only where the label itself is not in doubt: a measurement taken for one has many such values.
            List<String> rare = labelProfile.counts().entrySet().stream().filter(e -> e.getValue() < RARE_LABEL_ROWS)
                    .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> "'" + e.getKey() + "' " + e.getValue() + (e.getValue() == 1 ? " row" : " rows")).toList();
            if (!rare.isEmpty()) {
                // An expert cannot learn a label from one or two rows, and a test split holds them or not: a label that
                // rare is more often a typo or a mark for "no label" (penguins' '.') than a class.
                warnings.add((rare.size() == 1 ? "one label is in " : rare.size() + " labels are in ") + "fewer than "
                        + RARE_LABEL_ROWS + " rows (" + String.join(", ", rare.subList(0, Math.min(rare.size(), 5)))
                        + (rare.size() > 5 ? ", ..." : "") + "): too few to learn from; if such a cell means no label,"
                        + " list it in data.unlabelled, and if it is a typo, correct it in the file");
            }
        }

        List<String> numeric = new ArrayList<>();
        List<String> filled = new ArrayList<>();
        List<String> categorical = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        List<String> noneLevels = new ArrayList<>();
        java.util.LinkedHashMap<String, String> ignored = new java.util.LinkedHashMap<>();
        for (CsvProfile.Column c : columns) {
            if (c.name().equals(labelColumn)) {
                continue;
            }
            long present = rows - c.missing();
            String why = null;
            if (c.name().isEmpty()) {
                // pandas' to_csv and R's write.csv write the row index so; read as a feature it would teach the file's order.
                why = present == 0 ? "no cell in any row (a trailing comma on every line)"
                        : "the row numbers or row names that pandas' to_csv and R's write.csv write"
                        + (c.text(rows) == 0 && c.rowNumbers(rows) ? "" : " (or a column the file left unnamed: name it there to"
                        + " read it as a feature)");
            } else if (present == 0) {
                why = "every cell is empty";
            } else if (ID_NAME.matcher(c.name()).matches() && c.missing() == 0 && (c.distinctCapped() || c.distinct() == rows)
                    && !c.rowNumbers(rows)) {
                // A row number with gaps (the rows of a larger file: lbw's id runs 4 to 226 over 189 rows) is no row
                // number to rowNumbers and no measurement either; its name says what it is.
                why = "named as an identifier, and " + (c.distinctCapped() ? "at least " + c.distinct() + " values, nearly one"
                        : "a different value") + " in every row: it names rows, which teaches the experts nothing that"
                        + " carries to new ones";
            } else if (c.text(rows) == 0) {
                if (c.missing() > 0 && codes(c)) {
                    // Codes with gaps (soybean's 0, 1, 2 and '?'): as categories a gap is "none of the levels".
                    categorical.add(c.name());
                    codes.add(c.name());
                } else if (c.missing() > 0) {
                    // A measurement with gaps: each gap takes the training rows' median, and column=missing marks it.
                    numeric.add(c.name());
                    filled.add(c.name());
                } else if (c.rowNumbers(rows)) {
                    why = String.format(Locale.ROOT, "the whole numbers %.0f to %.0f, each once: a row number, which would"
                            + " teach the experts the file's order", c.min(), c.max());
                } else if (c.distinct() == 1) {
                    why = "the same value in every row";
                } else {
                    numeric.add(c.name());
                }
            } else if (splitMarker(c)) {
                // modeldata's cells ships its study's own Train/Test column, case: a row's part, no property of it.
                why = "the file's own split of its rows (" + String.join(", ", new java.util.TreeSet<>(c.counts().keySet()))
                        + "): moe draws its own test rows in every repeat, and as a feature it says only which part a row was"
                        + " put in";
            } else if (c.formattedNumbers() > 0 && c.numbers() + c.formattedNumbers() == present) {
                // As a spreadsheet shows them: a quoted "12,500" in a ',' file, a decimal comma in a tab-separated one (a
                // ';' file's are read as points), 12% or $1,234.00. As categories each number would be a level of its
                // own, silently; moe's reader refuses such a cell in a numeric column.
                why = CsvProfile.signedNumber(c.firstFormattedNumber())
                        ? "numbers written with a percent or currency sign (the first '" + c.firstFormattedNumber() + "'), which"
                        + " moe does not read as numbers; saved as plain numbers (no sign, a decimal point, no thousands"
                        + " separator) it would be a numeric feature"
                        : "numbers written with a comma (the first '" + c.firstFormattedNumber() + "'): a decimal comma or a"
                        + " thousands separator, which moe does not read as a number; saved with a decimal point and no"
                        + " separator (pandas: read_csv(..., decimal=',') or thousands=',', then to_csv) it would be a numeric"
                        + " feature";
            } else if (c.dates() == present && (c.distinctCapped() || c.distinct() >= ID_LEVELS)) {
                // As categories each date is a level of its own that new rows never have (weather's date, 1,461 in 2,922
                // rows). A few dates are a few categories: vega's cars writes each model year as 1970-01-01 to 1982-01-01.
                why = "dates (the first " + c.firstDate() + "): moe reads no dates, and as categories each would be a level"
                        + " new rows never have; a number made from them (month, day of year, days since a start) in a"
                        + " column of its own would be a feature";
            } else if (c.distinctCapped() || c.distinct() >= ID_LEVELS && c.distinct() * 10L > present * 9L) {
                why = (c.distinctCapped() ? "at least " : "") + c.distinct() + " distinct values in " + present
                        + " cells: an id or free text, not categories";
            } else if (c.distinct() == 1 && c.missing() == 0) {
                why = "the same value in every row";
            } else {
                // One value with gaps is kept: whether a cell is there can say something (as a filled column's indicator).
                categorical.add(c.name());
                long none = c.missingSpellings().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("none"))
                        .mapToLong(Map.Entry::getValue).sum();
                if (none > 0) {
                    // "None" is a level in many files (Cars93's air bags, income's children under 18) and a gap to moe,
                    // which encodes it as none of the levels: still apart from the other levels, so nothing is lost
                    // unless the column has other gaps too.
                    noneLevels.add(c.name());
                    if (c.missing() > none) {
                        warnings.add("'" + c.name() + "' has " + none + " cells 'None' and " + (c.missing() - none)
                                + " other missing cells: moe reads both as missing, so they are one level to the experts;"
                                + " write 'None' another way in the file if it means something else");
                    }
                }
            }
            if (why != null) {
                // Two unnamed columns (an index and a trailing comma's) are one entry, "", in data.ignore: both reasons kept.
                ignored.merge(c.name(), why, (first, next) -> first + "; another without a name: " + next);
            }
        }
        if (numeric.isEmpty() && categorical.isEmpty()) {
            throw new MoeException(file + ": no column but the label '" + labelColumn + "' can be a feature"
                    + (ignored.isEmpty() ? "" : " (" + String.join("; ", ignored.entrySet().stream()
                    .map(e -> "'" + e.getKey() + "': " + e.getValue()).toList()) + ")"));
        }
        int sampled = rows > SAMPLE_ABOVE ? SAMPLE : 0;
        long levels = categorical.stream().mapToLong(name -> profile.column(name).distinct()).sum();
        String text = yaml(profile, labelColumn, labelProfile.distinct(), dataPath, categorical, codes, noneLevels, filled, ignored, sampled,
                numeric.size(), unlabelled, levels, numeric.size() + filled.size() + levels);
        ConfigLoader.parse(text, configFile); // what moe init writes must read back as a config
        return new StarterConfig(text, labelColumn, labelProfile.distinct(), List.copyOf(numeric), List.copyOf(filled), List.copyOf(categorical),
                java.util.Collections.unmodifiableMap(ignored), rows, sampled, List.copyOf(warnings),
                java.util.Collections.unmodifiableMap(unlabelled), levels,
                label == null && byName == null && !labelColumn.equals("label"));
    }

    /** Names a label column often has, looked for when the last column cannot be one ({@link #plausibleLabel}). */
    private static final Set<String> LABEL_NAMES = Set.of("class", "target");

    /**
     * Whether a column could be the label as init judges a default one: at least two values, not numbers with more
     * than {@code MANY_LABELS / 2} values, and not a value for most rows.
     */
    private static boolean plausibleLabel(CsvProfile.Column column, long rows) {
        CsvProfile.Column asLabel = column.asLabel();
        boolean numbers = asLabel.text(rows) == 0;
        return asLabel.distinct() >= 2 && !asLabel.distinctCapped() && !(numbers && asLabel.distinct() > MANY_LABELS / 2)
                && !(rows >= 20 && asLabel.distinct() * 2L > rows);
    }

    /**
     * The columns a label is more often found in, for a warning about the one taken by default: those with 2 to
     * {@link #FEW_VALUES} values, text or whole numbers (survey data's last column is the students' age; its exercise
     * class is the eighth).
     */
    private static String candidates(List<CsvProfile.Column> columns, String labelColumn) {
        List<String> few = columns.stream()
                .filter(c -> !c.name().equals(labelColumn) && c.integers() == c.numbers()
                        && c.asLabel().distinct() >= 2 && c.asLabel().distinct() <= FEW_VALUES)
                .map(CsvProfile.Column::name).toList();
        if (few.isEmpty()) {
            return "";
        }
        int shown = Math.min(few.size(), 8);
        return " (columns with 2 to " + FEW_VALUES + " values: " + String.join(", ", few.subList(0, shown))
                + (shown < few.size() ? " and " + (few.size() - shown) + " more" : "") + ")";
    }

    /** The rows without a label ({@link #unlabelled}'s counts together), which a run leaves out. */
    public long unlabelledRows() {
        return unlabelledRows(unlabelled);
    }

    private static long unlabelledRows(Map<String, Long> unlabelled) {
        return unlabelled.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whole numbers that read as codes: from 0 or 1, up to {@link #CODES}. */
    /** The words a data set's own split column holds (Train/Test, training/validation), in any case. */
    private static final Set<String> TRAINING_WORDS = Set.of("train", "training");
    private static final Set<String> HELD_OUT_WORDS = Set.of("test", "testing", "valid", "validation", "val", "dev", "holdout");

    /** Whether the column's values are a split's names only: a training part and at least one held-out part. */
    private static boolean splitMarker(CsvProfile.Column c) {
        if (c.distinctCapped() || c.distinct() < 2) {
            return false;
        }
        boolean training = false;
        boolean heldOut = false;
        for (String value : c.counts().keySet()) {
            String word = value.strip().toLowerCase(Locale.ROOT);
            training |= TRAINING_WORDS.contains(word);
            heldOut |= HELD_OUT_WORDS.contains(word);
            if (!TRAINING_WORDS.contains(word) && !HELD_OUT_WORDS.contains(word)) {
                return false;
            }
        }
        return training && heldOut;
    }

    private static boolean codes(CsvProfile.Column c) {
        return c.integers() == c.numbers() && c.distinct() <= CODES && (c.min() == 0 || c.min() == 1) && c.max() <= CODES;
    }

    private static String yaml(CsvProfile profile, String label, int labels, String dataPath,
                               List<String> categorical, List<String> codes, List<String> noneLevels, List<String> filled,
                               Map<String, String> ignored, int sampled, int numeric, Map<String, Long> unlabelled, long levels,
                               long features) {
        StringBuilder y = new StringBuilder();
        y.append("# A first moe config for ").append(comment(profile.file().getFileName().toString())).append(", written by `moe init`.\n# ")
                .append(profile.rows()).append(" rows, ").append(numeric).append(" numeric")
                .append(categorical.isEmpty() ? "" : " and " + categorical.size() + " categorical").append(" feature columns, ")
                .append(labels).append(" labels.\n")
                .append("# Five experts of different kinds. With no gate: section the combiner is chosen by cross-validation on\n")
                .append("# the training rows (the experts' average, or their weighted product), never on the test rows.\n")
                .append("# Run it: moe evaluate THIS_FILE. The README's \"Config\" section lists every key.\n")
                .append("seed: 42\n")
                .append("repeat: 5                # each repeat draws its own test rows (seed 42, 43, ...)\n\n")
                .append("data:\n")
                .append("  source: csv\n")
                .append("  path: ").append(quoted(dataPath)).append("\n")
                .append("  label: ").append(quoted(label)).append("\n");
        if (!unlabelled.isEmpty()) {
            long n = unlabelled.values().stream().mapToLong(Long::longValue).sum();
            y.append("  # ").append(n).append(n == 1 ? " row has" : " rows have").append(" no label (")
                    .append(comment(String.join(", ", unlabelled.keySet().stream().map(c -> c.isEmpty() ? "a blank cell" : "'" + c + "'").toList())))
                    .append("): left out of training and testing, and counted\n")
                    .append("  unlabelled: ").append(list(List.copyOf(unlabelled.keySet()))).append("\n");
        }
        if (sampled > 0) {
            y.append("  rows: ").append(sampled).append("            # a random sample per repeat, for a first run in minutes;")
                    .append(" remove it to use all ").append(profile.rows()).append(" rows\n");
        }
        if (!categorical.isEmpty()) {
            y.append("  # one feature per level (column=level); a missing cell is none of the levels\n");
            if (!codes.isEmpty()) {
                y.append("  # ").append(comment(codes.size() == categorical.size() ? "all of them" : String.join(", ", codes)))
                        .append(": whole numbers with missing cells, read as codes of categories\n");
            }
            if (!noneLevels.isEmpty()) {
                y.append("  # ").append(comment(String.join(", ", noneLevels)))
                        .append(": 'None' is a missing cell to moe, so none of the levels (still apart from the others)\n");
            }
            y.append("  categorical: ").append(list(categorical)).append("\n");
        }
        if (!filled.isEmpty()) {
            y.append("  # numbers with missing cells: a gap takes the median of the training rows, and a feature\n")
                    .append("  # column=missing is 1 where the cell was missing\n")
                    .append("  fill: ").append(list(filled)).append("\n");
        }
        if (!ignored.isEmpty()) {
            for (Map.Entry<String, String> e : ignored.entrySet()) {
                y.append("  # ").append(comment(columnName(e.getKey()) + ": " + e.getValue())).append("\n");
            }
            y.append("  ignore: ").append(list(List.copyOf(ignored.keySet()))).append("\n");
        }
        y.append("\nsplit:\n")
                .append("  test: 0.3              # the other 70% train the experts and the combiner, by cross-fitting\n\n")
                .append("experts:\n")
                .append("  - id: logistic\n    provider: tribuo\n    params: { algorithm: logistic-regression, epochs: 100 }\n")
                .append("  - id: cart\n    provider: tribuo\n    params: { algorithm: cart, probabilities: scores }\n")
                .append("  - id: knn\n    provider: tribuo\n    params: { algorithm: knn, k: 5 }\n")
                .append("  - id: xgboost\n    provider: tribuo\n")
                // Most features one-hot: on a 0/1 feature hist's bins are the exact search's split candidates, so those
                // splits are the same, and fits take a half to two thirds of the time (docs/performance-log.md).
                .append(levels * 2 > features ? "    # hist: " + (levels == features ? "all " : levels + " of the ") + features + " features are one-hot, which it splits"
                        + " as the default (exact) does, in less time\n    params: { algorithm: xgboost, trees: 50, tree-method: hist }\n"
                        : "    params: { algorithm: xgboost, trees: 50 }\n")
                .append("  - id: mlp\n    provider: nd4j-mlp\n    params: { hidden: 32, epochs: 300, learning-rate: 0.01 }\n");
        return y.toString();
    }

    /** Plain where YAML reads it as the same string (a name, a path), else double-quoted. */
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[A-Za-z_./][A-Za-z0-9_./-]*");
    /** Words YAML 1.1 (SnakeYAML, which Jackson uses) reads as booleans or null. */
    private static final Set<String> YAML_WORDS = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

    /** A YAML scalar that reads back as {@code s}, whatever it holds: plain when that is safe, else double-quoted. */
    static String quoted(String s) {
        boolean number = s.startsWith(".") && (s.length() > 1 && Character.isDigit(s.charAt(1))
                || s.equalsIgnoreCase(".inf") || s.equalsIgnoreCase(".nan")); // YAML reads .5 and .inf as numbers
        if (PLAIN.matcher(s).matches() && !number && !YAML_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
            return s;
        }
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        q.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** A flow sequence, its lines kept under about 110 characters (continued lines indented, as YAML allows). */
    private static String list(List<String> names) {
        StringBuilder l = new StringBuilder("[");
        int lineStart = -16; // the key before it on the first line
        for (int i = 0; i < names.size(); i++) {
            String item = quoted(names.get(i)) + (i + 1 < names.size() ? "," : "");
            if (i > 0) {
                if (l.length() - lineStart + item.length() > 108) {
                    l.append("\n    ");
                    lineStart = l.length() - 4;
                } else {
                    l.append(' ');
                }
            }
            l.append(item);
        }
        return l.append(']').toString();
    }

    /** Text for a comment line: no line breaks or other control characters. */
    /** A column as init's lines name it: quoted, or "the column without a name" for a header's empty name. */
    public static String columnName(String name) {
        return name.isEmpty() ? "the column without a name" : "'" + name + "'";
    }

    private static String comment(String s) {
        return s.replaceAll("\\p{Cntrl}", " ");
    }
}
