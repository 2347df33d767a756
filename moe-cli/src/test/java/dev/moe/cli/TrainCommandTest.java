package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.moe.api.FloatMatrix;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SaveRequest;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moe train}: a trained mixture saved as a bundle predicts what it predicted before saving, for every built-in
 * expert type (nd4j-mlp; tribuo logistic regression, CART, kNN, XGBoost; a plugin's pretrained expert, saved by
 * reference) and every routing strategy.
 */
class TrainCommandTest {

    /** Every kind of expert the program ships, and the example plugin's, on the wine data. */
    static final String WINE_ALL_KINDS = """
            seed: 3
            data: { source: csv, path: %s }
            split: { experts: 0.5, gate: 0.3, test: 0.2 }
            experts:
              - { id: mlp, provider: nd4j-mlp, subset: { labels: [class_0, class_1] }, params: { hidden: 8, epochs: 60, learning-rate: 0.01 } }
              - { id: logistic, provider: tribuo, subset: { features: [color_intensity, hue, flavanoids] }, params: { algorithm: logistic-regression, epochs: 20 } }
              - { id: cart, provider: tribuo, subset: { labels: [class_1, class_2] }, params: { algorithm: cart, max-depth: 4, probabilities: scores } }
              - { id: knn, provider: tribuo, params: { algorithm: knn, k: 5 } }
              - { id: xgb, provider: tribuo, subset: { fraction: 0.6 }, params: { algorithm: xgboost, trees: 10 } }
              - { id: wine-cart, provider: wine-cart-example }
            gate: { hidden: [], epochs: 80, learning-rate: 0.05 }
            """;

    @TempDir
    Path dir;

    Path plugins;
    Path wine;

    /** The CLI in-process, as {@link MainTest#moe} runs it. */
    static MainTest.Result moe(String... args) {
        return MainTest.moe(args);
    }

    static Path pluginsFolder(Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("moe.examplePluginJar"));
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(jar, folder.resolve(jar.getFileName()));
        return folder;
    }

    static Path wineCsv() {
        return Path.of(System.getProperty("moe.examplesFolder"), "data", "wine.csv").toAbsolutePath().normalize();
    }

    static List<String> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        plugins = pluginsFolder(dir);
        wine = wineCsv();
    }

    @Test
    void everyExpertKindAndStrategyRoundTripsToTheSameProbabilities() throws Exception {
        ProviderRegistry registry = ProviderRegistry.discover(Main.class.getClassLoader(), plugins);
        MoeConfig config = ConfigLoader.parse(WINE_ALL_KINDS.formatted(wine), dir.resolve("wine.yaml"));
        Experiment.TrainedRun run = Guice.createInjector(new MoeModule(config, registry)).getInstance(Experiment.class)
                .train(config.seedOrDefault(), "", ProgressListener.SILENT);
        SaveRequest trained = run.saveRequest(config, registry, null);
        FloatMatrix rows = run.data().features();
        double worst = 0;
        for (String strategy : registry.routingProviders().keySet()) {
            RoutingStrategy routing = registry.routingProviders().get(strategy).provider()
                    .create(new Parameters("routing.params", Map.of()), 6);
            MixtureModel model = new MixtureModel(run.model().gate(), routing, run.model().experts(), run.model().labelNames());
            Path file = dir.resolve(strategy + ".moe");
            BundleManifest manifest = new BundleWriter(registry).write(new SaveRequest(model, trained.featureNames(), Map.of(),
                    trained.experts(), trained.labelColumn(), trained.provenance(), null), file);
            assertEquals(List.of("embedded", "embedded", "embedded", "embedded", "embedded", "reference"),
                    manifest.experts().stream().map(BundleManifest.ExpertEntry::storage).toList());

            SavedMixture loaded = new BundleReader(registry).read(file);
            MixtureModel.Prediction before = model.predict(rows);
            MixtureModel.Prediction after = loaded.model().predict(rows);
            double diff = maxAbsDifference(before.probabilities().values(), after.probabilities().values());
            worst = Math.max(worst, diff);
            assertTrue(diff <= 1e-6, strategy + ": " + diff);
            assertArrayEquals(before.probabilities().values(), after.probabilities().values(), strategy);
            assertArrayEquals(before.weights().values(), after.weights().values(), strategy);
            for (int k = 0; k < 6; k++) {
                assertArrayEquals(model.experts().get(k).predict(rows).values(), loaded.model().experts().get(k).predict(rows).values(),
                        strategy + " " + model.experts().get(k).id());
            }
        }
        assertTrue(registry.routingProviders().keySet().containsAll(List.of("softmax-dense", "top-k")));
        everyKindPredictsFromManyThreadsAsFromOne(new BundleReader(registry).read(dir.resolve("top-k.moe")).model(), rows);
        System.out.println("TrainCommandTest: round trip over " + registry.routingProviders().size()
                + " strategies x 6 experts, max abs difference " + worst);
    }

    @Test
    void trainWritesTheBundleWithItsProvenanceAndReplacesItWhole() throws Exception {
        Path config = Files.writeString(dir.resolve("wine.yaml"), WINE_ALL_KINDS.formatted(wine));
        Path model = dir.resolve("models/wine.moe");
        MainTest.Result r = moe("train", config.toString(), "-o", model.toString(), "--strategy", "top-k", "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("saved " + model + " ("), lines.get(0));
        assertTrue(lines.get(0).endsWith("): 6 experts: mlp (nd4j-mlp), logistic (tribuo), cart (tribuo), knn (tribuo), xgb (tribuo), "
                + "wine-cart (wine-cart-example, by reference)"), lines.get(0));
        assertEquals("strategy top-k (k=2); 13 features, 3 labels; seed 3", lines.get(1));
        assertTrue(lines.get(2).matches("test accuracy 0\\.\\d{3} on 36 held-out rows of wine\\.csv"), lines.get(2));
        assertEquals(List.of("wine.moe"), files(model.getParent()));

        SavedMixture loaded = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), plugins)).read(model);
        BundleManifest.Provenance p = loaded.manifest().provenance();
        assertEquals(3L, p.seed());
        assertEquals("csv", p.dataSource());
        assertEquals(178, p.dataRows());
        assertEquals(config.toAbsolutePath().toString(), p.configFile());
        assertEquals(64, p.dataFileSha256().length());
        BundleManifest.ExpertEntry pluginExpert = loaded.manifest().experts().get(5);
        assertEquals("moe-expert-plugin-example-0.1.0-SNAPSHOT.jar", pluginExpert.plugin().jar());
        assertEquals("moe-expert-plugin-example", pluginExpert.plugin().artifact());
        assertEquals("0.1.0-SNAPSHOT", pluginExpert.plugin().version());

        // An existing bundle is replaced only when the user says so.
        MainTest.Result refused = moe("train", config.toString(), "-o", model.toString(), "--strategy", "top-k", "--plugins", plugins.toString(), "-q");
        assertEquals(2, refused.status(), refused.err());
        assertEquals("moe: " + model + ": exists; pass --overwrite to replace it, or choose another output" + System.lineSeparator(), refused.err());
        // The same seed trains the same mixture: a second train replaces the file with an equal model (Tribuo's files
        // differ in their timestamps, not in their predictions).
        MainTest.Result again = moe("train", config.toString(), "-o", model.toString(), "--strategy", "top-k", "--plugins", plugins.toString(), "-q",
                "--overwrite");
        assertEquals(0, again.status(), again.err());
        assertEquals("", again.out());
        SavedMixture reloaded = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), plugins)).read(model);
        for (String entry : List.of("gate/means.f32", "gate/scales.f32", "gate/parameters.f32", "experts/0-mlp.bin")) {
            assertEquals(loaded.manifest().entries().get(entry), reloaded.manifest().entries().get(entry), entry);
        }
        FloatMatrix rows = dev.moe.runtime.data.CsvSource.read(wine, "label").features();
        assertArrayEquals(loaded.model().predict(rows).probabilities().values(), reloaded.model().predict(rows).probabilities().values());
        assertEquals(List.of("wine.moe"), files(model.getParent()));
    }

    /** Tribuo's models (XGBoost's native booster included), the MLP and the plugin's tree, 8 threads at once. */
    private static void everyKindPredictsFromManyThreadsAsFromOne(MixtureModel model, FloatMatrix rows) throws Exception {
        int blocks = 40;
        float[] single = model.predict(rows).probabilities().values();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<List<float[]>>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    List<float[]> out = new java.util.ArrayList<>();
                    for (int b = 0; b < blocks; b++) {
                        out.add(model.predict(rows).probabilities().values());
                    }
                    return out;
                }));
            }
            for (java.util.concurrent.Future<List<float[]>> f : futures) {
                for (float[] p : f.get(120, java.util.concurrent.TimeUnit.SECONDS)) {
                    assertArrayEquals(single, p);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static double maxAbsDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
