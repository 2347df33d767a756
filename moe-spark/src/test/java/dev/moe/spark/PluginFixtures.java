package dev.moe.spark;

import com.google.inject.Guice;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SaveRequest;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A wine mixture one of whose experts lives in the example plugin's jar (not on the test class path: surefire and
 * failsafe leave it off), saved by reference to that jar; and a wine CSV made long enough for several partitions.
 */
final class PluginFixtures {

    static final String WINE = """
            seed: 1
            data: { source: csv, path: %s }
            split: { experts: 0.4, gate: 0.4, test: 0.2 }
            experts:
              - { id: wine-cart, provider: wine-cart-example, params: { probabilities: scores } }
              - { id: colour, provider: tribuo, subset: { features: [color_intensity, hue] }, params: { algorithm: cart } }
              - { id: mlp, provider: nd4j-mlp, subset: { labels: [class_0, class_1] }, params: { hidden: 8, epochs: 30, learning-rate: 0.01 } }
            gate: { hidden: [], epochs: 40, learning-rate: 0.05 }
            """;

    private PluginFixtures() {
    }

    /** A plugins folder holding the example plugin's jar, as a user would make one. */
    static Path pluginsFolder(Path dir) throws IOException {
        Path jar = Path.of(System.getProperty("moe.examplePluginJar"));
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(jar, folder.resolve(jar.getFileName()));
        return folder;
    }

    static Path wineCsv() {
        return Path.of(System.getProperty("moe.examplesFolder"), "data", "wine.csv").toAbsolutePath().normalize();
    }

    /** Trains the wine mixture with the plugin's expert and saves it: the bundle records the plugin jar and its SHA-256. */
    static void writeModel(Path plugins, Path model) {
        ProviderRegistry registry = ProviderRegistry.discover(PluginFixtures.class.getClassLoader(), plugins);
        String text = WINE.formatted(wineCsv());
        MoeConfig config = ConfigLoader.parse(text, model.resolveSibling("wine.yaml"));
        Experiment.TrainedRun run = Guice.createInjector(new MoeModule(config, registry)).getInstance(Experiment.class)
                .train(config.seedOrDefault(), "", ProgressListener.SILENT);
        new BundleWriter(registry).write(run.saveRequest(config, registry, text), model);
    }

    /** The bundle as {@code moe predict --plugins DIR} reads it. */
    static SavedMixture read(Path model, Path plugins) {
        return BundleReader.withPluginConsent(plugins, PluginFixtures.class.getClassLoader()).read(model);
    }

    /** The wine rows {@code copies} times over (178 rows each), so that Spark splits the file. */
    static Path longWine(Path dir, int copies) throws IOException {
        List<String> lines = Files.readAllLines(wineCsv(), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 0; i < copies; i++) {
            out.addAll(lines.subList(1, lines.size()));
        }
        return Files.write(dir.resolve("wine-x" + copies + ".csv"), out, StandardCharsets.UTF_8);
    }

    /** Spark's part files joined in order, without their repeated headers. */
    static List<String> partLines(Path folder) throws IOException {
        List<String> all = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(folder)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
            all.addAll(all.isEmpty() ? lines : lines.subList(1, lines.size()));
        }
        return all;
    }
}
