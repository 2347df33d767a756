package dev.moe.experts.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import dev.moe.api.ExpertException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpExpertProviderTest {

    @TempDir
    Path dir;

    private ExpertSpec spec(Map<String, Object> params) {
        return new ExpertSpec("e1", "nd4j-mlp", new Parameters("experts[e1].params", params), dir, 11);
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(ExpertProvider.class).stream().anyMatch(p -> p.type() == MlpExpertProvider.class));
    }

    @Test
    void trainsSavesAndLoadsBack() {
        TrainingSet data = Blobs.make(90, 2);
        MlpExpertProvider provider = new MlpExpertProvider();
        Expert trained = provider.train(spec(Map.of("hidden", 8, "epochs", 50, "learning-rate", 0.01, "save", "models/e1.mlp")), data);
        assertTrue(Files.exists(dir.resolve("models/e1.mlp")));
        Expert loaded = provider.load(spec(Map.of("model", "models/e1.mlp")));
        assertEquals("e1", loaded.id());
        assertArrayEquals(trained.predict(data.features()).values(), loaded.predict(data.features()).values());
        assertTrue(Blobs.accuracy(loaded.predict(data.features()), data.labels()) > 0.9);
    }

    @Test
    void savesIntoAStreamAndReadsBackUnderTheSpecsId() throws Exception {
        TrainingSet data = Blobs.make(90, 2);
        MlpExpertProvider provider = new MlpExpertProvider();
        Expert trained = provider.train(spec(Map.of("hidden", 8, "epochs", 30, "learning-rate", 0.01)), data);
        assertTrue(provider.canSave(trained));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        provider.save(trained, bytes);
        ExpertSpec readSpec = new ExpertSpec("renamed", "nd4j-mlp", Parameters.empty("m.moe: experts/0.bin"), dir, 0);
        Expert read = provider.read(readSpec, new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals("renamed", read.id());
        assertEquals(trained.featureNames(), read.featureNames());
        assertEquals(trained.labelNames(), read.labelNames());
        assertArrayEquals(trained.predict(data.features()).values(), read.predict(data.features()).values());

        byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 7);
        assertEquals("m.moe: experts/0.bin is truncated", assertThrows(ExpertException.class,
                () -> provider.read(readSpec, new ByteArrayInputStream(cut))).getMessage());
        Expert foreign = new Expert() {
            public String id() { return "x"; }
            public java.util.List<String> featureNames() { return java.util.List.of("a"); }
            public java.util.List<String> labelNames() { return java.util.List.of("red"); }
            public Map<String, String> provenance() { return Map.of(); }
            public dev.moe.api.FloatMatrix predict(dev.moe.api.FloatMatrix f) { return f; }
        };
        assertEquals(false, provider.canSave(foreign));
    }

    @Test
    void badParametersNameTheKey() {
        MlpExpertProvider provider = new MlpExpertProvider();
        TrainingSet data = Blobs.make(9, 2);
        assertEquals("experts[e1].params.epochs: expected an integer, got 'many'",
                assertThrows(ParameterException.class, () -> provider.train(spec(Map.of("epochs", "many")), data)).getMessage());
        assertEquals("experts[e1].params.hidden: layer sizes must be positive, got [0]",
                assertThrows(ParameterException.class, () -> provider.train(spec(Map.of("hidden", 0)), data)).getMessage());
        assertTrue(assertThrows(ParameterException.class, () -> provider.train(spec(Map.of("epoch", 3)), data))
                .getMessage().startsWith("experts[e1].params.epoch: unknown key (did you mean 'epochs'?); known keys: activation,"
                        + " batch-size, epochs"));
        assertEquals("experts[e1].params: missing required key 'model'",
                assertThrows(ParameterException.class, () -> provider.load(spec(Map.of()))).getMessage());
    }
}
