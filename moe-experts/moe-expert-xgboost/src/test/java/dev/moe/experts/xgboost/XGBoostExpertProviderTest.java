package dev.moe.experts.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The xgboost provider on models XGBoost 1.7.4 saved (examples/xgboost/make_models.py made them, with XGBoost's own
 * probabilities on 40 rows each) and on files it must refuse: each refusal is one line naming the expert and the file.
 */
class XGBoostExpertProviderTest {

    static final Path FIXTURES = Path.of("src/test/resources/xgboost");
    /** XGBoost sums the same float32 leaves in the same order; its softmax and sigmoid run in float, moe's in double. */
    static final float TOLERANCE = 1e-6f;

    final XGBoostExpertProvider provider = new XGBoostExpertProvider();

    static ExpertSpec spec(Path base, Map<String, Object> params) {
        return new ExpertSpec("e1", XGBoostExpertProvider.NAME, new Parameters("experts[e1].params", params), base, 1L);
    }

    static Map<String, Object> params(String model, Object... more) {
        Map<String, Object> p = new HashMap<>();
        p.put("model", model);
        for (int i = 0; i < more.length; i += 2) {
            p.put((String) more[i], more[i + 1]);
        }
        return p;
    }

    static List<String> wineColumns() {
        return java.util.stream.IntStream.range(0, 13).mapToObj(i -> "f" + i).toList();
    }

    Expert load(String model, Object... more) {
        return provider.load(spec(FIXTURES, params(model, more)));
    }

    String refusal(String model, Object... more) {
        return assertThrows(ExpertException.class, () -> load(model, more)).getMessage();
    }

    /** The largest difference, after checking every value is within the tolerance. */
    static float assertClose(FloatMatrix expected, FloatMatrix actual, float tolerance) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.columns(), actual.columns());
        float worst = 0;
        for (int i = 0; i < expected.values().length; i++) {
            assertEquals(expected.values()[i], actual.values()[i], tolerance, "value " + i);
            worst = Math.max(worst, Math.abs(expected.values()[i] - actual.values()[i]));
        }
        return worst;
    }

    float predictsAsXGBoost(String name, Object... more) throws IOException {
        // The 3.x spelling of wine-softprob holds the same trees: the same expected probabilities.
        Expected expected = Expected.read(FIXTURES.resolve(name.replace("-3x", "") + ".expected.csv"));
        try (Expert expert = load(name + ".json", more)) {
            return assertClose(expected.probabilities(), expert.predict(expected.features()), TOLERANCE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wine-softprob", "wine-softprob-3x", "wine-softmax", "wine-missing", "wine-dart", "wine-forest"})
    void unnamedMultiClassModelsPredictAsXGBoostDid(String name) throws IOException {
        float worst = predictsAsXGBoost(name, "features", wineColumns());
        System.out.println(name + ": largest difference from XGBoost 1.7.4's probabilities " + worst);
    }

    @Test
    void aDataFramesFeatureNamesAreTheDefaultColumnsAndABinaryModelGivesTwoColumns() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("pima-binary-named.expected.csv"));
        try (Expert expert = load("pima-binary-named.json", "labels", List.of("neg", "pos"))) {
            assertEquals(expected.names(), expert.featureNames());
            assertEquals(List.of("neg", "pos"), expert.labelNames());
            assertClose(expected.probabilities(), expert.predict(expected.features()), TOLERANCE);
            assertEquals("the model's feature_names", expert.provenance().get("features-from"));
            assertEquals("binary:logistic", expert.provenance().get("objective"));
            assertEquals("1.7.4", expert.provenance().get("xgboost-version"));
        }
    }

    @Test
    void anXGBClassifierPredictsAsItsPredictProbaDid() throws IOException {
        List<String> labels = List.of("bus", "opel", "saab", "van");
        float worst = predictsAsXGBoost("vehicle-classifier", "labels", labels);
        System.out.println("vehicle-classifier: largest difference from predict_proba " + worst);
        try (Expert expert = load("vehicle-classifier.json", "labels", labels)) {
            assertEquals(labels, expert.labelNames());
            assertEquals("Comp", expert.featureNames().get(0));
        }
    }

    @Test
    void anEarlyStoppedModelStopsAtItsBestIterationAsPredictProbaDoesUnlessRoundsIsAll() throws IOException {
        Expected best = Expected.read(FIXTURES.resolve("pima-early-stopped.expected.csv"));
        Expected all = Expected.read(FIXTURES.resolve("pima-early-stopped.all-rounds.expected.csv"));
        try (Expert expert = load("pima-early-stopped.json");
             Expert every = load("pima-early-stopped.json", "rounds", "all")) {
            assertClose(best.probabilities(), expert.predict(best.features()), TOLERANCE);
            assertClose(all.probabilities(), every.predict(all.features()), TOLERANCE);
            assertEquals("10 of 13 (up to the best_iteration early stopping recorded; params.rounds: all for every tree)",
                    expert.provenance().get("rounds"));
            assertEquals("13", every.provenance().get("rounds"));
        }
        // The two differ: the test would not see rounds ignored.
        float differ = 0;
        for (int i = 0; i < best.probabilities().values().length; i++) {
            differ = Math.max(differ, Math.abs(best.probabilities().values()[i] - all.probabilities().values()[i]));
        }
        assertTrue(differ > 0.01, "predict_proba and Booster.predict agree: " + differ);
    }

    @Test
    void labelsDefaultToClassIndices() {
        try (Expert expert = load("wine-softprob.json", "features", wineColumns())) {
            assertEquals(List.of("0", "1", "2"), expert.labelNames());
            assertEquals("class indices (params.labels not given)", expert.provenance().get("labels-from"));
            assertEquals("36", expert.provenance().get("trees"));
        }
    }

    @Test
    void aMissingValueTakesTheTreesDefaultDirection() throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve("wine-missing.expected.csv"));
        // Row 0 is all missing: only default directions decide it, and XGBoost's answer is not the uniform one.
        for (int c = 0; c < 13; c++) {
            assertTrue(Float.isNaN(expected.features().get(0, c)));
        }
        try (Expert expert = load("wine-missing.json", "features", wineColumns())) {
            FloatMatrix p = expert.predict(expected.features());
            for (int c = 0; c < 3; c++) {
                assertEquals(expected.probabilities().get(0, c), p.get(0, c), TOLERANCE);
            }
            assertTrue(Math.abs(p.get(0, 2) - 1f / 3) > 0.1, "row 0: " + p.get(0, 2));
        }
    }

    @Test
    void aMultiClassInterceptPerClassShiftsEachClassesMargin() throws IOException {
        // XGBoost 3.1+ writes one base_score per class (3.4.0 on wine: "[7.064581E-3,1.922065E-1,-1.992712E-1]"): margins,
        // added as they are (XGBoostVersionsTest checks it against 3.4.0's own probabilities).
        String text = Files.readString(FIXTURES.resolve("wine-softprob.json"))
                .replace("\"base_score\":\"5E-1\"", "\"base_score\":\"[5E-1,1.5E0,-5E-1]\"");
        assertTrue(text.contains("[5E-1,1.5E0,-5E-1]"));
        Expected expected = Expected.read(FIXTURES.resolve("wine-softprob.expected.csv"));
        XGBoostExpert shifted = XGBoostExpertProvider.open("e1", text.getBytes(), "edited", wineColumns(), null, false, null);
        FloatMatrix p = shifted.predict(expected.features());
        double[] shift = {0, 1, -1}; // relative to the file's 0.5 for every class
        for (int r = 0; r < p.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += expected.probabilities().get(r, c) * Math.exp(shift[c]);
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(expected.probabilities().get(r, c) * Math.exp(shift[c]) / sum, p.get(r, c), 1e-5, "row " + r);
            }
        }
    }

    @Test
    void aBinaryModelsBaseScoreIsAProbabilityTurnedIntoLogOdds() throws IOException {
        // XGBoost 2.x estimates base_score from the labels (3.1+ writes it in a list): 0.25 adds log(0.25/0.75) to every margin.
        String text = Files.readString(FIXTURES.resolve("pima-binary-named.json"))
                .replace("\"base_score\":\"5E-1\"", "\"base_score\":\"[2.5E-1]\"");
        assertTrue(text.contains("[2.5E-1]"));
        Expected expected = Expected.read(FIXTURES.resolve("pima-binary-named.expected.csv"));
        XGBoostExpert shifted = XGBoostExpertProvider.open("e1", text.getBytes(), "edited", null, null, false, null);
        FloatMatrix p = shifted.predict(expected.features());
        for (int r = 0; r < p.rows(); r++) {
            double p1 = expected.probabilities().get(r, 1);
            double margin = Math.log(p1 / (1 - p1)) + Math.log(0.25 / 0.75);
            assertEquals(1 / (1 + Math.exp(-margin)), p.get(r, 1), 1e-5, "row " + r);
            assertEquals(1, p.get(r, 0) + p.get(r, 1), 1e-6);
        }
    }

    @Test
    void aSavedExpertPredictsWithoutItsFile(@TempDir Path dir) throws IOException {
        Files.copy(FIXTURES.resolve("pima-binary-named.json"), dir.resolve("model.json"));
        Expected expected = Expected.read(FIXTURES.resolve("pima-binary-named.expected.csv"));
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (Expert expert = provider.load(spec(dir, params("model.json")))) {
            assertTrue(provider.canSave(expert));
            provider.save(expert, saved);
        }
        Files.delete(dir.resolve("model.json"));
        try (Expert read = provider.read(spec(dir, params("model.json")), new ByteArrayInputStream(saved.toByteArray()))) {
            assertEquals(expected.names(), read.featureNames());
            assertEquals(List.of("0", "1"), read.labelNames());
            assertClose(expected.probabilities(), read.predict(expected.features()), TOLERANCE);
            assertEquals(dir.resolve("model.json").toString(), read.provenance().get("model"));
        }
        byte[] bytes = saved.toByteArray();
        bytes[bytes.length - 10] ^= 1; // a byte of the model
        String message = assertThrows(ExpertException.class,
                () -> provider.read(spec(dir, params("m")), new ByteArrayInputStream(bytes))).getMessage();
        assertEquals("experts[e1].params is corrupt: its XGBoost model's SHA-256 differs from the one recorded", message);
        byte[] truncated = java.util.Arrays.copyOf(saved.toByteArray(), 100);
        assertEquals("experts[e1].params is truncated", assertThrows(ExpertException.class,
                () -> provider.read(spec(dir, params("m")), new ByteArrayInputStream(truncated))).getMessage());
    }

    @Test
    void aSavedExpertKeepsItsRounds() throws IOException {
        Expected all = Expected.read(FIXTURES.resolve("pima-early-stopped.all-rounds.expected.csv"));
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        try (Expert expert = load("pima-early-stopped.json", "rounds", "all")) {
            provider.save(expert, saved);
        }
        try (Expert read = provider.read(spec(FIXTURES, params("m")), new ByteArrayInputStream(saved.toByteArray()))) {
            assertClose(all.probabilities(), read.predict(all.features()), TOLERANCE);
        }
    }

    @Test
    void aModelLoadsFromTheClassPath() {
        try (Expert expert = provider.load(spec(Path.of("/nowhere"), params("classpath:xgboost/pima-binary-named.json")))) {
            assertEquals("classpath:xgboost/pima-binary-named.json", expert.provenance().get("model"));
        }
    }

    // ---- what a user can get wrong: one line each ----

    @Test
    void aMissingFileIsNamed() {
        assertEquals("expert 'e1': XGBoost model file not found: " + FIXTURES.resolve("nope.json"),
                refusal("nope.json", "features", wineColumns()));
    }

    @Test
    void aFileThatIsNotAnXGBoostModelIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        Files.writeString(dir.resolve("config.json"), "{\"learner\": null, \"version\": [1, 7, 4]}");
        Files.writeString(dir.resolve("broken.json"), "{\"learner\": {");
        String csv = assertThrows(ExpertException.class, () -> provider.load(spec(dir, params("data.csv")))).getMessage();
        assertEquals("expert 'e1': " + dir.resolve("data.csv") + " is not an XGBoost JSON model (it does not start with"
                + " '{'); " + XGBoostJson.HOW_TO_SAVE, csv);
        String json = assertThrows(ExpertException.class, () -> provider.load(spec(dir, params("config.json")))).getMessage();
        assertTrue(json.startsWith("expert 'e1': " + dir.resolve("config.json") + " is JSON but not an XGBoost model"
                + " (it has no \"learner\" object)"), json);
        String broken = assertThrows(ExpertException.class, () -> provider.load(spec(dir, params("broken.json")))).getMessage();
        assertTrue(broken.startsWith("expert 'e1': " + dir.resolve("broken.json") + " is not valid JSON ("), broken);
        for (String m : List.of(csv, json, broken)) {
            assertTrue(!m.contains("\n"), m);
        }
    }

    @Test
    void aRegressionModelIsRefused() {
        String m = refusal("wine-regression.json", "features", wineColumns());
        assertEquals("expert 'e1': " + FIXTURES.resolve("wine-regression.json") + " is a regression model (objective"
                + " reg:squarederror), not a classifier moe reads: an expert gives class probabilities; moe reads"
                + " binary:logistic, binary:logitraw, multi:softprob and multi:softmax", m);
    }

    @Test
    void aFeatureCountThatDoesNotMatchIsRefused() {
        String m = refusal("wine-softprob.json", "features", List.of("a", "b"));
        assertEquals("expert 'e1': params.features names 2 columns, but " + FIXTURES.resolve("wine-softprob.json")
                + " reads 13 (num_feature): name 13 columns, in the order it was trained on", m);
        String named = refusal("pima-binary-named.json", "features", List.of("a"));
        assertTrue(named.contains("reads 8 (num_feature; its feature_names: pregnant, glucose,"), named);
    }

    @Test
    void anUnnamedModelNeedsFeatures() {
        assertEquals("expert 'e1': " + FIXTURES.resolve("wine-softprob.json") + " records no feature names (it was"
                + " trained on an array, not a DataFrame): set params.features to the 13 data columns it reads, in the"
                + " order it was trained on, e.g. features: [x0, x1, x2, ...]", refusal("wine-softprob.json"));
    }

    @Test
    void aWrongLabelCountIsRefused() {
        assertEquals("expert 'e1': params.labels names 2 labels, but " + FIXTURES.resolve("wine-softprob.json")
                + " predicts 3 classes (multi:softprob): name 3 labels, in the order of its classes 0..2",
                refusal("wine-softprob.json", "features", wineColumns(), "labels", List.of("a", "b")));
        assertTrue(refusal("pima-binary-named.json", "labels", List.of("a", "b", "c"))
                .contains("predicts 2 classes (binary:logistic)"));
    }

    @Test
    void whatMoeDoesNotEvaluateIsRefusedWithHowToSaveOneItReads() {
        assertTrue(refusal("wine-gblinear.json", "features", wineColumns()).contains("is a linear XGBoost model (booster"
                + " gblinear), which moe does not read"));
        assertEquals("expert 'e1': " + FIXTURES.resolve("wine-categorical.json") + ": feature 'colour' is categorical"
                + " (feature_types \"c\", trained with enable_categorical), which moe does not read: train it with the"
                + " column one-hot encoded (or as numeric codes) and save it again", refusal("wine-categorical.json"));
        assertTrue(refusal("wine-small.model", "features", wineColumns()).contains(" is an XGBoost model in the old binary"
                + " format (deprecated since XGBoost 1.0), which moe does not read; load it in XGBoost and save it as JSON"));
    }

    @Test
    void aCategoricalSplitIsRefusedEvenWithoutFeatureTypes() throws IOException {
        String text = Files.readString(FIXTURES.resolve("wine-categorical.json")).replace("\"feature_types\":[\"c\"]",
                "\"feature_types\":[]");
        ExpertException e = assertThrows(ExpertException.class,
                () -> XGBoostExpertProvider.open("e1", text.getBytes(), "m.json", List.of("colour"), null, false, null));
        assertEquals("expert 'e1': m.json: tree 0 has a categorical split (split_type 1), which moe does not read: train"
                + " with the column one-hot encoded (or as numeric codes) and save it again", e.getMessage());
    }

    @Test
    void aDamagedTreeIsRefusedNotLoopedOver() throws IOException {
        // The first tree's root's left child made the root itself: a cycle.
        String text = Files.readString(FIXTURES.resolve("wine-softprob.json"))
                .replaceFirst("\"left_children\":\\[1,", "\"left_children\":[2,");
        ExpertException e = assertThrows(ExpertException.class,
                () -> XGBoostExpertProvider.open("e1", text.getBytes(), "m.json", wineColumns(), null, false, null));
        assertEquals("expert 'e1': m.json is a damaged XGBoost model: tree 0 reaches node 2 twice", e.getMessage());
    }

    @Test
    void doctorHearsThatNoNativeLibraryIsNeeded() {
        assertEquals(List.of("reads XGBoost's JSON and UBJSON models (XGBoost 1.0 to 3.x) itself, in Java: no native library"),
                provider.environment());
    }
}
