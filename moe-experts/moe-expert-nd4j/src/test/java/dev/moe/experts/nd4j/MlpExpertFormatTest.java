package dev.moe.experts.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.ExpertException;
import dev.moe.api.TrainingSet;
import dev.moe.gating.nn.Activation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpExpertFormatTest {

    @TempDir
    Path dir;

    private static MlpExpert trained() {
        return new MlpExpertTrainer().train("blob-expert", Blobs.make(90, 1),
                new MlpExpertTrainer.Settings(List.of(8, 4), Activation.LEAKY_RELU, 30, 0.01, 0, 3));
    }

    @Test
    void roundTripGivesIdenticalProbabilities() {
        MlpExpert expert = trained();
        Path file = dir.resolve("e.mlp");
        MlpExpertFormat.save(expert, file);
        MlpExpert loaded = MlpExpertFormat.load(file);
        TrainingSet rows = Blobs.make(50, 9);
        assertArrayEquals(expert.predict(rows.features()).values(), loaded.predict(rows.features()).values());
        assertEquals(expert.featureNames(), loaded.featureNames());
        assertEquals(expert.labelNames(), loaded.labelNames());
        assertEquals(expert.provenance(), loaded.provenance());
        assertEquals(List.of(Activation.LEAKY_RELU, Activation.LEAKY_RELU), loaded.network().activations());
    }

    @Test
    void truncatedFileIsRefusedWithItsName() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MlpExpertFormat.write(trained(), bytes);
        Path file = dir.resolve("cut.mlp");
        Files.write(file, Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2));
        ExpertException e = assertThrows(ExpertException.class, () -> MlpExpertFormat.load(file));
        assertEquals(file + " is truncated", e.getMessage());
    }

    @Test
    void anImplausibleCountNamesTheFile() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(0x4D4F454D);
        out.writeInt(1);
        out.writeUTF("expert");
        out.writeInt(-5); // the feature names' count
        Path file = dir.resolve("bad-count.mlp");
        Files.write(file, bytes.toByteArray());
        assertEquals(file + " is corrupt: implausible count -5",
                assertThrows(ExpertException.class, () -> MlpExpertFormat.load(file)).getMessage());
    }

    @Test
    void otherFilesAndNewerVersionsAreRefused() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a model");
        assertEquals(text + " is not an nd4j-mlp model file",
                assertThrows(ExpertException.class, () -> MlpExpertFormat.load(text)).getMessage());

        Path newer = dir.resolve("newer.mlp");
        Files.write(newer, ByteBuffer.allocate(8).putInt(0x4D4F454D).putInt(99).array());
        assertEquals(newer + " has format version 99; this program reads up to 1: update moe",
                assertThrows(ExpertException.class, () -> MlpExpertFormat.load(newer)).getMessage());

        Path missing = dir.resolve("missing.mlp");
        assertEquals("nd4j-mlp model file not found: " + missing,
                assertThrows(ExpertException.class, () -> MlpExpertFormat.load(missing)).getMessage());
    }
}
