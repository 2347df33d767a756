package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.doctor.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixture that needs no ND4J does not start it: Tribuo experts with the default combiners (averaging, the weighted
 * product) train, save, load and predict without ND4J's backend (about 0.7 s of CPU per command). Each command runs
 * in a JVM of its own, whose class-loading log says whether {@code Nd4j} was ever loaded.
 */
class WithoutNd4jTest {

    private static final String ND4J = "org.nd4j.linalg.factory.Nd4j source:";

    private static final String TRIBUO_ONLY = """
            seed: 5
            data: { source: csv, path: %s }
            split: { test: 0.3 }
            experts:
              - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 10 } }
              - { id: cart, provider: tribuo, params: { algorithm: cart, max-depth: 4 } }
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void notInACudaBuild() {
        // A CUDA build asks ND4J at every start whether it fell back to the CPU, and says so (BackendNotice).
        Assumptions.assumeFalse(Backends.cudaBuild(), "a CUDA build starts ND4J to report its backend");
    }

    @Test
    void tribuoExpertsTrainSaveLoadAndPredictWithoutNd4j() throws Exception {
        Path config = Files.writeString(dir.resolve("tribuo.yaml"), TRIBUO_ONLY.formatted(TrainCommandTest.wineCsv()));
        Path bundle = dir.resolve("m.moe");
        String trained = run("train", config.toString(), "-o", bundle.toString(), "-q");
        assertFalse(trained.contains(ND4J), "train loaded ND4J");
        String predicted = run("predict", "-m", bundle.toString(), "--input", TrainCommandTest.wineCsv().toString(),
                "--output", dir.resolve("p.csv").toString(), "-q");
        assertFalse(predicted.contains(ND4J), "predict loaded ND4J");
        assertEquals(179, Files.readAllLines(dir.resolve("p.csv")).size(), "a header and the 178 rows");
    }

    /**
     * Averaging named as the strategy, with epochs to run: its weights ignore the logits, so there is nothing to train
     * and no ND4J to start, as for the averaging candidate.
     */
    @Test
    void averagingNamedWithEpochsTrainsWithoutNd4j() throws Exception {
        Path config = Files.writeString(dir.resolve("uniform.yaml"), TRIBUO_ONLY.formatted(TrainCommandTest.wineCsv())
                + "gate: { epochs: 40 }\nrouting: { strategy: uniform }\n");
        Path bundle = dir.resolve("m.moe");
        assertFalse(run("train", config.toString(), "-o", bundle.toString(), "-q").contains(ND4J), "train loaded ND4J");
        assertFalse(run("predict", "-m", bundle.toString(), "--input", TrainCommandTest.wineCsv().toString(),
                "--output", dir.resolve("p.csv").toString(), "-q").contains(ND4J), "predict loaded ND4J");
    }

    /** The check above sees ND4J when it does start: the same experts under a gate network. */
    @Test
    void aGateNetworkStillStartsNd4j() throws Exception {
        Path config = Files.writeString(dir.resolve("gate.yaml"), TRIBUO_ONLY.formatted(TrainCommandTest.wineCsv())
                + "gate: { choose: gate, hidden: [], epochs: 5 }\n");
        assertTrue(run("train", config.toString(), "-o", dir.resolve("m.moe").toString(), "-q").contains(ND4J));
    }

    /** Runs moe in a JVM of its own; returns its class-loading log. */
    private String run(String... args) throws Exception {
        Path log = Files.createTempFile(dir, "classes", ".log");
        SafetyTest.Process p = SafetyTest.process(null, List.of("-Xlog:class+load=info:file=" + log), args);
        assertEquals(0, p.status(), p.err());
        return Files.readString(log);
    }
}
