package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.bundle.SavedMixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixture whose expert comes from a plugin jar (not on the class path), scored by {@link SparkScoring} in local mode
 * with {@code --plugins}; a plugin missing on the driver is one line before any job. In local mode the tasks share the
 * driver's loaded mixture: executors loading the shipped jar themselves is {@code ClusterScoringIT}'s part.
 */
class ShippedPluginsTest {

    @TempDir
    static Path dir;
    static Path plugins;
    static Path model;
    static Path csv;

    @BeforeAll
    static void setUp() throws IOException {
        plugins = PluginFixtures.pluginsFolder(dir);
        model = dir.resolve("wine.moe");
        PluginFixtures.writeModel(plugins, model);
        csv = PluginFixtures.longWine(dir, 10);
    }

    @Test
    void thePluginExpertScoresAsMoePredictDoes() throws IOException {
        SavedMixture single = PluginFixtures.read(model, plugins);
        Path expected = dir.resolve("single.csv");
        CsvPredictions.write(single, csv, expected);

        Path out = dir.resolve("spark-out");
        Run r = run("predict", "-m", model.toString(), "--input", csv.toString(), "--output", out.toString(), "--master", "local[2]",
                "--plugins", plugins.toString(), "--batch-rows", "300");
        assertEquals(0, r.status, r.err);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected), PluginFixtures.partLines(out));

        r = run("evaluate", "-m", model.toString(), "--input", csv.toString(), "--master", "local[2]", "--plugins", plugins.toString());
        assertEquals(0, r.status, r.err);
        double accuracy = CsvEvaluation.evaluate(single, csv).accuracy().get("moe");
        assertTrue(r.out.contains(String.format(java.util.Locale.ROOT, "%.3f", accuracy)), r.out);
    }

    @Test
    void aMissingPluginIsOneLineBeforeAnyJob() throws IOException {
        Path out = dir.resolve("never");
        Path empty = dir.resolve("no-plugins");
        Run r = run("predict", "-m", model.toString(), "--input", csv.toString(), "--output", out.toString(), "--master", "local[1]",
                "--plugins", empty.toString());
        assertEquals(2, r.status, r.err);
        assertEquals("moe-spark: plugins folder not found: " + empty + System.lineSeparator(), r.err);

        r = run("predict", "-m", model.toString(), "--input", csv.toString(), "--output", out.toString(), "--master", "local[1]",
                "--plugins", Files.createDirectories(dir.resolve("other-plugins")).toString());
        assertEquals(2, r.status, r.err);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.contains("needs expert provider 'wine-cart-example' (plugin moe-expert-plugin-example"), r.err);
        assertTrue(Files.notExists(out));

        // The plugins folder is an input: no predictions inside it, even with --overwrite.
        r = run("predict", "-m", model.toString(), "--input", csv.toString(), "--output", plugins.resolve("out").toString(),
                "--master", "local[1]", "--plugins", plugins.toString(), "--overwrite");
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("the predictions folder would be inside " + plugins + ", an input of this command"), r.err);
        assertTrue(Files.notExists(plugins.resolve("out")));
    }

    record Run(int status, String out, String err) { }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkScoring.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
