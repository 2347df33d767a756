package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.report.ReportWriter;
import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: predict from CSV and from Parquet, evaluate with a JSON report, usage and input errors. */
class SparkScoringTest {

    static final int ROWS = 5_000;

    @TempDir
    static Path dir;
    static Path model;
    static Path csv;
    static SavedMixture single;

    @BeforeAll
    static void setUp() throws IOException {
        model = dir.resolve("cli.moe");
        SparkFixtures.writeModel(model);
        single = new BundleReader(ProviderRegistry.fromClassPath()).read(model);
        csv = dir.resolve("cli.csv");
        SparkFixtures.writeCsv(csv, ROWS, 3);
    }

    /** Spark 3.5 on Java 23 or later failed as "internal error: ... getSubject is not supported". */
    @Test
    void hadoopsLoginOnANewerJavaIsNamed() {
        Exception e = new RuntimeException("failed to start", new UnsupportedOperationException("getSubject is not supported"));
        String message = SparkScoring.message(e);
        assertTrue(message != null && message.startsWith("Spark 3.5 runs on Java 17 to 22") && message.endsWith("JDK 17 or 21"),
                String.valueOf(message));
        assertEquals(null, SparkScoring.message(new UnsupportedOperationException("something else")));
    }

    @Test
    void predictFromCsvAndParquetGivesTheSingleProcessRows() throws IOException {
        Path expected = dir.resolve("single.csv");
        CsvPredictions.write(single, csv, expected);
        List<String> want = Files.readAllLines(expected, StandardCharsets.UTF_8);

        Path out = dir.resolve("out-csv");
        Run r = run("predict", "-m", model.toString(), "--input", csv.toString(), "--output", out.toString(), "--master", "local[2]",
                "--batch-rows", "1000");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("predicted " + ROWS + " rows"), r.out);
        java.util.regex.Matcher partitions = java.util.regex.Pattern.compile("(\\d+) partition(s?)\\)").matcher(r.out);
        assertTrue(partitions.find(), r.out);
        assertEquals(partitions.group(1).equals("1"), partitions.group(2).isEmpty(), "one partition, or partitions: " + r.out);
        SparkFixtures.assertSamePredictions(want, lines(out));

        // Parquet with float columns: the same floats, so the same rows.
        SparkSession spark = SparkFixtures.localSpark("SparkScoringTest");
        Path parquet = dir.resolve("cli.parquet");
        var frame = SparkMixture.read(spark, csv.toString());
        for (String f : single.featureNames()) {
            frame = frame.withColumn(f, functions.col(f).cast("float"));
        }
        frame.write().parquet(parquet.toString());
        Path outParquet = dir.resolve("out-parquet");
        r = run("predict", "-m", model.toString(), "--input", parquet.toString(), "--output", outParquet.toString(), "--master", "local[2]");
        assertEquals(0, r.status, r.err);
        SparkFixtures.assertSamePredictions(want, lines(outParquet));
    }

    /**
     * A mixture of onnx experts (examples/onnx's PyTorch MLPs) predicts on Spark as in one process: the provider ships
     * with the job's libraries, and each executor reads the experts' ONNX bytes from the bundle.
     */
    @Test
    void aMixtureOfOnnxExpertsPredictsAsInOneProcess() throws IOException {
        ProviderRegistry registry = ProviderRegistry.fromClassPath();
        Path configFile = Path.of("../examples/onnx/seed-experiment-onnx.yaml").toAbsolutePath().normalize();
        MoeConfig config = ConfigLoader.load(configFile);
        Experiment.TrainedRun trained = Guice.createInjector(new MoeModule(config, registry)).getInstance(Experiment.class)
                .train(config.seedOrDefault(), "", ProgressListener.SILENT);
        Path onnx = dir.resolve("onnx.moe");
        new BundleWriter(registry).write(trained.saveRequest(config, registry, Files.readString(configFile)), onnx);
        Path expected = dir.resolve("onnx-single.csv");
        CsvPredictions.write(new BundleReader(registry).read(onnx), csv, expected);

        Path out = dir.resolve("onnx-out");
        Run r = run("predict", "-m", onnx.toString(), "--input", csv.toString(), "--output", out.toString(), "--master", "local[2]");
        assertEquals(0, r.status, r.err);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected, StandardCharsets.UTF_8), lines(out));
    }

    /**
     * A mixture with an xgboost expert (a model XGBoost 1.7.4 saved, from the provider's tests) predicts on Spark as in
     * one process: the provider ships with the job's libraries, and each executor reads the model's JSON from the
     * bundle. (On wine: examples/xgboost's vehicle has columns that differ only in case, which Spark's CSV reader
     * renames.)
     */
    @Test
    void aMixtureWithAnXGBoostExpertPredictsAsInOneProcess() throws IOException {
        Path wine = Path.of("../examples/data/wine.csv").toAbsolutePath().normalize();
        Files.copy(Path.of("../moe-experts/moe-expert-xgboost/src/test/resources/xgboost/wine-softprob.json"),
                dir.resolve("wine-xgboost.json"));
        String columns = Files.readAllLines(wine).get(0).replace(",label", "").replace(",", ", ");
        Path configFile = Files.writeString(dir.resolve("wine-xgboost.yaml"), """
                seed: 3
                data: { source: csv, path: %s }
                split: { test: 0.3 }
                experts:
                  - { id: xgb, provider: xgboost, params: { model: wine-xgboost.json, features: [%s], labels: [class_0, class_1, class_2] } }
                  - { id: cart, provider: tribuo, params: { algorithm: cart, max-depth: 3 } }
                """.formatted(wine, columns));
        ProviderRegistry registry = ProviderRegistry.fromClassPath();
        MoeConfig config = ConfigLoader.load(configFile);
        Experiment.TrainedRun trained = Guice.createInjector(new MoeModule(config, registry)).getInstance(Experiment.class)
                .train(config.seedOrDefault(), "", ProgressListener.SILENT);
        Path xgboost = dir.resolve("xgboost.moe");
        new BundleWriter(registry).write(trained.saveRequest(config, registry, Files.readString(configFile)), xgboost);
        Files.delete(dir.resolve("wine-xgboost.json"));
        Path expected = dir.resolve("xgboost-single.csv");
        CsvPredictions.write(new BundleReader(registry).read(xgboost), wine, expected);

        Path out = dir.resolve("xgboost-out");
        Run r = run("predict", "-m", xgboost.toString(), "--input", wine.toString(), "--output", out.toString(),
                "--master", "local[2]");
        assertEquals(0, r.status, r.err);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected, StandardCharsets.UTF_8), lines(out));
    }

    @Test
    void evaluateWritesTheTableAndJson() throws IOException {
        Path json = dir.resolve("report.json");
        Run r = run("evaluate", "-m", model.toString(), csv.toString(), "--json", json.toString(), "--master", "local[2]");
        assertEquals(0, r.status, r.err);
        CsvEvaluation.Result expected = CsvEvaluation.evaluate(single, csv);
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        // The report moe evaluate -m writes for the same rows: labels and counts exactly, numbers to 1e-6.
        EvaluationReport singleReport = expected.report(single);
        assertEquals(ROWS, report.get("testRows").asLong());
        assertEquals(singleReport.results().size(), report.get("results").size());
        for (int i = 0; i < singleReport.results().size(); i++) {
            JsonNode row = report.get("results").get(i);
            assertEquals(singleReport.results().get(i).model(), row.get("model").asText());
            assertEquals(singleReport.results().get(i).accuracy(), row.get("accuracy").asDouble(), 1e-12);
            assertEquals(singleReport.results().get(i).logLoss(), row.get("logLoss").asDouble(), 1e-6);
        }
        long total = 0;
        for (JsonNode row : report.get("moeConfusion")) {
            for (JsonNode cell : row) {
                total += cell.asLong();
            }
        }
        assertEquals(ROWS, total);
        // Which rows it scored, as moe evaluate -m --json records them, so that moe compare pairs the two engines' reports.
        assertEquals(dev.moe.runtime.evaluation.TestRows.ofFile(dev.moe.runtime.bundle.BundleFormat.fileSha256(csv)),
                report.get("testRowsFingerprints").get(0).asText());
        assertTrue(report.get("testRowsFingerprints").get(0).asText().startsWith("file:"), report.toString());
        assertEquals(ReportWriter.table(singleReport).lines().findFirst(), r.out.lines().findFirst());
        assertTrue(r.out.contains("strategy "), r.out);
        assertFalse(r.out.contains("trained on"), r.out);

        // A mixture whose provenance names this very file says its figures on it are optimistic, as moe evaluate -m does.
        Path trainedHere = dir.resolve("trained-on-cli.moe");
        SparkFixtures.writeModel(trainedHere, csv);
        r = run("evaluate", "-m", trainedHere.toString(), csv.toString(), "--master", "local[2]");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("notice: cli.csv is the file this mixture was trained on"), r.out);
    }

    @Test
    void badInputIsOneLineAndStatusTwo() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "feature0,feature1,feature2,feature3,label\n0.5,1,x,3,0\n");
        Run r = run("predict", "-m", model.toString(), "--input", bad.toString(), "--output", dir.resolve("bad-out").toString(),
                "--master", "local[1]");
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("column 'feature2': not a number: 'x'"), r.err);
        assertFalse(r.err.contains("\tat "), r.err);

        r = run("predict", "-m", dir.resolve("missing.moe").toString(), "--input", csv.toString(), "--output", "x", "--master", "local[1]");
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("model file not found"), r.err);

        r = run("evaluate", "-m", model.toString());
        assertEquals(64, r.status);
        assertTrue(r.err.contains("evaluate needs --input"), r.err);
    }

    /**
     * Spark unpacks by the name, moe's local engine by the first bytes: a gzip file without .gz (or a plain one with it)
     * is named in one line before any job, and the same bytes named .gz give moe predict's rows.
     */
    @Test
    void aGzipFileNamedWithoutGzIsNamedBeforeAnyJob() throws IOException {
        Path packed = dir.resolve("packed.csv");
        try (var gzip = new java.util.zip.GZIPOutputStream(Files.newOutputStream(packed))) {
            Files.copy(csv, gzip);
        }
        Run r = run("predict", "-m", model.toString(), "--input", packed.toString(), "--output", dir.resolve("packed-out").toString(),
                "--master", "local[1]");
        assertEquals(2, r.status, r.err);
        assertEquals("moe-spark: " + packed + ": gzip-compressed, but its name does not end in .gz, which is how Spark knows to unpack a"
                + " file: rename it to packed.csv.gz (moe's local engine reads it either way)", r.err.strip());
        assertFalse(Files.exists(dir.resolve("packed-out")));

        Path plain = dir.resolve("plain.csv.gz");
        Files.copy(csv, plain);
        r = run("predict", "-m", model.toString(), "--input", plain.toString(), "--output", dir.resolve("plain-out").toString(),
                "--master", "local[1]");
        assertEquals(2, r.status, r.err);
        assertEquals("moe-spark: " + plain + ": named .gz but not gzip-compressed, and Spark unpacks a file by its name: rename it without"
                + " .gz, or compress it (gzip)", r.err.strip());

        Path named = dir.resolve("packed.csv.gz");
        Files.move(packed, named);
        Path out = dir.resolve("named-out");
        r = run("predict", "-m", model.toString(), "--input", named.toString(), "--output", out.toString(), "--master", "local[1]");
        assertEquals(0, r.status, r.err);
        Path expected = dir.resolve("single-gz.csv");
        CsvPredictions.write(single, csv, expected);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected, StandardCharsets.UTF_8), lines(out));
    }

    /**
     * Column names that differ only in case (vehicle's Sc.Var.Maxis and Sc.Var.maxis) are two columns, as for moe's own
     * engine: Spark's default session renamed them (feature1 became feature14) and the job refused the input. A session
     * of the user's that compares names without case is refused in one line saying what to set.
     */
    @Test
    void namesThatDifferOnlyInCaseAreTwoColumns() throws IOException {
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Path cased = dir.resolve("cased.csv");
        List<String> withUpper = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            withUpper.add(rows.get(i) + (i == 0 ? ",Feature1" : ",-999")); // a column the model does not read
        }
        Files.write(cased, withUpper, StandardCharsets.UTF_8);
        Path out = dir.resolve("out-cased");
        Run r = run("predict", "-m", model.toString(), "--input", cased.toString(), "--output", out.toString(), "--master", "local[1]");
        assertEquals(0, r.status, r.err);
        Path expected = dir.resolve("single-cased.csv");
        CsvPredictions.write(single, csv, expected);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected, StandardCharsets.UTF_8), lines(out));

        SparkSession spark = SparkFixtures.localSpark("SparkScoringTest");
        String before = spark.conf().get(SparkScoring.CASE_SENSITIVE, "false");
        spark.conf().set(SparkScoring.CASE_SENSITIVE, "false");
        try {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(dev.moe.runtime.MoeException.class,
                    () -> SparkMixture.read(spark, cased.toString()));
            assertEquals(cased + ": columns 'feature1' and 'Feature1' differ only in case, and this Spark session compares"
                    + " column names without case: set spark.sql.caseSensitive=true", e.getMessage());
            assertEquals("false", spark.conf().get(SparkScoring.CASE_SENSITIVE), "the session's setting is left as it was");
        } finally {
            spark.conf().set(SparkScoring.CASE_SENSITIVE, before);
        }
    }

    private static List<String> lines(Path folder) throws IOException {
        return SparkFixtures.partLines(folder);
    }

    private record Run(int status, String out, String err) { }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkScoring.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
