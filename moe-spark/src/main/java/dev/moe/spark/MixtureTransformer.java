package dev.moe.spark;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.data.CsvSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A saved mixture as a Spark ML stage: a {@link Model} that adds, to every row, the predicted label
 * ({@code predictionCol}, text), every class's probability ({@code probabilityCol}, a vector in the bundle's label
 * order) and each expert's weight ({@code weightsCol}, a vector in the bundle's expert order; 0: not chosen). Both
 * vectors carry their labels and expert ids as ML attributes. By default the stage reads the bundle's
 * {@linkplain #inputColumns() input columns} by name, in any order, as {@code moe predict} reads a file's: a numeric
 * column as numbers or numeric text, a categorical one as its level (text, or a number read as its text), one-hot
 * encoded with the levels the bundle records (a missing cell or an unseen level: all zeros, counted in the executor's
 * log), a filled numeric column's gap (null, NaN or a missing value's text) as the median the bundle records with its
 * {@code column=missing} feature 1, so a DataFrame as read from the raw CSV needs no encoding stage before it. When {@code featuresCol} is set,
 * features come from that vector column instead, already encoded, in the bundle's {@linkplain #featureNames() feature
 * order}.
 *
 * <p>Scoring is {@link SparkMixture}'s: the bundle's bytes broadcast, loaded once per executor JVM with the plugins it
 * records shipped with the job, rows scored in blocks through {@link MixtureModel#predict}. ML persistence
 * ({@link #write()}, {@link #read()}, and so inside a saved {@code PipelineModel}) stores the params as Spark's
 * default writer does, and the bundle itself, checked again on every load. Plugins are never stored with it: they
 * come from {@link #setPluginsFolder}, else the conf {@value ShippedPlugins#PLUGINS_CONF}, else {@code $MOE_PLUGINS}.
 */
public final class MixtureTransformer extends Model<MixtureTransformer> implements MLWritable {

    private static final long serialVersionUID = 1L;
    private static final String BUNDLE_ENTRY = "bundle/model.moe";

    private final String uid;
    private final byte[] bundle;
    private final String bundleName;
    private final List<String> featureNames;
    private final List<String> labelNames;
    private final List<String> expertIds;
    /** How the input's columns become the features (categorical ones one-hot), when no featuresCol vector is given. */
    private final CategoricalEncoding encoding;
    private transient Path pluginsFolder;

    // Made in the constructor, after uid: a param takes its owner's uid when it is made.
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> weightsCol;
    private final IntParam batchRows;

    private MixtureTransformer(String uid, byte[] bundle, String bundleName, List<String> featureNames, List<String> labelNames,
                               List<String> expertIds, CategoricalEncoding encoding) {
        this.encoding = encoding;
        this.uid = uid;
        this.bundle = bundle;
        this.bundleName = bundleName;
        this.featureNames = List.copyOf(featureNames);
        this.labelNames = List.copyOf(labelNames);
        this.expertIds = List.copyOf(expertIds);
        featuresCol = new Param<>(this, "featuresCol",
                "vector column of the model's features (categorical columns one-hot), in the bundle's feature order; unset: the"
                        + " bundle's input columns, read by name and encoded by the stage");
        predictionCol = new Param<>(this, "predictionCol", "output column: the predicted label");
        probabilityCol = new Param<>(this, "probabilityCol", "output column: a vector of every class's probability, in the bundle's label order");
        weightsCol = new Param<>(this, "weightsCol",
                "output column: a vector of each expert's weight, in the bundle's expert order (0: not chosen)");
        batchRows = new IntParam(this, "batchRows", "rows scored together", ParamValidators.gtEq(1));
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(weightsCol, "expertWeights");
        setDefault(batchRows, SparkMixture.BATCH_ROWS);
    }

    /** The stage for a saved mixture; its plugins (if it records any) from {@code $MOE_PLUGINS} or the session's conf. */
    public static MixtureTransformer fromBundle(Path model) {
        return fromBundle(model, null);
    }

    /**
     * Reads and checks the bundle now, as {@code moe predict} does (a missing plugin is one clear error here).
     *
     * @param pluginsFolder where the plugins the bundle records are; null: the conf or {@code $MOE_PLUGINS}
     */
    public static MixtureTransformer fromBundle(Path model, Path pluginsFolder) {
        byte[] bytes = MixtureCache.bytesOf(model);
        Path plugins = pluginsFolder != null ? pluginsFolder : ShippedPlugins.envFolder();
        SavedMixture mixture = MixtureCache.getOrRead(model, bytes, () -> ShippedPlugins.read(model, plugins));
        MixtureTransformer stage = new MixtureTransformer(Identifiable.randomUID("moeMixture"), bytes, model.getFileName().toString(),
                mixture.featureNames(), mixture.labelNames(), mixture.model().experts().stream().map(AlignedExpert::id).toList(),
                mixture.encoding());
        stage.pluginsFolder = pluginsFolder;
        return stage;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** @return the features the mixture reads, in order: a {@code featuresCol} vector holds these (categorical columns one-hot) */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * @return the columns the stage reads when {@code featuresCol} is not set: the features, except that a categorical
     *         column stands for its {@code column=level} features (equal to {@link #featureNames()} when every column
     *         is numeric)
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

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> weightsCol() {
        return weightsCol;
    }

    public IntParam batchRows() {
        return batchRows;
    }

    public MixtureTransformer setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public MixtureTransformer setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public MixtureTransformer setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public MixtureTransformer setWeightsCol(String value) {
        set(weightsCol, value);
        return this;
    }

    public MixtureTransformer setBatchRows(int value) {
        set(batchRows, value);
        return this;
    }

    /** Where the plugins the bundle records are, on the driver (not saved with the stage: a path of this machine). */
    public MixtureTransformer setPluginsFolder(Path folder) {
        this.pluginsFolder = folder;
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> columns = Arrays.asList(schema.fieldNames());
        if (isDefined(featuresCol)) {
            String column = getOrDefault(featuresCol);
            if (!columns.contains(column)) {
                throw new MoeException("the input has no features column '" + column + "' (" + String.join(", ", columns) + ")");
            }
            if (!schema.apply(column).dataType().equals(SQLDataTypes.VectorType())) {
                throw new MoeException("the features column '" + column + "' is " + schema.apply(column).dataType().simpleString()
                        + ", not a vector");
            }
            // A vector's size is known here when its stage recorded it (VectorAssembler, OneHotEncoder do): a vector
            // built from the raw columns of a mixture with categorical ones is refused now, not by every executor task.
            int size = AttributeGroup.fromStructField(schema.apply(column)).size();
            if (size >= 0 && size != featureNames.size()) {
                throw new MoeException("the features column '" + column + "' holds vectors of size " + size + "; the model reads "
                        + featureNames.size() + " features (" + abbreviated(featureNames) + ")" + (encoding.isIdentity() ? ""
                        : "; its " + (encoding.categorical().isEmpty() ? "filled columns' gaps take the bundle's medians"
                        : encoding.filled().isEmpty() ? "categorical columns are one-hot with the bundle's levels"
                        : "categorical columns are one-hot with the bundle's levels, its filled columns' gaps take its medians")
                        + ": leave featuresCol unset and the stage"
                        + " reads and encodes the " + encoding.inputColumns().size() + " input columns ("
                        + abbreviated(encoding.inputColumns()) + ") itself"));
            }
        } else {
            List<String> inputs = encoding.inputColumns();
            List<String> missing = inputs.stream().filter(f -> !columns.contains(f)).toList();
            if (!missing.isEmpty()) {
                throw new MoeException("the input has no column" + (missing.size() == 1 ? " '" : "s '") + String.join("', '", missing)
                        + "'; the model reads " + inputs.size() + " columns (" + String.join(", ", inputs)
                        + "), the input has " + String.join(", ", columns) + " (or set featuresCol to a vector column)");
            }
        }
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        // The input columns are found by their exact names (StructType.fieldIndex), as the engine reads them; but a session
        // that ignores case (Spark's default) could not select an output column beside an input one of the same letters.
        boolean caseSensitive = org.apache.spark.sql.internal.SQLConf.get().caseSensitiveAnalysis();
        for (Param<String> out : List.of(predictionCol, probabilityCol, weightsCol)) {
            String name = getOrDefault(out);
            if (columns.contains(name)) {
                throw new MoeException("the input already has a column '" + name + "' (" + out.name() + "): choose another name");
            }
            String same = caseSensitive ? null : columns.stream().filter(name::equalsIgnoreCase).findFirst().orElse(null);
            if (same != null) {
                throw new MoeException("the input has a column '" + same + "', and this Spark session compares column names"
                        + " without case (" + SparkScoring.CASE_SENSITIVE + "=false): it could not tell it from the output column '"
                        + name + "' (" + out.name() + "); choose another name with set" + Character.toUpperCase(out.name().charAt(0))
                        + out.name().substring(1) + ", or spark.conf().set(\"" + SparkScoring.CASE_SENSITIVE + "\", \"true\")");
            }
        }
        fields.add(DataTypes.createStructField(getOrDefault(predictionCol), DataTypes.StringType, false));
        fields.add(named(getOrDefault(probabilityCol), labelNames));
        fields.add(named(getOrDefault(weightsCol), expertIds));
        return DataTypes.createStructType(fields);
    }

    /** The first names of a long list (soybean's mixture reads 99 features): a message stays one readable line. */
    private static String abbreviated(List<String> names) {
        return names.size() <= 8 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 6)) + ", ... (" + (names.size() - 6) + " more)";
    }

    private static StructField named(String column, List<String> names) {
        Attribute[] attributes = names.stream().map(n -> NumericAttribute.defaultAttr().withName(n)).toArray(Attribute[]::new);
        return new AttributeGroup(column, attributes).toStructField();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        Path plugins = ShippedPlugins.folder(spark, pluginsFolder);
        Path file = driverCopy();
        try {
            SavedMixture mixture = MixtureCache.getOrRead(file, bundle, () -> ShippedPlugins.read(file, plugins));
            ShippedPlugins.ship(spark, file, mixture, plugins);
        } finally {
            deleteQuietly(file);
        }
        Broadcast<byte[]> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bundle);
        StructType in = dataset.schema();
        int[] columns = isDefined(featuresCol) ? new int[] {in.fieldIndex(getOrDefault(featuresCol))}
                : encoding.inputColumns().stream().mapToInt(in::fieldIndex).toArray();
        ScorePartition score = new ScorePartition(bundleName, broadcast, featureNames, encoding, columns, isDefined(featuresCol),
                (Integer) getOrDefault(batchRows));
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(score);
        return spark.createDataFrame(rows, schema);
    }

    /** The bundle as a file of its own name (the reader checks files; its messages name the bundle). */
    private Path driverCopy() {
        try {
            Path folder = Files.createTempDirectory("moe-stage-");
            return Files.write(folder.resolve(bundleName), bundle);
        } catch (IOException e) {
            throw new MoeException("cannot write a temporary copy of " + bundleName + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException ignored) {
            // A temporary file: the OS cleans it up.
        }
    }

    @Override
    public MixtureTransformer copy(ParamMap extra) {
        MixtureTransformer copy = new MixtureTransformer(uid, bundle, bundleName, featureNames, labelNames, expertIds, encoding);
        copy.pluginsFolder = pluginsFolder;
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<MixtureTransformer> read() {
        return new Reader();
    }

    public static MixtureTransformer load(String path) {
        return read().load(path);
    }

    /** Spark's default params metadata, and the bundle's bytes beside it. */
    private static final class Writer extends MLWriter {
        private final MixtureTransformer stage;

        Writer(MixtureTransformer stage) {
            this.stage = stage;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(stage, path, sc(), Option.empty(), Option.empty());
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path, BUNDLE_ENTRY);
            try {
                FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream out = fs.create(target, false)) {
                    out.write(stage.bundle);
                }
            } catch (IOException e) {
                throw new MoeException("cannot write " + target + ": " + e.getMessage());
            }
        }
    }

    /** The params as saved, and the bundle, checked again as {@code moe predict} checks it (plugins included). */
    private static final class Reader extends MLReader<MixtureTransformer> {
        @Override
        public MixtureTransformer load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(), MixtureTransformer.class.getName());
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path, BUNDLE_ENTRY);
            Path local;
            try {
                FileSystem fs = source.getFileSystem(sc().hadoopConfiguration());
                local = Files.createTempDirectory("moe-stage-").resolve("model.moe");
                try (InputStream in = fs.open(source)) {
                    Files.copy(in, local);
                }
            } catch (IOException e) {
                throw new MoeException("cannot read the saved mixture " + source + ": " + e.getMessage());
            }
            try {
                MixtureTransformer stage = fromBundle(local, ShippedPlugins.folder(sparkSession(), null));
                MixtureTransformer loaded = new MixtureTransformer(metadata.uid(), stage.bundle, stage.bundleName,
                        stage.featureNames, stage.labelNames, stage.expertIds, stage.encoding);
                metadata.getAndSetParams(loaded, Option.empty());
                return loaded;
            } finally {
                deleteQuietly(local);
            }
        }
    }

    /** Scores a partition block by block, lazily, keeping every input column of every row. */
    private static final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final Broadcast<byte[]> bundle;
        private final List<String> featureNames;
        private final CategoricalEncoding encoding;
        private final int[] columns;
        private final boolean vector;
        private final int batchRows;

        ScorePartition(String name, Broadcast<byte[]> bundle, List<String> featureNames, CategoricalEncoding encoding, int[] columns,
                       boolean vector, int batchRows) {
            this.encoding = encoding;
            this.name = name;
            this.bundle = bundle;
            this.featureNames = featureNames;
            this.columns = columns;
            this.vector = vector;
            this.batchRows = batchRows;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            MixtureModel model = MixtureCache.get(name, bundle.value()).model();
            int f = featureNames.size();
            CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
            Object[] cells = new Object[columns.length];
            return new Iterator<>() {
                private final List<Row> block = new ArrayList<>();
                private boolean said;
                private MixtureModel.Prediction prediction;
                private int next;

                @Override
                public boolean hasNext() {
                    if (next < block.size()) {
                        return true;
                    }
                    block.clear();
                    next = 0;
                    FloatMatrix values = RowBlocks.next(input, batchRows, f, (row, into, at) -> {
                        features(row, into, at, cells, tally);
                        block.add(row);
                    });
                    if (values == null) {
                        if (!tally.isEmpty() && !said) {
                            said = true; // once, at the partition's end
                            org.slf4j.LoggerFactory.getLogger(MixtureTransformer.class).warn(tally.summary());
                        }
                        return false;
                    }
                    prediction = model.predict(values);
                    return true;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int r = next;
                    Row row = block.get(next++);
                    FloatMatrix p = prediction.probabilities();
                    FloatMatrix w = prediction.weights();
                    Object[] cells = Arrays.copyOf(toArray(row), row.size() + 3);
                    cells[row.size()] = model.labelNames().get(p.argMaxOfRow(r));
                    cells[row.size() + 1] = Vectors.dense(doubles(p, r));
                    cells[row.size() + 2] = Vectors.dense(doubles(w, r));
                    return RowFactory.create(cells);
                }
            };
        }

        private static Object[] toArray(Row row) {
            Object[] cells = new Object[row.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = row.get(i);
            }
            return cells;
        }

        private static double[] doubles(FloatMatrix m, int r) {
            double[] out = new double[m.columns()];
            for (int j = 0; j < out.length; j++) {
                out[j] = m.get(r, j);
            }
            return out;
        }

        private void features(Row row, float[] into, int at, Object[] cells, CategoricalEncoding.Tally tally) {
            if (vector) {
                Object cell = row.get(columns[0]);
                if (!(cell instanceof Vector v)) {
                    throw new MoeException("the features column holds no vector in a row: " + cell);
                }
                if (v.size() != featureNames.size()) {
                    throw new MoeException("a features vector has " + v.size() + " values; the model reads " + featureNames.size()
                            + " (" + String.join(", ", featureNames) + ")");
                }
                for (int k = 0; k < v.size(); k++) {
                    into[at + k] = finite((float) v.apply(k), featureNames.get(k), v.apply(k));
                }
                return;
            }
            for (int k = 0; k < columns.length; k++) {
                cells[k] = row.get(columns[k]);
            }
            // Numeric cells with the CSV reader's policy, categorical ones one-hot, as moe predict reads them.
            encoding.encodeRow(cells, into, at, "", tally);
        }

        private static float finite(float v, String column, Object cell) {
            return CsvSource.requireFinite(v, cell, "", column);
        }
    }
}
