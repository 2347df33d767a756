package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertSpec;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TribuoExpertFormatTest {

    private static final TribuoExpertProvider PROVIDER = new TribuoExpertProvider();
    private static TrainingSet train;
    private static TrainingSet test;

    @BeforeAll
    static void readData() {
        TrainingSet[] wine = CsvData.split(CsvData.read("wine.csv"), 0.7, 42);
        train = wine[0];
        test = wine[1];
    }

    private static ExpertSpec readSpec(String id) {
        return new ExpertSpec(id, TribuoExpertProvider.NAME, Parameters.empty("m.moe: experts/1.bin"), Path.of("."), 0);
    }

    private static byte[] saved(Expert expert) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PROVIDER.save(expert, bytes);
        return bytes.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic-regression", "cart", "knn", "xgboost"})
    void everyAlgorithmRoundTripsToIdenticalProbabilities(String algorithm) throws Exception {
        Expert expert = PROVIDER.train(TribuoExpertProviderTest.spec("e1", Path.of("."), Map.of("algorithm", algorithm)), train);
        assertTrue(PROVIDER.canSave(expert));
        Expert read = PROVIDER.read(readSpec("again"), new ByteArrayInputStream(saved(expert)));
        assertEquals("again", read.id());
        assertEquals(expert.featureNames(), read.featureNames());
        assertEquals(expert.labelNames(), read.labelNames());
        assertEquals(expert.provenance(), read.provenance());
        assertArrayEquals(expert.predict(test.features()).values(), read.predict(test.features()).values());
    }

    @Test
    void oneHotModeSurvives() throws Exception {
        Expert expert = PROVIDER.train(TribuoExpertProviderTest.spec("e1", Path.of("."),
                Map.of("algorithm", "logistic-regression", "probabilities", "one-hot")), train);
        Expert read = PROVIDER.read(readSpec("e1"), new ByteArrayInputStream(saved(expert)));
        assertEquals("one-hot", read.provenance().get("probabilities"));
        float[] p = read.predict(test.features()).values();
        for (float v : p) {
            assertTrue(v == 0f || v == 1f, Arrays.toString(p));
        }
        assertArrayEquals(expert.predict(test.features()).values(), p);
    }

    @Test
    void truncatedCorruptAndNewerStreamsAreRefusedWithTheirSource() throws Exception {
        byte[] bytes = saved(PROVIDER.train(TribuoExpertProviderTest.spec("e1", Path.of("."), Map.of("algorithm", "cart")), train));
        assertEquals("m.moe: experts/1.bin is truncated", assertThrows(ExpertException.class,
                () -> PROVIDER.read(readSpec("e1"), new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 10)))).getMessage());

        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).putInt(4, TribuoExpertFormat.VERSION + 1);
        assertEquals("m.moe: experts/1.bin has tribuo expert format version 2; this program reads up to 1: update moe",
                assertThrows(ExpertException.class, () -> PROVIDER.read(readSpec("e1"), new ByteArrayInputStream(newer))).getMessage());

        assertEquals("m.moe: experts/1.bin is not a saved tribuo expert", assertThrows(ExpertException.class,
                () -> PROVIDER.read(readSpec("e1"), new ByteArrayInputStream("hello world".getBytes()))).getMessage());

        // The protobuf part garbled: Tribuo's parser refuses it, and the message names the source.
        byte[] garbled = bytes.clone();
        for (int i = garbled.length - 200; i < garbled.length; i++) {
            garbled[i] = (byte) 0xFF;
        }
        String message = assertThrows(ExpertException.class,
                () -> PROVIDER.read(readSpec("e1"), new ByteArrayInputStream(garbled))).getMessage();
        assertTrue(message.startsWith("m.moe: experts/1.bin is not "), message);
    }
}
