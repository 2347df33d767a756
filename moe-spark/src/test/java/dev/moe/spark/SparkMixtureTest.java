package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.evaluation.ClassificationMetrics;
import dev.moe.runtime.evaluation.TribuoEvaluation;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark local[2] against the single-process runtime on 120k generated rows: the same predictions, byte for byte,
 * and the same evaluation figures.
 */
class SparkMixtureTest {

    static final int ROWS = 120_000;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path csv;
    static SavedMixture single;

    @BeforeAll
    static void setUp() throws IOException {
        model = dir.resolve("seed.moe");
        SparkFixtures.writeModel(model);
        single = new BundleReader(ProviderRegistry.fromClassPath()).read(model);
        csv = dir.resolve("rows.csv");
        SparkFixtures.writeCsv(csv, ROWS, 11);
        spark = SparkFixtures.localSpark("SparkMixtureTest");
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void runtimeJacksonIsSparks() {
        // moe-spark runs the runtime's YAML config and JSON manifest code (setUp) on Spark's Jackson.
        assertTrue(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString().startsWith("2.15."),
                com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    }

    @Test
    void predictionsAreTheSingleProcessOnes() throws IOException {
        Path expected = dir.resolve("single.csv");
        assertEquals(ROWS, CsvPredictions.write(single, csv, expected));

        int loadsBefore = MixtureCache.loads(); // other test classes in this JVM may have loaded other bundles
        SparkMixture mixture = SparkMixture.load(spark, model);
        org.apache.spark.sql.Dataset<Row> input = SparkMixture.read(spark, csv.toString());
        assertTrue(input.javaRDD().getNumPartitions() >= 3, "partitions: " + input.javaRDD().getNumPartitions());
        Path out = dir.resolve("spark-predictions");
        var counted = spark.sparkContext().longAccumulator("rows");
        SparkMixture.writeCsv(mixture.predict(input, counted), out.toString());
        assertEquals(ROWS, counted.value());

        List<String> sparkLines = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(out)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertTrue(parts.size() >= 3, "part files: " + parts);
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            if (sparkLines.isEmpty()) {
                sparkLines.addAll(lines);
            } else {
                assertEquals(sparkLines.get(0), lines.get(0));
                sparkLines.addAll(lines.subList(1, lines.size()));
            }
        }
        List<String> singleLines = Files.readAllLines(expected, StandardCharsets.UTF_8);
        assertEquals(ROWS + 1, singleLines.size());
        SparkFixtures.assertSamePredictions(singleLines, sparkLines);
        // The bundle was read once in this JVM: by the driver, whose copy local[2]'s tasks share (not at all when another
        // test class of this JVM loaded a bundle with the same bytes: the cache is keyed by content).
        int loads = MixtureCache.loads() - loadsBefore;
        assertTrue(loads <= 1, loads + " loads");
    }

    @Test
    void evaluationIsTheSingleProcessOne() {
        CsvEvaluation.Result expected = CsvEvaluation.evaluate(single, csv);
        SparkEvaluation actual = SparkMixture.load(spark, model).evaluate(SparkMixture.read(spark, csv.toString()));
        assertEquals(ROWS, actual.rows());
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.accuracy(), actual.accuracy());

        // Confusion counts and log-loss against the runtime's Tribuo evaluation of all rows at once.
        ClassificationMetrics metrics = singleProcessMetrics();
        assertEquals(metrics.accuracy(), actual.mixtureAccuracy(), 1e-12);
        for (int t = 0; t < 3; t++) {
            long[] row = new long[3];
            for (int p = 0; p < 3; p++) {
                row[p] = metrics.confusion()[t][p];
            }
            assertArrayEquals(row, actual.confusion()[t], "true label " + t);
        }
        assertEquals(metrics.logLoss(), actual.logLoss(), 1e-9);
        assertEquals(metrics.macroF1(), actual.macroF1(), 1e-12);
    }

    @Test
    void missingFeatureAndUnknownLabelAreNamed() throws IOException {
        SparkMixture mixture = SparkMixture.load(spark, model);
        Path noFeature = dir.resolve("no-feature.csv");
        Files.writeString(noFeature, "feature0,feature1,feature2,label\n0.5,1,2,0\n");
        MoeException missing = assertThrows(MoeException.class,
                () -> mixture.predict(SparkMixture.read(spark, noFeature.toString())));
        assertTrue(missing.getMessage().contains("no column 'feature3'"), missing.getMessage());

        Path unknown = dir.resolve("unknown-label.csv");
        Files.writeString(unknown, "feature0,feature1,feature2,feature3,label\n0.5,1,2,3,7\n");
        Exception e = assertThrows(Exception.class, () -> mixture.evaluate(SparkMixture.read(spark, unknown.toString())));
        assertTrue(SparkScoring.message(e).contains("label '7' is known to no expert"), SparkScoring.message(e));
    }

    /** Every row's mixture probabilities from the single-process reader, evaluated at once. */
    private static ClassificationMetrics singleProcessMetrics() {
        List<String> labels = single.labelNames();
        float[] all = new float[ROWS * labels.size()];
        int[] truth = new int[ROWS];
        int done = 0;
        try (CsvSource.Rows reader = CsvSource.Rows.open(csv)) {
            int[] columns = single.featureNames().stream().mapToInt(f -> reader.header().indexOf(f)).toArray();
            int labelColumn = reader.header().indexOf(single.labelColumn());
            for (CsvSource.Block b = reader.next(CsvPredictions.BATCH_ROWS, columns, labelColumn); b != null;
                 b = reader.next(CsvPredictions.BATCH_ROWS, columns, labelColumn)) {
                FloatMatrix p = single.model().predict(b.features()).probabilities();
                System.arraycopy(p.values(), 0, all, done * labels.size(), p.values().length);
                for (int r = 0; r < b.rows(); r++) {
                    truth[done + r] = labels.indexOf(b.labels().get(r));
                }
                done += b.rows();
            }
        }
        assertEquals(ROWS, done);
        return TribuoEvaluation.evaluate(new FloatMatrix(ROWS, labels.size(), all), truth, labels);
    }
}
