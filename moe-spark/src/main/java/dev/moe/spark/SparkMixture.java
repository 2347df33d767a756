package dev.moe.spark;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.scoring.EvaluationCounts;
import dev.moe.runtime.scoring.InputColumns;
import dev.moe.runtime.scoring.PredictionFormat;
import dev.moe.runtime.scoring.RowValues;
import dev.moe.runtime.scoring.SavedMixtureReport;
import dev.moe.runtime.evaluation.EvaluationReport;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * A saved mixture ({@code model.moe}) scored over a Spark DataFrame. The bundle's bytes are broadcast once; on each
 * executor JVM they are loaded once by the single-process {@link BundleReader} (same checks, same model), and each
 * partition is scored in blocks of {@link #BATCH_ROWS} rows through {@link MixtureModel#predict}, the code path of
 * {@code moe predict}. Evaluation sums per-partition counts (correct rows, confusion counts, log-loss) with a
 * fold: no row is collected to the driver.
 *
 * <p>Rows are adapted to the runtime's scoring package, which owns the rules: columns found by name
 * ({@link InputColumns}), cells checked and parsed (labels by {@link RowValues}; features by the saved encoding with the
 * CSV reader's policy, text or numbers from Parquet), the output format ({@link PredictionFormat}) and the counts ({@link EvaluationCounts}).
 */
public final class SparkMixture implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Rows per block, as the single-process runtime. */
    public static final int BATCH_ROWS = CsvPredictions.BATCH_ROWS;

    /** How messages name a DataFrame. */
    private static final String INPUT = "the input";

    private final String name;
    private final Broadcast<byte[]> bundle;
    private final List<String> featureNames;
    /** How the input's columns become the features (categorical ones one-hot); its input columns are selected. */
    private final CategoricalEncoding encoding;
    private final List<String> labelNames;
    private final List<String> expertIds;
    private final String labelColumn;
    private final List<String> knownLabels;
    /** Label cells that meant "no label" in the training data ({@code data.unlabelled}): such rows are left out here too. */
    private final List<String> unlabelled;
    private final int batchRows;
    /** The driver's copy, for the report; executors load their own from the broadcast bytes. */
    private final transient SavedMixture driverMixture;

    private SparkMixture(String name, Broadcast<byte[]> bundle, SavedMixture mixture, int batchRows) {
        this.driverMixture = mixture;
        this.name = name;
        this.bundle = bundle;
        this.featureNames = List.copyOf(mixture.featureNames());
        this.encoding = mixture.encoding();
        this.labelNames = List.copyOf(mixture.labelNames());
        this.expertIds = mixture.model().experts().stream().map(AlignedExpert::id).toList();
        this.labelColumn = mixture.labelColumn();
        this.knownLabels = List.copyOf(mixture.labelsKnownToExperts());
        this.unlabelled = List.copyOf(mixture.unlabelled());
        this.batchRows = batchRows;
    }

    /** Reads and checks the bundle on the driver, then broadcasts its bytes. */
    public static SparkMixture load(SparkSession spark, Path model) {
        return load(spark, model, BATCH_ROWS);
    }

    public static SparkMixture load(SparkSession spark, Path model, int batchRows) {
        return load(spark, model, batchRows, null);
    }

    /**
     * @param pluginsFolder where the plugins the bundle records are (null: {@value ShippedPlugins#PLUGINS_CONF}, else
     *                      {@code $MOE_PLUGINS}, else none); they are shipped to the executors with the job
     */
    public static SparkMixture load(SparkSession spark, Path model, int batchRows, Path pluginsFolder) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
        }
        byte[] bytes = MixtureCache.bytesOf(model);
        // The driver's checks name the real file; the executors then load exactly these bytes.
        Path plugins = ShippedPlugins.folder(spark, pluginsFolder);
        SavedMixture mixture = MixtureCache.getOrRead(model, bytes, () -> ShippedPlugins.read(model, plugins));
        ShippedPlugins.ship(spark, model, mixture, plugins);
        Broadcast<byte[]> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes);
        return new SparkMixture(model.getFileName().toString(), broadcast, mixture, batchRows);
    }

    /** @return the features the mixture reads, in order (a categorical column's as {@code column=level}) */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * @return the columns {@link #predict} and {@link #evaluate} read by name: the features, except that a categorical
     *         column stands for its {@code column=level} features, read as text and encoded with the bundle's levels
     */
    public List<String> inputColumns() {
        return encoding.inputColumns();
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public List<String> expertIds() {
        return expertIds;
    }

    public String labelColumn() {
        return labelColumn;
    }

    /** The schema of {@link #predict}'s result: {@code predicted, probability, p:LABEL..., weight:EXPERT...}. */
    public StructType predictionSchema() {
        List<StructField> fields = new ArrayList<>();
        for (String column : PredictionFormat.columns(labelNames, expertIds)) {
            fields.add(DataTypes.createStructField(column, fields.isEmpty() ? DataTypes.StringType : DataTypes.FloatType, false));
        }
        return DataTypes.createStructType(fields);
    }

    /** One row of predictions per input row, in input order, as {@code moe predict} writes them. */
    public Dataset<Row> predict(Dataset<Row> input) {
        return predict(input, null);
    }

    /** @param rowCount counts the rows scored, or null */
    public Dataset<Row> predict(Dataset<Row> input, LongAccumulator rowCount) {
        JavaRDD<Row> features = input.select(featureColumns(input)).javaRDD();
        JavaRDD<Row> out = features.mapPartitions(new PredictPartition(this, rowCount, false, null));
        return input.sparkSession().createDataFrame(out, predictionSchema());
    }

    /**
     * {@link #predict} then {@link #writeCsv} in one pass: each partition formats its rows as it scores them, without
     * the typed DataFrame in between (what {@code SparkScoring predict} runs).
     */
    public void predictToCsv(Dataset<Row> input, String path, LongAccumulator rowCount) {
        predictToCsv(input, path, rowCount, null);
    }

    /** @param cells sums the cells encoded as none of the known levels or filled, for the driver's line; or null */
    void predictToCsv(Dataset<Row> input, String path, LongAccumulator rowCount, CellTally cells) {
        JavaRDD<Row> features = input.select(featureColumns(input)).javaRDD();
        JavaRDD<Row> out = features.mapPartitions(new PredictPartition(this, rowCount, true, cells));
        write(input.sparkSession().createDataFrame(out, textSchema(predictionSchema())), path);
    }

    /** Every expert's, their average's and the mixture's figures, counted per partition and summed. */
    public SparkEvaluation evaluate(Dataset<Row> input) {
        List<String> header = Arrays.asList(input.columns());
        int label = InputColumns.label(INPUT, header, labelColumn);
        int[] features = InputColumns.features(INPUT, header, encoding.inputColumns());
        Column[] columns = new Column[features.length + 1];
        for (int k = 0; k < features.length; k++) {
            columns[k] = functions.col(quoted(header.get(features[k])));
        }
        columns[features.length] = functions.col(quoted(header.get(label)));
        PartitionCounts total = input.select(columns).javaRDD()
                .mapPartitions(new EvaluatePartition(this))
                .fold(new PartitionCounts(new EvaluationCounts(expertIds, labelNames), 0, new CategoricalEncoding.Tally()),
                        PartitionCounts::plus);
        if (total.unlabelled() > 0) {
            org.slf4j.LoggerFactory.getLogger(SparkMixture.class).warn("{}", unlabelledWarning(INPUT, total.unlabelled()));
        }
        if (total.counts().rows() == 0) {
            throw new MoeException("the input has no data rows" + (total.unlabelled() == 0 ? ""
                    : " but the " + total.unlabelled() + " without a label (data.unlabelled)"));
        }
        return new SparkEvaluation(total.counts(), total.unlabelled(), total.cells().inOrderOf(encoding.inputColumns()).summary());
    }

    /**
     * The line {@code moe evaluate -m} says for the rows it left out, without their line numbers (a DataFrame has none).
     *
     * @param input names the input
     */
    String unlabelledWarning(String input, long rows) {
        return input + ": " + rows + (rows == 1 ? " row" : " rows") + " without a label ("
                + unlabelled.stream().map(t -> "'" + t + "'").collect(java.util.stream.Collectors.joining(", "))
                + ") left out (data.unlabelled)";
    }

    /** Whether a label cell is one the training data said meant "no label" (Spark reads a blank CSV cell as null). */
    private boolean isUnlabelled(Object cell) {
        return !unlabelled.isEmpty() && unlabelled.contains(cell == null ? "" : cell.toString().strip());
    }

    /**
     * One partition's counts, the rows it left out for having no label and its cells encoded as none of the known levels
     * or filled; summed exactly, unlike an accumulator.
     */
    private record PartitionCounts(EvaluationCounts counts, long unlabelled, CategoricalEncoding.Tally cells)
            implements java.io.Serializable {

        PartitionCounts plus(PartitionCounts other) {
            CategoricalEncoding.Tally sum = new CategoricalEncoding.Tally();
            sum.add(cells);
            sum.add(other.cells);
            return new PartitionCounts(counts.plus(other.counts), unlabelled + other.unlabelled, sum);
        }
    }

    /**
     * The report {@code moe evaluate -m} writes for the same rows (console table, JSON, HTML), from the summed counts.
     *
     * @param data names the input in the report
     */
    public EvaluationReport report(SparkEvaluation evaluation, String data) {
        return SavedMixtureReport.of(driverMixture, data, evaluation.counts()).withUnlabelledRows(evaluation.unlabelledRows());
    }

    /** The config the mixture was trained from, as its bundle holds it; null when it holds none. */
    public String configText() {
        return driverMixture.configText();
    }

    /**
     * The report with the notice {@code moe evaluate -m} gives when {@code input} is the file the mixture was trained
     * on; only a path the driver can read as a local file is checked (not {@code hdfs://}, {@code s3a://}, ...). With
     * {@code recordRows} (a JSON report) it records which rows it scored, as {@code moe evaluate -m --json} does, for
     * {@code moe compare}: the input's SHA-256 where it is one local file; a folder, a pattern or a remote path leaves
     * it unrecorded.
     */
    public EvaluationReport withTrainingFileNotice(EvaluationReport report, String input, boolean recordRows) {
        Path file = localFile(input);
        return file == null ? report : SavedMixtureReport.withTrainingFileNotice(report, driverMixture, file, recordRows);
    }

    /** {@code input} as a path on the driver, or null for a remote one ({@code hdfs://}, {@code s3a://}, ...). */
    private static Path localFile(String input) {
        if (input.contains("://")) {
            return null;
        }
        return Path.of(input.startsWith("file:") ? input.substring(5) : input);
    }

    /**
     * A CSV file (a header; comma separated, or ';' or tab separated when the header line holds no comma outside quotes
     * but those, as the local engine reads it, a ';' file's decimal commas as points; a local file that is not UTF-8 as
     * Windows-1252, with a warning logged), or Parquet when the path ends in {@code .parquet}; every CSV column as text.
     */
    public static Dataset<Row> read(SparkSession spark, String path) {
        return read(spark, path, warning -> org.slf4j.LoggerFactory.getLogger(SparkMixture.class).warn("{}", warning));
    }

    /** As {@link #read(SparkSession, String)}, with a warning about how the file was read given to {@code warnings}. */
    public static Dataset<Row> read(SparkSession spark, String path, java.util.function.Consumer<String> warnings) {
        if (path.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return spark.read().parquet(path);
        }
        InputCompression.requireNameMatchesBytes(spark.sparkContext().hadoopConfiguration(), path);
        // The header is read with names compared as written: a session that ignores case (Spark's default) renames names
        // that differ only in case (vehicle's Sc.Var.Maxis and Sc.Var.maxis became Sc.Var.Maxis10 and Sc.Var.maxis11).
        org.apache.spark.sql.RuntimeConfig conf = spark.conf();
        String caseSensitive = conf.get(SparkScoring.CASE_SENSITIVE, "false");
        conf.set(SparkScoring.CASE_SENSITIVE, "true");
        Dataset<Row> frame;
        // A local file that is not UTF-8 is read as Windows-1252, as the local engine reads it (Excel's plain CSV); a remote
        // one as UTF-8, where a label or category holding U+FFFD is refused.
        Path local = localFile(path);
        dev.moe.runtime.io.Utf8.Invalid notUtf8 = local == null ? null : dev.moe.runtime.data.CsvSource.Rows.readAsWindows1252(local);
        String encoding = notUtf8 == null ? "UTF-8" : "windows-1252";
        if (notUtf8 != null) {
            warnings.accept(path + ": " + notUtf8.describe() + ": read as Windows-1252, the code page Excel saves a CSV file in on"
                    + " Windows");
        }
        // The separator from the header line as written, as the local engine finds it (R's write.csv2 quotes its names).
        List<String> first = spark.read().textFile(path).limit(1).collectAsList();
        char separator = first.isEmpty() ? ',' : dev.moe.runtime.data.CsvSource.Rows.separatorOfLine(first.get(0));
        try {
            frame = readCsv(spark, path, separator, encoding);
        } finally {
            conf.set(SparkScoring.CASE_SENSITIVE, caseSensitive);
        }
        String[] columns = frame.columns();
        if (!Boolean.parseBoolean(caseSensitive)) {
            // Such a session could not tell the two apart later: refused, with what to set.
            java.util.Map<String, String> byLowerCase = new java.util.HashMap<>();
            for (String name : columns) {
                String other = byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                if (other != null) {
                    throw new MoeException(path + ": columns '" + other + "' and '" + name + "' differ only in case, and this"
                            + " Spark session compares column names without case: set " + SparkScoring.CASE_SENSITIVE + "=true");
                }
            }
        }
        // Spark closes a quote left open at the end of its line; the local engine refuses it. A record is one line, so
        // one extra pass over the text finds a line that ends inside a quoted field.
        List<String> open = spark.read().textFile(path)
                .filter((org.apache.spark.api.java.function.FilterFunction<String>) line -> unbalancedQuotes(line, separator))
                .limit(1).collectAsList();
        if (!open.isEmpty()) {
            String line = open.get(0).length() > 80 ? open.get(0).substring(0, 80) + "..." : open.get(0);
            throw new MoeException(path + ": a quoted field is never closed (a \" without its closing \") on the line '" + line + "'");
        }
        if (columns.length > 0 && columns[0].startsWith("PK\u0003\u0004")) {
            // Spark reads a zip's bytes as text (a header of "PK..."); the local engine refuses a zip too.
            throw new MoeException(path + ": a zip file, not a CSV file; Spark reads plain or gzip-compressed CSV (.csv.gz):"
                    + " unzip it, or gzip it (a saved mixture is given with -m)");
        }
        if (columns.length > 0 && columns[0].startsWith("\uFEFF")) {
            // A UTF-8 byte order mark is not part of the first column's name.
            frame = frame.withColumnRenamed(columns[0], columns[0].substring(1));
        }
        if (separator == ';') {
            frame = pointed(frame);
        }
        return frame;
    }

    /**
     * A ';' file's cells with their decimal comma made a point where they are numbers written so ({@code 0,25}), in
     * every column, as the local engine reads them ({@link dev.moe.runtime.data.CsvSource#pointed}): one projection.
     */
    private static Dataset<Row> pointed(Dataset<Row> frame) {
        String number = "^" + dev.moe.runtime.data.CsvSource.DECIMAL_COMMA_NUMBER + "$";
        Column[] columns = Arrays.stream(frame.columns()).map(name -> {
            Column cell = functions.col(quoted(name));
            return functions.when(cell.rlike(number), functions.translate(cell, ",", ".")).otherwise(cell).as(name);
        }).toArray(Column[]::new);
        return frame.select(columns);
    }

    /** RFC 4180 as the local engine reads it: "" inside quotes is a quote, a record per line, malformed rows fail. */
    private static Dataset<Row> readCsv(SparkSession spark, String path, char separator, String encoding) {
        return spark.read()
                .option("header", "true")
                .option("sep", String.valueOf(separator))
                .option("inferSchema", "false")
                .option("mode", "FAILFAST")
                .option("quote", "\"")
                .option("escape", "\"")
                .option("multiLine", "false")
                .option("encoding", encoding)
                .option("ignoreLeadingWhiteSpace", "true")
                .option("ignoreTrailingWhiteSpace", "true")
                .csv(path);
    }

    /**
     * Whether a line ends inside a quoted field, read as the local engine reads it: a quote opens a quoted field only
     * at the start of a field (after spaces), {@code ""} inside one is a quote, and a quote anywhere else is a literal
     * character.
     */
    static boolean unbalancedQuotes(String line, char separator) {
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        quoted = false;
                    }
                }
            } else if (c == separator) {
                fieldStart = true;
            } else if (fieldStart && c == '"') {
                quoted = true;
                fieldStart = false;
            } else if (c != ' ' && c != '\t') {
                fieldStart = false;
            }
        }
        return quoted;
    }

    /**
     * Writes predictions as CSV into the folder {@code path} (Spark's part files, in row order), every number
     * formatted as {@code moe predict} formats it: the part files, concatenated without their repeated headers,
     * are byte for byte {@code moe predict}'s output.
     */
    public static void writeCsv(Dataset<Row> predictions, String path) {
        JavaRDD<Row> rows = predictions.javaRDD().map(row -> {
            Object[] cells = new Object[row.size()];
            for (int i = 0; i < cells.length; i++) {
                Object v = row.get(i);
                cells[i] = v instanceof Float f ? PredictionFormat.number(f) : String.valueOf(v);
            }
            return RowFactory.create(cells);
        });
        write(predictions.sparkSession().createDataFrame(rows, textSchema(predictions.schema())), path);
    }

    private static StructType textSchema(StructType schema) {
        List<StructField> text = new ArrayList<>();
        for (StructField f : schema.fields()) {
            text.add(DataTypes.createStructField(f.name(), DataTypes.StringType, false));
        }
        return DataTypes.createStructType(text);
    }

    private static void write(Dataset<Row> text, String path) {
        text.write()
                .mode(SaveMode.ErrorIfExists)
                .option("header", "true")
                .option("quote", "\"")
                .option("escape", "\"")
                .option("ignoreLeadingWhiteSpace", "false")
                .option("ignoreTrailingWhiteSpace", "false")
                .csv(path);
    }

    private Column[] featureColumns(Dataset<Row> input) {
        List<String> header = Arrays.asList(input.columns());
        return Arrays.stream(InputColumns.features(INPUT, header, encoding.inputColumns()))
                .mapToObj(j -> functions.col(quoted(header.get(j)))).toArray(Column[]::new);
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    private MixtureModel model() {
        return MixtureCache.get(name, bundle.value()).model();
    }

    /**
     * The next block of up to {@code batchRows} rows' features (from the first {@code inputColumns} columns, encoded),
     * or null at the end; when {@code labels} is given, each row's label (the next column) goes there. Categorical
     * cells outside the saved levels are counted in {@code tally}.
     */
    private FloatMatrix nextBlock(Iterator<Row> rows, RowValues labelValues, List<Integer> labels, CategoricalEncoding.Tally tally) {
        int f = featureNames.size();
        int c = encoding.inputColumns().size();
        Object[] cells = new Object[c];
        return RowBlocks.next(rows, batchRows, f, (row, into, at) -> {
            // Numeric cells with the CSV reader's policy, categorical ones one-hot, as moe predict reads them.
            for (int k = 0; k < c; k++) {
                cells[k] = row.get(k);
            }
            encoding.encodeRow(cells, into, at, where(), tally);
            if (labels != null) {
                labels.add(labelValues.label(row.get(c), where()));
            }
        });
    }

    /** One line on the executor's stderr when a partition had categorical cells outside the saved levels. */
    private static void report(CategoricalEncoding.Tally tally) {
        if (!tally.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(SparkMixture.class).warn("{}{}", where(), tally.summary());
        }
    }

    private static String where() {
        TaskContext task = TaskContext.get();
        return task == null ? "" : "input partition " + task.partitionId() + ": ";
    }

    /** Scores a partition block by block, lazily: a partition is never held in memory whole. */
    private static final class PredictPartition implements FlatMapFunction<Iterator<Row>, Row> {

        private static final long serialVersionUID = 1L;
        private final SparkMixture mixture;
        private final LongAccumulator rowCount;
        /** Numbers as {@code moe predict} writes them, or floats. */
        private final boolean text;
        private final CellTally cells;

        PredictPartition(SparkMixture mixture, LongAccumulator rowCount, boolean text, CellTally cells) {
            this.mixture = mixture;
            this.rowCount = rowCount;
            this.text = text;
            this.cells = cells;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            MixtureModel model = mixture.model();
            List<String> labels = model.labelNames();
            CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
            return new Iterator<>() {
                private MixtureModel.Prediction prediction;
                private int next;

                @Override
                public boolean hasNext() {
                    if (prediction != null && next < prediction.probabilities().rows()) {
                        return true;
                    }
                    FloatMatrix block = mixture.nextBlock(input, null, null, tally);
                    if (block == null) {
                        if (prediction != null) {
                            report(tally); // once, at the partition's end
                            if (cells != null) {
                                cells.add(tally);
                            }
                        }
                        prediction = null;
                        return false;
                    }
                    prediction = model.predict(block);
                    next = 0;
                    if (rowCount != null) {
                        rowCount.add(block.rows());
                    }
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return RowFactory.create(PredictionFormat.cells(labels, prediction, next++, text));
                }
            };
        }
    }

    /** One partition's counts, as {@code moe evaluate} computes them per block. */
    private static final class EvaluatePartition implements FlatMapFunction<Iterator<Row>, PartitionCounts> {

        private static final long serialVersionUID = 1L;
        private final SparkMixture mixture;

        EvaluatePartition(SparkMixture mixture) {
            this.mixture = mixture;
        }

        @Override
        public Iterator<PartitionCounts> call(Iterator<Row> input) {
            MixtureModel model = mixture.model();
            RowValues values = new RowValues(mixture.labelNames, mixture.labelColumn, Set.copyOf(mixture.knownLabels));
            EvaluationCounts counts = EvaluationCounts.of(model);
            List<Integer> labels = new ArrayList<>();
            CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
            long[] leftOut = new long[1];
            int labelCell = mixture.encoding.inputColumns().size();
            Iterator<Row> labelled = mixture.unlabelled.isEmpty() ? input : new LabelledRows(input, row -> {
                boolean skip = mixture.isUnlabelled(row.get(labelCell));
                if (skip) {
                    leftOut[0]++;
                }
                return !skip;
            });
            for (FloatMatrix block = mixture.nextBlock(labelled, values, labels, tally); block != null;
                 labels.clear(), block = mixture.nextBlock(labelled, values, labels, tally)) {
                counts.add(model, block, labels.stream().mapToInt(Integer::intValue).toArray());
            }
            report(tally);
            return List.of(new PartitionCounts(counts, leftOut[0], tally)).iterator();
        }
    }

    /** The rows of a partition that pass a test, lazily (a partition is never held whole). */
    private static final class LabelledRows implements Iterator<Row> {

        private final Iterator<Row> rows;
        private final java.util.function.Predicate<Row> keep;
        private Row next;

        LabelledRows(Iterator<Row> rows, java.util.function.Predicate<Row> keep) {
            this.rows = rows;
            this.keep = keep;
        }

        @Override
        public boolean hasNext() {
            while (next == null && rows.hasNext()) {
                Row row = rows.next();
                if (keep.test(row)) {
                    next = row;
                }
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = next;
            next = null;
            return row;
        }
    }
}
