package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.scoring.CsvPredictions;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code ./moe ... --engine spark} lines, run through the launcher as written (in a folder holding
 * model.moe and data.csv): the predictions are {@code moe predict}'s, the JSON report {@code moe evaluate}'s.
 */
class LauncherEngineIT {

    @TempDir
    Path dir;

    @Test
    void theReadmesEngineSparkLinesRunThroughTheLauncher() throws Exception {
        Path root = Path.of(System.getProperty("moe.sparkModule")).resolve("..").normalize();
        Path cli = root.resolve("moe-cli/target/moe-cli.jar");
        // The launcher would build the CLI first (a Maven build inside the test): only after the reactor built it.
        Assumptions.assumeTrue(Files.isRegularFile(cli), "moe-cli is not built (run mvn verify from the root)");
        List<String> lines = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("./moe ") && l.contains("--engine spark")).toList();
        assertEquals(2, lines.size(), lines.toString());

        Path model = dir.resolve("model.moe");
        SparkFixtures.writeModel(model);
        Path data = dir.resolve("data.csv");
        SparkFixtures.writeCsv(data, 5_000, 21);
        for (String line : lines) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", root.resolve("moe") + line.substring("./moe".length()))
                    .directory(dir.toFile()).redirectErrorStream(true);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);
            assertEquals(0, process.exitValue(), line + "\n" + output);
        }
        SavedMixture single = new BundleReader(ProviderRegistry.fromClassPath()).read(model);
        Path expected = dir.resolve("single.csv");
        CsvPredictions.write(single, data, expected);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected), PluginFixtures.partLines(dir.resolve("predictions")));
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        CsvEvaluation.Result want = CsvEvaluation.evaluate(single, data);
        // The report moe evaluate -m writes: the same JSON as for a trained config, one repeat.
        assertEquals(want.rows(), report.get("testRows").asLong());
        JsonNode moe = null;
        for (JsonNode result : report.get("results")) {
            if (result.get("model").asText().equals("moe")) {
                moe = result;
            }
        }
        assertEquals(want.accuracy().get("moe"), moe.get("accuracy").asDouble(), 1e-12, report.toString());
    }
}
