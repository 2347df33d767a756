package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.scoring.CsvPredictions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's spark-submit line, run as written against {@link StandaloneCluster}: read from README.md, with only
 * the master's address and the kernel name put in for this machine, in a folder holding what it names (the
 * moe-spark module's target, model.moe, data.csv, plugins/). {@code spark-submit} is the installation's: a script
 * that runs Spark's {@code SparkSubmit} from its jars/, as a Spark distribution's does. The mixture's expert comes from
 * a plugin jar, which only {@code --plugins} brings to the executors; the predictions equal {@code moe predict}'s.
 */
class SparkSubmitIT {

    static final String DOCUMENTED_MASTER = "spark://master-host:7077";
    static final String DOCUMENTED_KERNEL = "OPENBLAS_CORETYPE=SKYLAKEX";

    @TempDir
    Path dir;

    @Test
    void theReadmesSparkSubmitLineRunsOnTheCluster() throws Exception {
        String kernel = ClusterScoringIT.kernelForThisProcessor();
        Assumptions.assumeTrue(kernel != null, "no AVX2 here: the documented kernel line does not apply");
        String command = documentedCommand();
        assertTrue(command.contains(DOCUMENTED_MASTER) && command.contains(DOCUMENTED_KERNEL), command);
        StandaloneCluster cluster = StandaloneCluster.shared();

        Path work = Files.createDirectories(dir.resolve("work"));
        Files.createSymbolicLink(work.resolve("moe-spark"), Path.of(System.getProperty("moe.sparkModule")));
        Path plugins = PluginFixtures.pluginsFolder(work);
        PluginFixtures.writeModel(plugins, work.resolve("model.moe"));
        Files.copy(PluginFixtures.longWine(dir, 10), work.resolve("data.csv"));
        Path bin = sparkSubmitScript(cluster);

        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command
                .replace(DOCUMENTED_MASTER, cluster.masterUrl)
                .replace(DOCUMENTED_KERNEL, "OPENBLAS_CORETYPE=" + kernel))
                .directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("SPARK_HOME", cluster.home.toString());
        builder.environment().remove("MOE_PLUGINS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("predicted " + 1780 + " rows of data.csv with model.moe on Spark (" + cluster.masterUrl), output);

        Path expected = dir.resolve("single.csv");
        CsvPredictions.write(PluginFixtures.read(work.resolve("model.moe"), plugins), work.resolve("data.csv"), expected);
        SparkFixtures.assertSamePredictions(Files.readAllLines(expected), PluginFixtures.partLines(work.resolve("predictions")));
        Files.delete(work.resolve("moe-spark")); // the link only: JUnit would warn about it
    }

    /** The README's spark-submit command: its first line and the lines that continue it. */
    static String documentedCommand() throws IOException {
        Path readme = Path.of(System.getProperty("moe.sparkModule")).resolve("../README.md");
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        for (String line : lines) {
            if (command.isEmpty() && !line.startsWith("spark-submit ")) {
                continue;
            }
            command.add(line);
            if (!line.endsWith("\\")) {
                break;
            }
        }
        assertTrue(!command.isEmpty(), "no spark-submit line in " + readme);
        return String.join("\n", command);
    }

    /** bin/spark-submit of the cluster's installation: Spark's SparkSubmit from jars/, with the flags Java 17 needs. */
    private Path sparkSubmitScript(StandaloneCluster cluster) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("spark-submit");
        Files.writeString(script, "#!/usr/bin/env bash\nexec '" + StandaloneCluster.javaExecutable() + "' -Xmx1g "
                + String.join(" ", StandaloneCluster.addOpens()) + " -cp \"$SPARK_HOME/jars/*\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }
}
