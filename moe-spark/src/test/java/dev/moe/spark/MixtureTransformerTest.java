package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved mixture as a Spark ML stage: in a Pipeline after a VectorAssembler (features vector), or alone on the named
 * columns; the same labels and probabilities as {@code moe predict}; the fitted pipeline saved and loaded back gives
 * the same rows; an existing folder is not overwritten unless asked.
 */
class MixtureTransformerTest {

    static final int ROWS = 3_000;

    @TempDir
    static Path dir;
    static Path model;
    static SparkSession spark;
    static Dataset<Row> text;
    static List<String> expected;

    @BeforeAll
    static void setUp() throws IOException {
        model = dir.resolve("seed.moe");
        SparkFixtures.writeModel(model);
        Path csv = dir.resolve("rows.csv");
        SparkFixtures.writeCsv(csv, ROWS, 8);
        SavedMixture single = new BundleReader(ProviderRegistry.fromClassPath()).read(model);
        Path out = dir.resolve("single.csv");
        CsvPredictions.write(single, csv, out);
        expected = Files.readAllLines(out);
        spark = SparkFixtures.localSpark("MixtureTransformerTest");
        text = SparkMixture.read(spark, csv.toString());
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void inAPipelineItPredictsAsMoePredictAndSurvivesSaveAndLoad() throws IOException {
        MixtureTransformer stage = MixtureTransformer.fromBundle(model).setFeaturesCol("features").setBatchRows(700);
        Dataset<Row> numbers = text;
        for (String f : stage.featureNames()) {
            numbers = numbers.withColumn(f, functions.col(f).cast("double"));
        }
        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(stage.featureNames().toArray(String[]::new)).setOutputCol("features");
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, stage}).fit(numbers);
        List<Row> scored = fitted.transform(numbers).select("id", "prediction", "probability", "expertWeights").collectAsList();
        assertSameAsMoePredict(scored);

        AttributeGroup labels = AttributeGroup.fromStructField(fitted.transform(numbers).schema().apply("probability"));
        assertEquals(List.of("0", "1", "2"), Arrays.stream(labels.attributes().get()).map(a -> a.name().get()).toList());

        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        Exception refused = assertThrows(IOException.class, () -> fitted.write().save(path));
        assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
        fitted.write().overwrite().save(path);

        PipelineModel loaded = PipelineModel.load(path);
        MixtureTransformer loadedStage = (MixtureTransformer) loaded.stages()[1];
        assertEquals(stage.uid(), loadedStage.uid());
        assertEquals(700, (Integer) loadedStage.getOrDefault(loadedStage.batchRows()));
        List<Row> again = loaded.transform(numbers).select("id", "prediction", "probability", "expertWeights").collectAsList();
        assertEquals(scored, again);
    }

    @Test
    void namedColumnsInAnyOrderAndAsText() {
        MixtureTransformer stage = MixtureTransformer.fromBundle(model).setPredictionCol("label_out");
        List<Row> scored = stage.transform(text).select("id", "label_out", "probability", "expertWeights").collectAsList();
        assertSameAsMoePredict(scored);

        MoeException clash = assertThrows(MoeException.class, () -> stage.setPredictionCol("label").transform(text));
        assertTrue(clash.getMessage().contains("already has a column 'label'"), clash.getMessage());
        MoeException missing = assertThrows(MoeException.class,
                () -> MixtureTransformer.fromBundle(model).transform(text.drop("feature2")));
        assertTrue(missing.getMessage().contains("no column 'feature2'"), missing.getMessage());
    }

    /**
     * Under Spark's default case-insensitive session, a DataFrame may hold two columns whose names differ only in case
     * (here {@code feature1}, which the model reads, and {@code Feature1}, which it does not): the stage reads its
     * columns by their exact names, as the engine does, and leaves the session's setting as it was.
     */
    @Test
    void columnsWhoseNamesDifferOnlyInCaseAreReadByTheirExactNames() {
        assertEquals("false", spark.conf().get(SparkScoring.CASE_SENSITIVE, "false"), "Spark's default");
        Dataset<Row> cased = text.select(functions.col("*"), functions.lit("-999").as("Feature1"));
        assertTrue(List.of(cased.columns()).containsAll(List.of("feature1", "Feature1")), String.join(", ", cased.columns()));
        MixtureTransformer stage = MixtureTransformer.fromBundle(model);
        List<Row> scored = stage.transform(cased).select("id", "prediction", "probability", "expertWeights").collectAsList();
        assertSameAsMoePredict(scored);
        // The other way round: the model's column second, the other first.
        Dataset<Row> before = text.select(functions.lit("-999").as("FEATURE1"), functions.col("*"));
        assertSameAsMoePredict(stage.transform(before).select("id", "prediction", "probability", "expertWeights").collectAsList());
        assertEquals("false", spark.conf().get(SparkScoring.CASE_SENSITIVE, "false"), "the session's setting is left as it was");
    }

    /**
     * An output column whose name differs only in case from an input column's ({@code Prediction} beside the stage's
     * {@code prediction}) could not be selected afterwards in a case-insensitive session (Spark's "ambiguous reference"):
     * refused on the driver, in one line saying what to do; allowed once the session tells the two apart.
     */
    @Test
    void anOutputColumnThatDiffersOnlyInCaseFromAnInputColumnIsRefusedWhenTheSessionIgnoresCase() {
        Dataset<Row> cased = text.select(functions.col("*"), functions.lit("yes").as("Prediction"));
        MixtureTransformer stage = MixtureTransformer.fromBundle(model);
        MoeException e = assertThrows(MoeException.class, () -> stage.transform(cased));
        assertEquals("the input has a column 'Prediction', and this Spark session compares column names without case"
                + " (spark.sql.caseSensitive=false): it could not tell it from the output column 'prediction' (predictionCol);"
                + " choose another name with setPredictionCol, or spark.conf().set(\"spark.sql.caseSensitive\", \"true\")",
                e.getMessage());
        MoeException weights = assertThrows(MoeException.class,
                () -> stage.transformSchema(text.select(functions.col("*"), functions.lit(1).as("EXPERTWEIGHTS")).schema()));
        assertTrue(weights.getMessage().startsWith("the input has a column 'EXPERTWEIGHTS', and this Spark session"), weights.getMessage());
        assertTrue(weights.getMessage().contains("the output column 'expertWeights' (weightsCol); choose another name with setWeightsCol"),
                weights.getMessage());

        assertEquals(3_000, stage.setPredictionCol("predicted").transform(cased).select("Prediction", "predicted").count());
        spark.conf().set(SparkScoring.CASE_SENSITIVE, "true");
        try {
            List<Row> scored = MixtureTransformer.fromBundle(model).transform(cased)
                    .select("id", "prediction", "probability", "expertWeights").collectAsList();
            assertSameAsMoePredict(scored);
        } finally {
            spark.conf().set(SparkScoring.CASE_SENSITIVE, "false");
        }
    }

    /** A model that reads both columns (vehicle reads Sc.Var.Maxis and Sc.Var.maxis), on a case-insensitive session. */
    @Test
    void aModelReadingTwoColumnsThatDifferOnlyInCaseReadsEachByItsName() throws IOException {
        StringBuilder rows = new StringBuilder("id,Comp,comp,label\n");
        for (int r = 0; r < 200; r++) {
            double a = ((r * 37) % 200) / 100.0 - 1;
            double b = ((r * 53) % 200) / 100.0 - 1;
            rows.append(r).append(',').append(a).append(',').append(b).append(',').append(a > b ? "up" : "down").append('\n');
        }
        Path csv = Files.writeString(dir.resolve("cased.csv"), rows);
        Path casedModel = dir.resolve("cased.moe");
        SavedMixture single = SparkFixtures.twoExpertBundle(csv, "ignore: [id]", casedModel);
        assertEquals(List.of("Comp", "comp"), single.featureNames());
        Path out = dir.resolve("cased-single.csv");
        CsvPredictions.write(single, csv, out);
        List<String> want = Files.readAllLines(out);

        assertEquals("false", spark.conf().get(SparkScoring.CASE_SENSITIVE, "false"), "Spark's default");
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", "string").add("Comp", "string").add("comp", "string").add("label", "string");
        List<Row> input = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, 201)) {
            input.add(org.apache.spark.sql.RowFactory.create((Object[]) line.split(",")));
        }
        Dataset<Row> frame = spark.createDataFrame(input, schema);
        List<Row> scored = MixtureTransformer.fromBundle(casedModel).transform(frame).select("id", "prediction", "probability")
                .collectAsList();
        assertEquals(200, scored.size());
        for (Row row : scored) {
            int id = Integer.parseInt(row.getString(0));
            String[] line = want.get(id + 1).split(",");
            assertEquals(line[0], row.getString(1), "row " + id);
            assertArrayEquals(Arrays.stream(line).skip(2).limit(2).mapToDouble(Double::parseDouble).toArray(),
                    ((Vector) row.get(2)).toArray(), 1e-6, "row " + id);
        }
    }

    @Test
    void aGapInACellIsNamedAsTheCsvReaderNamesIt() {
        MixtureTransformer stage = MixtureTransformer.fromBundle(model);
        org.apache.spark.sql.Column row5 = functions.col("id").equalTo("5");
        Dataset<Row> textGap = text.withColumn("feature2", functions.when(row5, functions.lit("NA")).otherwise(functions.col("feature2")));
        Dataset<Row> numberGap = text.withColumn("feature2",
                functions.when(row5, functions.lit(Double.NaN)).otherwise(functions.col("feature2").cast("double")));
        for (Dataset<Row> gap : List.of(textGap, numberGap)) {
            Exception refused = assertThrows(Exception.class, () -> stage.transform(gap).collectAsList());
            String chain = messages(refused);
            assertTrue(chain.contains("column 'feature2': a missing value ("), chain);
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    /** Rows (id, label, probabilities, weights) against moe predict's lines: the same label, numbers to 1e-6. */
    private static void assertSameAsMoePredict(List<Row> scored) {
        assertEquals(ROWS, scored.size());
        for (Row row : scored) {
            int id = Integer.parseInt(row.getString(0));
            String[] want = expected.get(id + 1).split(",");
            assertEquals(want[0], row.getString(1), "row " + id);
            double[] p = ((Vector) row.get(2)).toArray();
            double[] w = ((Vector) row.get(3)).toArray();
            double[] wanted = Arrays.stream(want).skip(2).mapToDouble(Double::parseDouble).toArray();
            double[] got = new double[p.length + w.length];
            System.arraycopy(p, 0, got, 0, p.length);
            System.arraycopy(w, 0, got, p.length, w.length);
            assertArrayEquals(wanted, got, 1e-6, "row " + id);
        }
    }
}
