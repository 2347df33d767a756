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
