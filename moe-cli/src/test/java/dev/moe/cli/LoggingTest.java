package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's logging, each run in its own process (slf4j-simple reads its level once per process). */
class LoggingTest {

    private static final String CONFIG = """
            seed: 5
            data: { source: synthetic-seed, rows: 300 }
            split: { test: 0.3, cross-fit: 2 }
            experts:
              - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 5 } }
              - { id: mlp, provider: nd4j-mlp, params: { hidden: 4, epochs: 20 } }
            gate: { choose: auto, candidates: [uniform, constant] }
            """;

    @TempDir
    Path dir;

    @Test
    void quietByDefaultAndVerboseSaysWhatHappened() throws Exception {
        Path config = dir.resolve("exp.yaml");
        Files.writeString(config, CONFIG);

        SafetyTest.Process quiet = SafetyTest.process(null, List.of(), "evaluate", config.toString(), "-q");
        assertEquals(0, quiet.status(), quiet.err());
        assertEquals("", quiet.err(), "nothing on stderr by default: no ND4J, Tribuo or SLF4J lines");

        SafetyTest.Process verbose = SafetyTest.process(null, List.of(), "evaluate", config.toString(), "-q", "--verbose");
        assertEquals(0, verbose.status(), verbose.err());
        String err = verbose.err();
        assertTrue(err.contains("INFO ExpertFactory - expert 'logistic' trained by provider 'tribuo' on "), err);
        assertTrue(err.contains("INFO ExpertFactory - expert 'mlp' trained by provider 'nd4j-mlp' on "), err);
        assertTrue(err.contains("INFO Experiment - seed 5: combiner '"), err);
        assertTrue(err.contains("INFO AbstractSGDTrainer - Training SGD model with "), "Tribuo's lines, bridged: " + err);
        assertFalse(err.contains("DEBUG"), err);
        assertTrue(err.contains("INFO Nd4jBackend - Loaded [CpuBackend] backend"), "ND4J's start lines stay: " + err);
        // ND4J's native build information spans lines ("STD version: 201103L") that no log level introduces.
        assertEquals(List.of(), err.lines().filter(l -> !l.matches("(INFO|WARN) \\S+ - .*")).toList(), err);
        assertFalse(err.contains("SLF4J"), "no binder warnings: " + err);
        assertEquals(quiet.out(), verbose.out(), "logging never touches stdout");

        // choose: gate trains the one gate: nothing was cross-validated, and the line says so.
        Path one = Files.writeString(dir.resolve("one.yaml"), CONFIG.replace("choose: auto, candidates: [uniform, constant]",
                "choose: gate, epochs: 5"));
        SafetyTest.Process named = SafetyTest.process(null, List.of(), "evaluate", one.toString(), "-q", "--verbose");
        assertEquals(0, named.status(), named.err());
        assertTrue(named.err().contains("INFO Experiment - seed 5: combiner 'features' trained (no choice); "), named.err());
    }
}
