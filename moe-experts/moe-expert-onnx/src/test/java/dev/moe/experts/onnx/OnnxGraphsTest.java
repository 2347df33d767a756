package dev.moe.experts.onnx;

import static dev.moe.experts.onnx.OnnxGraphs.DOUBLE;
import static dev.moe.experts.onnx.OnnxGraphs.FLOAT;
import static dev.moe.experts.onnx.OnnxGraphs.INT64;
import static dev.moe.experts.onnx.OnnxGraphs.node;
import static dev.moe.experts.onnx.OnnxGraphs.tensor;
import static dev.moe.experts.onnx.OnnxGraphs.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.Parameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The onnx provider on graphs written here ({@link OnnxGraphs}): an Identity model gives back the rows it is fed, so
 * each test sets the scores exactly (probabilities a little off 1, logits in [0, 1], huge logits) and checks what moe
 * makes of them; and the outputs a converter writes beside the scores (a label, a ZipMap of numbered classes).
 */
class OnnxGraphsTest {

    @TempDir
    Path dir;

    final OnnxExpertProvider provider = new OnnxExpertProvider();

    Expert load(Path model, int width, Object... more) {
        return load(model.getFileName().toString(), width, more);
    }

    Expert load(String model, int width, Object... more) {
        Map<String, Object> p = new HashMap<>();
        p.put("model", model);
        List<String> features = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            features.add("f" + i);
        }
        p.put("features", features);
        for (int i = 0; i < more.length; i += 2) {
            p.put((String) more[i], more[i + 1]);
        }
        return provider.load(new ExpertSpec("e1", OnnxExpertProvider.NAME, new Parameters("experts[e1].params", p), dir, 1L));
    }

    static FloatMatrix rows(float[]... rows) {
        FloatMatrix m = FloatMatrix.zeros(rows.length, rows[0].length);
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                m.set(r, c, rows[r][c]);
            }
        }
        return m;
    }

    static float[] softmax(float... z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        float[] p = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = (float) (Math.exp(z[i] - max) / sum);
        }
        return p;
    }

    @Test
    void probabilitiesALittleOffOneAreScaledToSumToOneAndATinyNegativeReadsZero() throws IOException {
        Path model = OnnxGraphs.identity(dir.resolve("id.onnx"), FLOAT, 3);
        try (Expert e = load(model, 3)) {
            FloatMatrix p = e.predict(rows(new float[] {0.5f, 0.3f, 0.2008f}, new float[] {0.6f, 0.4f, -5e-7f}));
            float sum = 0.5f + 0.3f + 0.2008f;
            assertArrayEquals(new float[] {0.5f / sum, 0.3f / sum, 0.2008f / sum}, p.row(0), 1e-7f);
            assertEquals(0f, p.get(1, 2), "a float rounding below 0 reads 0");
            assertEquals(1.0, p.get(0, 0) + p.get(0, 1) + p.get(0, 2), 1e-6);
        }
    }

    @Test
    void rowsThatAreNotProbabilitiesAreRefusedNamingTheRowItsSumAndANegativeValue() throws IOException {
        Path model = OnnxGraphs.identity(dir.resolve("id.onnx"), FLOAT, 3);
        try (Expert e = load(model, 3)) {
            String negative = assertThrows(ExpertException.class,
                    () -> e.predict(rows(new float[] {0.2f, 0.3f, 0.5f}, new float[] {1.5f, -0.5f, 0f}))).getMessage();
            assertTrue(negative.startsWith("expert 'e1': output 'p' of " + model + " is not probabilities: row 1 of a batch"
                    + " of 2 sums to 1.0, its least value is -0.5; "), negative);
            String sum = assertThrows(ExpertException.class, () -> e.predict(rows(new float[] {0.5f, 0.5f, 0.5f})))
                    .getMessage();
            assertTrue(sum.contains(" is not probabilities: row 0 of a batch of 1 sums to 1.5; if the model ends before"
                    + " its softmax"), sum);
        }
    }

    @Test
    void logitsAreTurnedIntoProbabilitiesWhateverTheirRangeAndAnEmptyBlockIsNoRows() throws IOException {
        Path model = OnnxGraphs.identity(dir.resolve("id.onnx"), FLOAT, 3);
        try (Expert e = load(model, 3, "scores", "logits")) {
            // Logits summing to 1 with a negative one, logits all in [0, 1], and logits far beyond exp's range.
            float[][] z = {{2f, -1f, 0f}, {0.2f, 0.3f, 0.1f}, {400f, 0f, -400f}};
            FloatMatrix p = e.predict(rows(z));
            for (int r = 0; r < z.length; r++) {
                assertArrayEquals(softmax(z[r]), p.row(r), 1e-7f, "row " + r);
            }
            assertArrayEquals(new float[] {1f, 0f, 0f}, p.row(2));
            // Alone: every row sums to 1, but a negative value shows they are logits.
            assertArrayEquals(softmax(z[0]), e.predict(rows(z[0])).row(0), 1e-7f);
            FloatMatrix none = e.predict(FloatMatrix.zeros(0, 3));
            assertEquals(0, none.rows());
            assertEquals(3, none.columns());
            assertEquals("expert 'e1' expects 3 feature columns, got 2",
                    assertThrows(IllegalArgumentException.class, () -> e.predict(FloatMatrix.zeros(1, 2))).getMessage());
        }
    }

    /** A Tribuo-style export: producer, graph name, domain, model version and description are the expert's provenance. */
    @Test
    void theModelsMetadataInputAndOutputAreItsProvenance() throws IOException {
        Path model = OnnxGraphs.write(dir.resolve("meta.onnx"), ModelProto.newBuilder().setProducerName("tribuo")
                        .setDomain("org.example").setModelVersion(3).setDocString(" a test model "),
                GraphProto.newBuilder().setName("scores-graph")
                        .addNode(node("Identity", List.of("x"), List.of("p")))
                        .addInput(value("x", tensor(FLOAT, "N", 3L)))
                        .addOutput(value("p", tensor(FLOAT, "N", 3L))));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("producer", "tribuo");
        expected.put("graph", "scores-graph");
        expected.put("domain", "org.example");
        expected.put("model-version", "3");
        expected.put("description", "a test model");
        expected.put("input", "x: float [N, 3]");
        expected.put("output", "p: float [N, 3]");
        expected.put("scores", "probabilities");
        expected.put("labels-from", "column indices (params.labels not given)");
        try (Expert e = load(model, 3)) {
            Map<String, String> provenance = new LinkedHashMap<>(e.provenance());
            provenance.keySet().retainAll(expected.keySet());
            assertEquals(expected, provenance);
        }
        try (Expert e = load(model, 3, "labels", List.of("a", "b", "c"))) {
            assertEquals("params.labels", e.provenance().get("labels-from"));
        }
        Path zipMap = OnnxExpertProviderTest.FIXTURES.resolve("zipmap.onnx");
        try (Expert e = provider.load(OnnxExpertProviderTest.spec(OnnxExpertProviderTest.FIXTURES,
                OnnxExpertProviderTest.params("zipmap.onnx")))) {
            assertEquals("output_probability: sequence of maps (ZipMap), 3 classes", e.provenance().get("output"), zipMap.toString());
            assertEquals("the ZipMap's classes", e.provenance().get("labels-from"));
        }
    }

    /** skl2onnx without ZipMap: the label (int64 [N]) and the probabilities (float [N, C]); the label is no score. */
    @Test
    void aLabelOutputBesideTheProbabilitiesIsPassedOverAndAModelWithOnlyALabelIsRefused() throws IOException {
        Path both = OnnxGraphs.write(dir.resolve("label-and-p.onnx"), ModelProto.newBuilder(), GraphProto.newBuilder()
                .addNode(node("ArgMax", List.of("x"), List.of("label"), OnnxGraphs.integer("axis", 1),
                        OnnxGraphs.integer("keepdims", 0)))
                .addNode(node("Identity", List.of("x"), List.of("probabilities")))
                .addInput(value("x", tensor(FLOAT, "N", 3L)))
                .addOutput(value("label", tensor(INT64, "N")))
                .addOutput(value("probabilities", tensor(FLOAT, "N", 3L))));
        try (Expert e = load(both, 3)) {
            assertEquals("probabilities: float [N, 3]", e.provenance().get("output"));
            assertArrayEquals(new float[] {0.1f, 0.7f, 0.2f}, e.predict(rows(new float[] {0.1f, 0.7f, 0.2f})).row(0), 1e-7f);
        }
        Path labelOnly = OnnxGraphs.write(dir.resolve("label.onnx"), ModelProto.newBuilder(), GraphProto.newBuilder()
                .addNode(node("ArgMax", List.of("x"), List.of("label"), OnnxGraphs.integer("axis", 1),
                        OnnxGraphs.integer("keepdims", 0)))
                .addInput(value("x", tensor(FLOAT, "N", 3L)))
                .addOutput(value("label", tensor(INT64, "N"))));
        assertEquals("expert 'e1': " + labelOnly + " has no output of class scores (a float [rows, classes] tensor, or a"
                + " sequence of maps); its outputs: label: int64 [N]",
                assertThrows(ExpertException.class, () -> load(labelOnly, 3)).getMessage());
    }

    /**
     * A ZipMap of numbered classes beside the same probabilities as a tensor: the ZipMap is chosen, its classes are the
     * labels, in numeric order (110 after 20; as text it would come before).
     */
    @Test
    void aZipMapOfNumberedClassesIsChosenAndItsClassesComeInNumericOrder() throws IOException {
        long[] classes = new long[11];
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            classes[i] = 10L * (i + 1);
            labels.add(String.valueOf(classes[i]));
        }
        Path model = OnnxGraphs.write(dir.resolve("zipmap-int.onnx"), ModelProto.newBuilder(), GraphProto.newBuilder()
                .addNode(node("Identity", List.of("x"), List.of("probabilities")))
                .addNode(node("ZipMap", List.of("x"), List.of("output_probability"),
                        OnnxGraphs.ints("classlabels_int64s", classes)))
                .addInput(value("x", tensor(FLOAT, "N", 11L)))
                .addOutput(value("probabilities", tensor(FLOAT, "N", 11L)))
                .addOutput(value("output_probability", OnnxGraphs.zipMapOfInt64())));
        float[] row = new float[11];
        for (int i = 0; i < row.length; i++) {
            row[i] = (i + 1) / 66f; // 1 + 2 + ... + 11 = 66
        }
        try (Expert e = load(model, 11)) {
            assertEquals(labels, e.labelNames());
            assertArrayEquals(row, e.predict(rows(row)).row(0), 1e-6f);
        }
    }

    /**
     * Two double inputs, concatenated: each is fed its own columns, and the double output of every block (three here,
     * the last one short) lands on its own rows.
     */
    @Test
    void twoDoubleInputsAreFedTheirColumnsInEveryBlock() throws IOException {
        Path model = OnnxGraphs.write(dir.resolve("two-double.onnx"), ModelProto.newBuilder(), GraphProto.newBuilder()
                .addNode(node("Concat", List.of("a", "b"), List.of("p"), OnnxGraphs.integer("axis", 1)))
                .addInput(value("a", tensor(DOUBLE, "N", 2L)))
                .addInput(value("b", tensor(DOUBLE, "N", 2L)))
                .addOutput(value("p", tensor(DOUBLE, "N", 4L))));
        int n = OnnxModel.BLOCK_ROWS * 2 + 5;
        FloatMatrix x = FloatMatrix.zeros(n, 4);
        for (int r = 0; r < n; r++) {
            float a = (r % 97) / 200f;
            x.set(r, 0, a);
            x.set(r, 1, 0.5f - a);
            x.set(r, 2, 0.125f);
            x.set(r, 3, 0.375f);
        }
        try (Expert e = load(model, 4)) {
            FloatMatrix p = e.predict(x);
            for (int r = 0; r < n; r++) {
                assertArrayEquals(x.row(r), p.row(r), 1e-6f, "row " + r);
            }
        }
    }

    /** An input of one column is an input of fixed width like any other. */
    @Test
    void anInputOfOneColumnIsFedItsColumn() throws IOException {
        Path model = OnnxGraphs.write(dir.resolve("one-and-two.onnx"), ModelProto.newBuilder(), GraphProto.newBuilder()
                .addNode(node("Concat", List.of("a", "b"), List.of("p"), OnnxGraphs.integer("axis", 1)))
                .addInput(value("a", tensor(FLOAT, "N", 1L)))
                .addInput(value("b", tensor(FLOAT, "N", 2L)))
                .addOutput(value("p", tensor(FLOAT, "N", 3L))));
        try (Expert e = load(model, 3)) {
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.5f}, e.predict(rows(new float[] {0.25f, 0.25f, 0.5f})).row(0), 1e-7f);
        }
    }

    /** A model that fails on some rows (not on the row of zeros tried on load): the rows of the run are named. */
    @Test
    void aRunThatFailsNamesItsRows() throws IOException {
        Path model = OnnxGraphs.write(dir.resolve("gather.onnx"), ModelProto.newBuilder(), GraphProto.newBuilder()
                .addNode(node("Cast", List.of("x"), List.of("i"), OnnxGraphs.integer("to", INT64)))
                .addNode(node("GatherElements", List.of("x", "i"), List.of("p"), OnnxGraphs.integer("axis", 1)))
                .addInput(value("x", tensor(FLOAT, "N", 3L)))
                .addOutput(value("p", tensor(FLOAT, "N", 3L))));
        try (Expert e = load(model, 3, "scores", "logits")) {
            assertArrayEquals(softmax(1f, 1f, 1f), e.predict(rows(new float[] {1f, 1f, 1f})).row(0), 1e-7f);
            String message = assertThrows(ExpertException.class,
                    () -> e.predict(rows(new float[] {1f, 0f, 0f}, new float[] {9f, 0f, 0f}))).getMessage();
            assertTrue(message.startsWith(model + ": ONNX Runtime failed on rows 0..1: "), message);
            assertEquals(1, message.lines().count(), message);
        }
    }

    /** A graph ONNX Runtime refuses for another reason than an opset or an operator: its words, after the file's. */
    @Test
    void aGraphOnnxRuntimeCannotLoadIsNamedInOneLine() throws IOException {
        Path model = OnnxGraphs.write(dir.resolve("mixed.onnx"), ModelProto.newBuilder(), GraphProto.newBuilder()
                .addNode(node("Add", List.of("a", "b"), List.of("p")))
                .addInput(value("a", tensor(FLOAT, "N", 2L)))
                .addInput(value("b", tensor(DOUBLE, "N", 2L)))
                .addOutput(value("p", tensor(FLOAT, "N", 2L))));
        String message = assertThrows(ExpertException.class, () -> load(model, 4)).getMessage();
        assertTrue(message.startsWith("expert 'e1': ONNX Runtime 1.20.0 cannot load " + model + ": "), message);
        assertFalse(message.contains("Error code"), message);
        assertEquals(1, message.lines().count(), message);
    }

    /** A plugin's model inside its jar: found through the thread's context class loader, which the host sets. */
    @Test
    void aModelOnThePluginsClassPathIsFoundThroughTheContextClassLoader() throws IOException {
        Path resources = Files.createDirectories(dir.resolve("plugin/models"));
        OnnxGraphs.identity(resources.resolve("id.onnx"), FLOAT, 3);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {dir.resolve("plugin").toUri().toURL()}, null)) {
            thread.setContextClassLoader(plugin);
            try (Expert e = load("classpath:models/id.onnx", 3)) {
                assertEquals("classpath:models/id.onnx", e.provenance().get("model"));
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
        assertThrows(ExpertException.class, () -> load("classpath:models/id.onnx", 3));
    }

    /** A saved expert keeps the output its config named, and the provider saves only its own experts. */
    @Test
    void aSavedExpertKeepsTheOutputItsConfigNamed() throws IOException {
        Path fixtures = OnnxExpertProviderTest.FIXTURES;
        Expected expected = Expected.read(fixtures.resolve("mlp-logits.expected.csv"), 4);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (Expert e = provider.load(OnnxExpertProviderTest.spec(fixtures,
                OnnxExpertProviderTest.params("mlp-two-outputs.onnx", "output", "logits", "scores", "logits")))) {
            provider.save(e, saved);
        }
        ExpertSpec entry = new ExpertSpec("again", OnnxExpertProvider.NAME, Parameters.empty("model.moe: experts/again"), dir, 0L);
        try (Expert read = provider.read(entry, new ByteArrayInputStream(saved.toByteArray()))) {
            assertEquals("logits", ((OnnxExpert) read).output());
            OnnxExpertProviderTest.assertClose(expected.probabilities(), read.predict(expected.features()),
                    OnnxExpertProviderTest.TOLERANCE);
        }
        Expert other = (Expert) java.lang.reflect.Proxy.newProxyInstance(Expert.class.getClassLoader(),
                new Class<?>[] {Expert.class}, (proxy, method, args) -> null);
        assertFalse(provider.canSave(other));
        assertEquals("onnx", provider.name());
    }
}
