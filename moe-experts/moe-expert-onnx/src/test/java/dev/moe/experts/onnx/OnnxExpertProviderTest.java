package dev.moe.experts.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The onnx provider on models PyTorch exported (examples/onnx/make_models.py made them, with PyTorch's probabilities on
 * 20 rows) and on graphs it must refuse: each refusal is one line naming the expert and what to set.
 */
class OnnxExpertProviderTest {

    static final Path FIXTURES = Path.of("src/test/resources/onnx");
    static final List<String> FEATURES = List.of("x0", "x1", "x2", "x3");
    /** Float precision: PyTorch and ONNX Runtime run the same float32 arithmetic, in possibly another order. */
    static final float TOLERANCE = 1e-6f;

    final OnnxExpertProvider provider = new OnnxExpertProvider();

    static ExpertSpec spec(Path base, Map<String, Object> params) {
        return new ExpertSpec("e1", OnnxExpertProvider.NAME, new Parameters("experts[e1].params", params), base, 1L);
    }

    static Map<String, Object> params(String model, Object... more) {
        Map<String, Object> p = new HashMap<>();
        p.put("model", model);
        p.put("features", FEATURES);
        for (int i = 0; i < more.length; i += 2) {
            p.put((String) more[i], more[i + 1]);
        }
        return p;
    }

    Expert load(String model, Object... more) {
        return provider.load(spec(FIXTURES, params(model, more)));
    }

    String refusal(String model, Object... more) {
        return assertThrows(ExpertException.class, () -> {
            try (Expert e = load(model, more)) {
                e.predict(Expected.read(FIXTURES.resolve("mlp-softmax.expected.csv"), 4).features());
            }
        }).getMessage();
    }

    static void assertClose(FloatMatrix expected, FloatMatrix actual, float tolerance) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.columns(), actual.columns());
        for (int i = 0; i < expected.values().length; i++) {
            assertEquals(expected.values()[i], actual.values()[i], tolerance, "value " + i);
        }
    }

    @Test
    void doctorHearsOnnxRuntimesVersionAndExecutionProviders() {
        List<String> findings = new OnnxExpertProvider().environment();
        assertEquals(1, findings.size(), findings.toString());
        // The jar's own version (its manifest): the check loaded the native library, or it would have thrown.
        assertTrue(findings.get(0).startsWith("ONNX Runtime 1.20.0, native library loaded ("), findings.get(0));
        assertTrue(findings.get(0).contains("execution providers: CPU"), findings.get(0));
    }

    @Test
    void aPyTorchModelsLogitsGivePyTorchsSoftmaxProbabilities() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("mlp-logits.expected.csv"), 4);
        try (Expert e = load("mlp-logits.onnx", "scores", "logits")) {
            assertEquals(FEATURES, e.featureNames());
            assertEquals(List.of("0", "1", "2"), e.labelNames());
            assertClose(expected.probabilities(), e.predict(expected.features()), TOLERANCE);
        }
    }

    @Test
    void aModelEndingInSoftmaxIsReadAsProbabilitiesByDefault() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("mlp-softmax.expected.csv"), 4);
        try (Expert e = load("mlp-softmax.onnx", "labels", List.of("a", "b", "c"))) {
            assertEquals(List.of("a", "b", "c"), e.labelNames());
            assertClose(expected.probabilities(), e.predict(expected.features()), TOLERANCE);
            assertEquals("probabilities", e.provenance().get("scores"));
            assertTrue(e.provenance().get("input").startsWith("features: float [N, 4]"), e.provenance().toString());
            assertEquals("pytorch", e.provenance().get("producer"));
            // torch.onnx.export sets no model version; ONNX Runtime then reports Long.MAX_VALUE, which means nothing
            assertFalse(e.provenance().containsKey("model-version"), e.provenance().toString());
        }
    }

    @Test
    void aFixedBatchANoBatchAndADoubleModelGiveTheSameProbabilities() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("mlp-softmax.expected.csv"), 4);
        // 19 rows: the fixed batch of 4 runs four full blocks and one padded with a row of zeros.
        int[] rows = new int[19];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        FloatMatrix x = expected.features().selectRows(rows);
        FloatMatrix p = expected.probabilities().selectRows(rows);
        for (String model : List.of("mlp-softmax-batch4.onnx", "mlp-softmax-nobatch.onnx", "mlp-softmax-double.onnx")) {
            try (Expert e = load(model)) {
                assertClose(p, e.predict(x), TOLERANCE);
            }
        }
    }

    @Test
    void manyRowsAreScoredInBlocksWithTheSameResultAsRowByRow() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("mlp-logits.expected.csv"), 4);
        int n = OnnxModel.BLOCK_ROWS * 2 + 5; // three runs, the last one short
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = (i * 7) % expected.features().rows();
        }
        try (Expert e = load("mlp-logits.onnx", "scores", "logits")) {
            FloatMatrix all = e.predict(expected.features().selectRows(rows));
            FloatMatrix each = e.predict(expected.features());
            for (int i = 0; i < n; i++) {
                assertArrayEquals(each.row(rows[i]), all.row(i), "row " + i);
            }
        }
    }

    @Test
    void scikitLearnsZipMapOutputIsFoundAndItsClassesAreTheLabels() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("zipmap.expected.csv"), 4);
        try (Expert e = load("zipmap.onnx")) {
            assertEquals(List.of("cat", "dog", "owl"), e.labelNames());
            assertClose(expected.probabilities(), e.predict(expected.features()), TOLERANCE);
        }
        // Labels in another order reorder the columns.
        try (Expert e = load("zipmap.onnx", "labels", List.of("owl", "cat", "dog"))) {
            FloatMatrix p = e.predict(expected.features());
            for (int r = 0; r < p.rows(); r++) {
                assertEquals(expected.probabilities().get(r, 2), p.get(r, 0), TOLERANCE);
                assertEquals(expected.probabilities().get(r, 0), p.get(r, 1), TOLERANCE);
            }
        }
        assertEquals("expert 'e1': params.labels names 'bat', which is not a class of output 'output_probability' of "
                + FIXTURES.resolve("zipmap.onnx") + " (its classes: cat, dog, owl)",
                refusal("zipmap.onnx", "labels", List.of("cat", "bat", "owl")));
    }

    @Test
    void aModelWithTwoInputsIsFedTheFeaturesInTheOrderOfItsInputs() throws IOException {
        // The graph concatenates its inputs a and b and applies the zipmap fixture's weights: the same probabilities.
        Expected expected = Expected.read(FIXTURES.resolve("zipmap.expected.csv"), 4);
        try (Expert e = load("two-inputs.onnx")) {
            assertClose(expected.probabilities(), e.predict(expected.features()), TOLERANCE);
            assertEquals("a: float [N, 2], b: float [N, 2]", e.provenance().get("inputs"));
        }
    }

    @Test
    void aModelWithTwoScoreOutputsNeedsTheOutputNamed() throws IOException {
        assertEquals("expert 'e1': " + FIXTURES.resolve("mlp-two-outputs.onnx") + " has 2 outputs that could hold class"
                + " scores (logits: float [N, 3], probabilities: float [N, 3]): set params.output to the one that does",
                refusal("mlp-two-outputs.onnx"));
        Expected expected = Expected.read(FIXTURES.resolve("mlp-logits.expected.csv"), 4);
        try (Expert p = load("mlp-two-outputs.onnx", "output", "probabilities");
                Expert z = load("mlp-two-outputs.onnx", "output", "logits", "scores", "logits")) {
            assertClose(expected.probabilities(), p.predict(expected.features()), TOLERANCE);
            assertClose(expected.probabilities(), z.predict(expected.features()), TOLERANCE);
        }
        assertTrue(refusal("mlp-two-outputs.onnx", "output", "logit").contains("has no output 'logit' (params.output);"
                + " its outputs: logits: float [N, 3], probabilities: float [N, 3]"));
    }

    @Test
    void logitsReadAsProbabilitiesAndTheReverseAreRefusedWithWhatToSet() {
        String logits = refusal("mlp-logits.onnx");
        assertTrue(logits.startsWith("expert 'e1': output 'scores' of " + FIXTURES.resolve("mlp-logits.onnx")
                + " is not probabilities: row 0 of a batch of 20 sums to "), logits);
        assertTrue(logits.contains("set params.scores: logits"), logits);
        String probabilities = refusal("mlp-softmax.onnx", "scores", "logits");
        assertTrue(probabilities.contains("already holds probabilities") && probabilities.endsWith(
                "set params.scores: probabilities"), probabilities);
    }

    @Test
    void aRowTheModelGivesNaNForIsNamed() throws IOException {
        FloatMatrix x = Expected.read(FIXTURES.resolve("mlp-softmax.expected.csv"), 4).features();
        x.set(3, 2, Float.NaN);
        for (String scores : List.of("probabilities", "logits")) {
            try (Expert e = load(scores.equals("logits") ? "mlp-logits.onnx" : "mlp-softmax.onnx", "scores", scores)) {
                String message = assertThrows(ExpertException.class, () -> e.predict(x)).getMessage();
                assertTrue(message.startsWith("expert 'e1': output '" + (scores.equals("logits") ? "scores" : "probabilities")
                        + "' of " + FIXTURES.resolve(scores.equals("logits") ? "mlp-logits.onnx" : "mlp-softmax.onnx")
                        + " is NaN on row 3 of the block"), message);
            }
        }
    }

    @Test
    void aSavedExpertCarriesTheModelAndPredictsWithoutTheFile(@TempDir Path dir) throws IOException {
        Files.copy(FIXTURES.resolve("mlp-logits.onnx"), dir.resolve("m.onnx"));
        Expected expected = Expected.read(FIXTURES.resolve("mlp-logits.expected.csv"), 4);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        Map<String, String> provenance;
        try (Expert e = provider.load(spec(dir, params("m.onnx", "scores", "logits", "labels", List.of("a", "b", "c"))))) {
            assertTrue(provider.canSave(e));
            provider.save(e, saved);
            provenance = e.provenance();
        }
        Files.delete(dir.resolve("m.onnx"));
        ExpertSpec entry = new ExpertSpec("again", OnnxExpertProvider.NAME, Parameters.empty("model.moe: experts/again"), dir, 0L);
        try (Expert read = provider.read(entry, new ByteArrayInputStream(saved.toByteArray()))) {
            assertEquals("again", read.id());
            assertEquals(FEATURES, read.featureNames());
            assertEquals(List.of("a", "b", "c"), read.labelNames());
            assertEquals(provenance, read.provenance());
            assertClose(expected.probabilities(), read.predict(expected.features()), TOLERANCE);
        }
        byte[] corrupt = saved.toByteArray();
        corrupt[corrupt.length - 40] ^= 1; // a byte of the model: its SHA-256 no longer matches
        assertEquals("model.moe: experts/again is corrupt: its ONNX model's SHA-256 differs from the one recorded",
                assertThrows(ExpertException.class, () -> provider.read(entry, new ByteArrayInputStream(corrupt))).getMessage());
        byte[] truncated = java.util.Arrays.copyOf(saved.toByteArray(), saved.size() - 10);
        assertEquals("model.moe: experts/again is truncated",
                assertThrows(ExpertException.class, () -> provider.read(entry, new ByteArrayInputStream(truncated))).getMessage());
    }

    @Test
    void aModelOnTheClassPathLoads() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("mlp-softmax.expected.csv"), 4);
        try (Expert e = load("classpath:onnx/mlp-softmax.onnx")) {
            assertEquals("classpath:onnx/mlp-softmax.onnx", e.provenance().get("model"));
            assertClose(expected.probabilities(), e.predict(expected.features()), TOLERANCE);
        }
        assertEquals("expert 'e1': ONNX model resource not found on the class path: classpath:onnx/none.onnx",
                refusal("classpath:onnx/none.onnx"));
    }

    @Test
    void errorsAUserCanCauseAreOneLineNamingTheFileAndWhatToDo(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.onnx"), "feature0,feature1\n1,2\n");
        assertEquals("expert 'e1': " + text + " is not an ONNX model (ONNX Runtime could not parse it): give a file"
                + " written by an ONNX exporter (torch.onnx.export, skl2onnx, tf2onnx, ...)",
                refusal(text.toString()));
        assertEquals("expert 'e1': ONNX model file not found: " + FIXTURES.resolve("missing.onnx"), refusal("missing.onnx"));
        assertEquals("expert 'e1': " + FIXTURES.resolve("mlp-softmax.onnx") + " reads 4 features (input features:"
                + " float [N, 4]), but params.features names 3: name the 4 data columns it reads, in the order it was trained on",
                refusal("mlp-softmax.onnx", "features", List.of("x0", "x1", "x2")));
        assertEquals("expert 'e1': params.labels names 2 labels, but output 'probabilities' of "
                + FIXTURES.resolve("mlp-softmax.onnx") + " has 3 columns (one per class): name 3 labels, in the order of"
                + " the model's output", refusal("mlp-softmax.onnx", "labels", List.of("0", "1")));
        String advice = " (ONNX Runtime 1.20.0 runs the ai.onnx opsets up to 21, without custom operators: export with"
                + " an older opset, e.g. torch.onnx.export(..., opset_version=17), or without the custom operator)";
        String opset = refusal("opset-99.onnx");
        assertEquals("expert 'e1': ONNX Runtime 1.20.0 cannot run " + FIXTURES.resolve("opset-99.onnx") + ": the model's"
                + " opset 99 of domain ai.onnx is newer than the 21 it supports" + advice, opset);
        String custom = refusal("custom-op.onnx");
        assertEquals("expert 'e1': ONNX Runtime 1.20.0 cannot run " + FIXTURES.resolve("custom-op.onnx") + ": Fatal error:"
                + " com.example:Frobnicate(-1) is not a registered function/op" + advice, custom);
        assertEquals("expert 'e1': " + FIXTURES.resolve("int64-input.onnx") + ": its input 'features' is int64 [N, 4]"
                + "; moe feeds float features (float or double inputs): export the model with a float input,"
                + " casting inside the model where it needs integers", refusal("int64-input.onnx"));
        assertEquals("expert 'e1': " + FIXTURES.resolve("two-inputs-free-width.onnx") + " has 2 inputs (a: float [N, 2],"
                + " b: float [N, N]); moe feeds several inputs only when each is [rows, k] with a fixed k, and 'b' is not:"
                + " export the model with a single input of all feature columns", refusal("two-inputs-free-width.onnx"));
        assertEquals("expert 'e1': " + FIXTURES.resolve("two-inputs.onnx") + " reads 4 features (inputs a: float [N, 2],"
                + " b: float [N, 2], in this order), but params.features names 5: name the 4 data columns it reads, in the"
                + " order of its inputs", refusal("two-inputs.onnx", "features", List.of("x0", "x1", "x2", "x3", "x4")));
        for (String message : List.of(opset, custom)) {
            assertEquals(1, message.lines().count(), message);
        }
        Map<String, Object> noFeatures = new HashMap<>(Map.of("model", "mlp-softmax.onnx"));
        assertTrue(assertThrows(ParameterException.class, () -> provider.load(spec(FIXTURES, noFeatures))).getMessage()
                .startsWith("experts[e1].params: missing required key 'features': the data columns the model's input reads"));
        assertTrue(assertThrows(ParameterException.class, () -> load("mlp-softmax.onnx", "scores", "logit")).getMessage()
                .startsWith("experts[e1].params.scores: unknown value 'logit'"));
    }
}
