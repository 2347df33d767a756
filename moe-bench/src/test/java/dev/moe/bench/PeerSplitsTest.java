package dev.moe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench/peers.sh's claim rests on this: the rows PeerSplits writes are the rows the experiment trains and tests on. */
class PeerSplitsTest {

    @Test
    void writesTheRowsEachRepeatOfTheExperimentUses(@TempDir Path dir) throws Exception {
        Path iris = Path.of("../examples/data/iris.csv").toAbsolutePath().normalize();
        // A sample of the rows (a new one each repeat, as letter's and shuttle's) and a seed other than the default.
        Path yaml = dir.resolve("iris.yaml");
        Files.writeString(yaml, """
                seed: 7
                repeat: 2
                data: { source: csv, path: %s, label: label, rows: 120 }
                split: { test: 0.3 }
                experts:
                  - { id: cart, provider: tribuo, params: { algorithm: cart } }
                """.formatted(iris));
        MoeConfig config = ConfigLoader.load(yaml);
        PeerSplits.write(config, dir.resolve("out"));

        Experiment experiment = Guice.createInjector(new MoeModule(config.withRepeat(1), ProviderRegistry.fromClassPath()))
                .getInstance(Experiment.class);
        for (long seed : new long[] {7, 8}) {
            Experiment.TrainedRun run = experiment.train(seed, "", ProgressListener.SILENT);
            try (MixtureModel ignored = run.model()) {
                Path expected = dir.resolve("expected-" + seed);
                SeedSplits.write(run.data().subset(run.plan().gateRows()), expected.resolve("train.csv"));
                SeedSplits.write(run.data().subset(run.plan().testRows()), expected.resolve("test.csv"));
                Path written = dir.resolve("out").resolve(Long.toString(seed));
                assertEquals(Files.readString(expected.resolve("train.csv")), Files.readString(written.resolve("train.csv")));
                assertEquals(Files.readString(expected.resolve("test.csv")), Files.readString(written.resolve("test.csv")));
                assertEquals(1 + 84, Files.readAllLines(written.resolve("train.csv")).size());
                assertEquals(1 + 36, Files.readAllLines(written.resolve("test.csv")).size());
            }
        }
        // The two repeats' samples differ, as the experiment's do.
        assertTrue(!Files.readString(dir.resolve("out/7/test.csv")).equals(Files.readString(dir.resolve("out/8/test.csv"))));
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("out/config.json").toFile());
        assertEquals(10, summary.at("/repeats/0/folds").asInt()); // 84 training rows: ten-fold cross-fitting
        assertEquals("Iris-setosa", summary.at("/repeats/1/labels/0").asText());
        assertEquals("cart", summary.at("/experts/0/params/algorithm").asText());
    }
}
