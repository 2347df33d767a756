package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The onnx provider through the command: the PyTorch experts of examples/onnx under moe's gate, a saved mixture that
 * predicts without the .onnx files, a bad model as one line with exit status 2, and ONNX Runtime left unloaded by
 * runs that use no onnx expert.
 */
class OnnxExpertCommandsTest {

    /** ONNX Runtime's first class, whose static initialiser extracts and loads the native library. */
    private static final String ONNX_RUNTIME = "ai.onnxruntime.OnnxRuntime source:";

    @TempDir
    Path dir;

    static Path examples() {
        return Path.of(System.getProperty("moe.examplesFolder")).toAbsolutePath().normalize();
    }

    /** The example's config with its models copied beside it, one repeat. */
    private Path exampleCopy() throws Exception {
        Files.createDirectories(dir.resolve("seed"));
        for (int k = 1; k <= 3; k++) {
            Files.copy(examples().resolve("onnx/seed/expert" + k + ".onnx"), dir.resolve("seed/expert" + k + ".onnx"));
        }
        String config = Files.readString(examples().resolve("onnx/seed-experiment-onnx.yaml")).replace("repeat: 10", "repeat: 1");
        return Files.writeString(dir.resolve("onnx.yaml"), config);
    }

    @Test
    void thePyTorchExpertsOfTheExampleCombineUnderTheGate() throws Exception {
        MainTest.Result r = MainTest.moe("evaluate", exampleCopy().toString(), "-q");
        assertEquals(0, r.status(), r.err());
        // Each PyTorch expert knows two of the three classes: about 0.5 alone; the mixture near the Bayes rate (0.667).
        for (String expert : List.of("expert1", "expert2", "expert3")) {
            double a = accuracy(r.out(), expert);
            assertTrue(a > 0.45 && a < 0.62, expert + " " + a + "\n" + r.out());
        }
        assertTrue(accuracy(r.out(), "moe") > 0.62, r.out());
    }

    @Test
    void aSavedMixtureCarriesItsOnnxModels() throws Exception {
        Path config = exampleCopy();
        Path bundle = dir.resolve("m.moe");
        MainTest.Result trained = MainTest.moe("train", config.toString(), "-o", bundle.toString(), "-q");
        assertEquals(0, trained.status(), trained.err());
        Path rows = dir.resolve("rows.csv");
        StringBuilder csv = new StringBuilder("feature0,feature1,feature2,feature3\n");
        for (int i = 0; i < 50; i++) {
            csv.append(i % 3 - 1).append(',').append((i % 5) * 0.3 - 0.6).append(",0.1,-0.2\n");
        }
        Files.writeString(rows, csv);
        Path before = dir.resolve("before.csv");
        Path after = dir.resolve("after.csv");
        MainTest.Result first = MainTest.moe("predict", "-m", bundle.toString(), "-i", rows.toString(), "-o", before.toString(), "-q");
        assertEquals(0, first.status(), first.err());
        try (var models = Files.list(dir.resolve("seed"))) {
            for (Path model : models.toList()) {
                Files.delete(model);
            }
        }
        MainTest.Result second = MainTest.moe("predict", "-m", bundle.toString(), "-i", rows.toString(), "-o", after.toString(), "-q");
        assertEquals(0, second.status(), second.err());
        assertEquals(51, Files.readAllLines(after).size());
        assertEquals(Files.readString(before), Files.readString(after));
        MainTest.Result inspected = MainTest.moe("inspect", bundle.toString());
        assertTrue(inspected.out().contains("expert1  onnx"), inspected.out());
    }

    @Test
    void aFileThatIsNoOnnxModelIsOneLineAndExitStatus2() throws Exception {
        Path config = exampleCopy();
        Files.writeString(dir.resolve("seed/expert2.onnx"), "feature0,feature1\n1,2\n");
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "-q");
        assertEquals(2, r.status());
        assertEquals("moe: expert 'expert2': " + dir.resolve("seed/expert2.onnx") + " is not an ONNX model (ONNX Runtime"
                + " could not parse it): give a file written by an ONNX exporter (torch.onnx.export, skl2onnx, tf2onnx, ...)",
                r.err().strip());
    }

    @Test
    void runsWithoutOnnxExpertsLeaveOnnxRuntimeUnloaded() throws Exception {
        assertFalse(run("--version").contains(ONNX_RUNTIME), "--version loaded ONNX Runtime");
        assertFalse(run("experts").contains(ONNX_RUNTIME), "moe experts loaded ONNX Runtime");
        Path tribuo = Files.writeString(dir.resolve("tribuo.yaml"), """
                seed: 5
                data: { source: csv, path: %s }
                split: { test: 0.3 }
                experts:
                  - { id: cart, provider: tribuo, params: { algorithm: cart, max-depth: 4 } }
                  - { id: cart2, provider: tribuo, params: { algorithm: cart, max-depth: 2 } }
                """.formatted(TrainCommandTest.wineCsv()));
        assertFalse(run("evaluate", tribuo.toString(), "-q").contains(ONNX_RUNTIME), "a tribuo-only run loaded ONNX Runtime");
        // The check sees ONNX Runtime when it is loaded.
        assertTrue(run("evaluate", exampleCopy().toString(), "-q").contains(ONNX_RUNTIME));
    }

    private static double accuracy(String report, String model) {
        Matcher m = Pattern.compile("(?m)^" + model + " +([0-9.]+)").matcher(report);
        assertTrue(m.find(), model + " not in\n" + report);
        return Double.parseDouble(m.group(1));
    }

    /** Runs moe in a JVM of its own; returns its class-loading log. */
    private String run(String... args) throws Exception {
        Path log = Files.createTempFile(dir, "classes", ".log");
        SafetyTest.Process p = SafetyTest.process(null, List.of("-Xlog:class+load=info:file=" + log), args);
        assertEquals(0, p.status(), p.err());
        return Files.readString(log);
    }
}
