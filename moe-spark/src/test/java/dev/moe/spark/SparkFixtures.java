package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.moe.api.FloatMatrix;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SaveRequest;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.scoring.CsvEvaluation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A small seed mixture (three nd4j-mlp experts, top-k routing) trained in the test, and generated CSV rows. */
final class SparkFixtures {

    static final String CONFIG = """
            seed: 5
            data: { source: synthetic-seed, rows: 600 }
            split: { experts: 0.5, gate: 0.3, test: 0.2, balance-experts: true }
            experts:
              - { id: expert1, provider: nd4j-mlp, subset: { labels: ["0", "1"] }, params: { hidden: 8, epochs: 20, learning-rate: 0.03 } }
              - { id: expert2, provider: nd4j-mlp, subset: { labels: ["1", "2"] }, params: { hidden: 8, epochs: 20, learning-rate: 0.03 } }
              - { id: expert3, provider: nd4j-mlp, subset: { labels: ["0", "2"] }, params: { hidden: 8, epochs: 20, learning-rate: 0.03 } }
            gate: { choose: gate, hidden: [6], activations: [leaky-relu], epochs: 30, learning-rate: 0.05 }
            """;

    private SparkFixtures() {
    }

    /** Trains the mixture (through the runtime's YAML config) and saves it (JSON manifest) to {@code model}. */
    static void writeModel(Path model) {
        writeModel(model, null);
    }

    /** The same mixture, its provenance saying it was trained on {@code trainedOn} (that file's name and SHA-256), if given. */
    static void writeModel(Path model, Path trainedOn) {
        ProviderRegistry registry = ProviderRegistry.fromClassPath();
        MoeConfig config = ConfigLoader.parse(CONFIG, Path.of("seed-small.yaml"));
        Experiment experiment = Guice.createInjector(new MoeModule(config, registry)).getInstance(Experiment.class);
        Experiment.TrainedRun run = experiment.train(config.seedOrDefault(), "", ProgressListener.SILENT);
        // top-k (k=2): sparse routing, so the experts see row subsets, as in moe-runtime's CsvPredictionsTest.
        MixtureModel trained = run.model();
        RoutingStrategy topK = registry.routingProviders().get("top-k").provider()
                .create(new Parameters("routing.params", Map.of("k", 2)), trained.experts().size());
        MixtureModel m = new MixtureModel(trained.gate(), topK, trained.experts(), trained.labelNames());
        SaveRequest base = run.saveRequest(config, registry, CONFIG);
        BundleManifest.Provenance p = base.provenance();
        if (trainedOn != null) {
            p = new BundleManifest.Provenance(p.configFile(), p.configEntry(), p.seed(), "csv", trainedOn.getFileName().toString(),
                    p.dataRows(), p.dataSha256(), BundleFormat.fileSha256(trainedOn), p.testRows(), p.testAccuracy(), p.libraries());
        }
        new BundleWriter(registry).write(new SaveRequest(m, base.featureNames(), Map.of("k", 2), base.experts(),
                base.labelColumn(), p, base.configText()), model);
    }

    /** Synthetic seed rows, columns in another order than the model's and an extra id column: found by name. */
    static void writeCsv(Path csv, int rows, long seed) throws IOException {
        Dataset data = SyntheticSeedSource.generate(rows, seed);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("id,label,feature3,feature1,feature0,feature2\n");
            FloatMatrix x = data.features();
            for (int r = 0; r < rows; r++) {
                w.write(r + "," + data.labelNames().get(data.labels()[r]) + "," + x.get(r, 3) + "," + x.get(r, 1) + ","
                        + x.get(r, 0) + "," + x.get(r, 2) + "\n");
            }
        }
    }

    /**
     * A mixture of two small nd4j-mlp experts trained on {@code csv} (its `data:` line given: which columns are ignored,
     * categorical or filled) and saved to {@code model}; the saved mixture as it reads back.
     */
    static SavedMixture twoExpertBundle(Path csv, String data, Path model) {
        ProviderRegistry registry = ProviderRegistry.fromClassPath();
        MoeConfig config = ConfigLoader.parse("""
                seed: 4
                data: { source: csv, path: %s, %s }
                split: { experts: 0.4, gate: 0.3, test: 0.3 }
                experts:
                  - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 30, learning-rate: 0.05 } }
                  - { id: b, provider: nd4j-mlp, params: { hidden: 6, epochs: 30, learning-rate: 0.05 } }
                gate: { choose: gate, epochs: 30, learning-rate: 0.05 }
                """.formatted(csv.getFileName(), data), csv.resolveSibling("bundle.yaml"));
        Experiment.TrainedRun run = Guice.createInjector(new MoeModule(config, registry)).getInstance(Experiment.class)
                .train(config.seedOrDefault(), "", ProgressListener.SILENT);
        new BundleWriter(registry).write(run.saveRequest(config, registry, null), model);
        return new BundleReader(registry).read(model);
    }

    /** The lines of a folder of Spark's CSV part files, in order, with the header once: {@code moe predict}'s file. */
    static List<String> partLines(Path folder) throws java.io.IOException {
        List<String> all = new java.util.ArrayList<>();
        List<Path> parts;
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            all.addAll(all.isEmpty() ? lines : lines.subList(1, lines.size()));
        }
        return all;
    }

    static SparkSession localSpark(String app) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                // About 5 MiB of CSV: several partitions, whose blocks end elsewhere than the single process's.
                .config("spark.sql.files.maxPartitionBytes", String.valueOf(1 << 20))
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    /**
     * Prediction CSV lines equal to {@code want}'s: the same header, labels and row order, and the same numbers to
     * 1e-6. Not bit for bit: partitions score blocks of other row counts, which some OpenBLAS kernels round
     * differently (equal bits with Haswell and SKYLAKEX, not with OpenBLAS's fallback for unknown processors).
     */
    static void assertSamePredictions(java.util.List<String> want, java.util.List<String> got) {
        org.junit.jupiter.api.Assertions.assertEquals(want.size(), got.size(), "lines");
        org.junit.jupiter.api.Assertions.assertEquals(want.get(0), got.get(0), "header");
        for (int i = 1; i < want.size(); i++) {
            String[] w = want.get(i).split(",");
            String[] g = got.get(i).split(",");
            org.junit.jupiter.api.Assertions.assertEquals(w.length, g.length, "line " + (i + 1));
            org.junit.jupiter.api.Assertions.assertEquals(w[0], g[0], "line " + (i + 1) + ": the predicted label");
            for (int j = 1; j < w.length; j++) {
                org.junit.jupiter.api.Assertions.assertEquals(Float.parseFloat(w[j]), Float.parseFloat(g[j]), 1e-6f,
                        "line " + (i + 1) + ", column " + (j + 1));
            }
        }
    }

    /**
     * The engine on {@code csv} against moe's own scoring of the saved mixture: predictions equal to {@code expected}
     * (moe predict's lines), accuracy equal to moe evaluate -m's, and the input without {@code column} refused by name.
     * What the categorical and filled columns' Spark tests share.
     */
    static void assertEngineAsMoe(SparkSession spark, Path model, Path csv, SavedMixture single, List<String> expected,
                                  Path out, String column) throws IOException {
        SparkMixture mixture = SparkMixture.load(spark, model);
        SparkMixture.writeCsv(mixture.predict(SparkMixture.read(spark, csv.toString()), null), out.toString());
        assertSamePredictions(expected, partLines(out));
        SparkEvaluation evaluated = mixture.evaluate(SparkMixture.read(spark, csv.toString()));
        assertEquals(CsvEvaluation.evaluate(single, csv).accuracy(),
                evaluated.accuracy());
        Exception missing = assertThrows(MoeException.class,
                () -> mixture.predict(SparkMixture.read(spark, csv.toString()).drop(column)));
        assertTrue(missing.getMessage().contains("no column '" + column + "'"), missing.getMessage());
    }

    /**
     * The ML stage in a pipeline on {@code input} (an {@code id} column of row numbers), every row's prediction and
     * probabilities equal to {@code expected}'s (moe predict's lines), the probabilities as the float bits it wrote.
     */
    static void assertStageAsMoePredict(MixtureTransformer stage, org.apache.spark.sql.Dataset<Row> input,
                                        List<String> expected, int rows) {
        List<Row> scored = new Pipeline()
                .setStages(new PipelineStage[] {stage}).fit(input).transform(input)
                .select("id", "prediction", "probability").collectAsList();
        assertEquals(rows, scored.size());
        for (Row row : scored) {
            int id = Integer.parseInt(row.getString(0));
            String[] want = expected.get(id + 1).split(",");
            assertEquals(want[0], row.getString(1), "row " + id);
            double[] p = ((Vector) row.get(2)).toArray();
            for (int j = 0; j < p.length; j++) {
                assertEquals(Float.parseFloat(want[2 + j]), (float) p[j], "row " + id);
            }
        }
    }
}
