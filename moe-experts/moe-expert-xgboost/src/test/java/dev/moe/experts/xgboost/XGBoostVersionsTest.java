package dev.moe.experts.xgboost;

import static dev.moe.experts.xgboost.XGBoostExpertProviderTest.FIXTURES;
import static dev.moe.experts.xgboost.XGBoostExpertProviderTest.TOLERANCE;
import static dev.moe.experts.xgboost.XGBoostExpertProviderTest.assertClose;
import static dev.moe.experts.xgboost.XGBoostExpertProviderTest.params;
import static dev.moe.experts.xgboost.XGBoostExpertProviderTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models written by XGBoost 2.1.4, 3.0.4 and 3.4.0 (xgboost4j from Maven Central; fixtures-jvm/make-fixtures.sh made
 * them, with XGBoost's own probabilities on 40 rows each, some cells missing): moe's reader gives the same
 * probabilities. Each file names its version: xgb3.4-wine-softprob.json.
 */
class XGBoostVersionsTest {

    static final List<String> VERSIONS = List.of("2.1", "3.0", "3.4");
    static final List<String> MODELS = List.of("wine-softprob", "wine-softmax", "wine-dart", "wine-forest",
            "pima-logistic", "pima-early-stopped");

    final XGBoostExpertProvider provider = new XGBoostExpertProvider();

    static Stream<String> fixtures() {
        List<String> names = new ArrayList<>();
        for (String v : VERSIONS) {
            for (String m : MODELS) {
                names.add("xgb" + v + "-" + m);
            }
        }
        return names.stream();
    }

    /** The largest difference between moe's probabilities of FILE (its feature_names as columns) and EXPECTED. */
    float difference(String file, String expectedCsv, Object... more) throws IOException {
        Expected expected = Expected.read(FIXTURES.resolve(expectedCsv));
        try (Expert expert = provider.load(spec(FIXTURES, params(file, more)))) {
            assertEquals(expected.names(), expert.featureNames());
            return assertClose(expected.probabilities(), expert.predict(expected.features()), TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachVersionsModelPredictsAsXGBoostDid(String name) throws IOException {
        float worst = difference(name + ".json", name + ".expected.csv");
        System.out.println(name + ": largest difference from XGBoost's probabilities " + worst);
        if (name.endsWith("early-stopped")) {
            // expected: the rounds up to best_iteration; all-rounds: every tree, as Booster.predict gives by default
            worst = difference(name + ".json", name + ".all-rounds.expected.csv", "rounds", "all");
            System.out.println(name + " (rounds: all): largest difference " + worst);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theUbjsonOfEachModelGivesWhatItsJsonGives(String name) throws IOException {
        // xgboost4j saved each booster twice: saveModel("NAME.json") and toByteArray("ubj")
        float worst = difference(name + ".ubj", name + ".expected.csv");
        Expected expected = Expected.read(FIXTURES.resolve(name + ".expected.csv"));
        for (String rounds : List.of("best", "all")) {
            try (Expert json = provider.load(spec(FIXTURES, params(name + ".json", "rounds", rounds)));
                 Expert ubj = provider.load(spec(FIXTURES, params(name + ".ubj", "rounds", rounds)))) {
                assertClose(json.predict(expected.features()), ubj.predict(expected.features()), 0f);
                for (String key : List.of("xgboost-version", "objective", "booster", "base-score", "rounds", "trees", "nodes", "classes")) {
                    assertEquals(json.provenance().get(key), ubj.provenance().get(key), key);
                }
            }
        }
        System.out.println(name + ".ubj: largest difference from XGBoost's probabilities " + worst);
    }

    @Test
    void aDamagedUbjsonFileIsRefusedInOneLine() throws IOException {
        byte[] good = Files.readAllBytes(FIXTURES.resolve("xgb3.4-wine-softprob.ubj"));
        byte[] cut = java.util.Arrays.copyOf(good, 3000);
        assertEquals("cut.ubj is not valid UBJSON (the file ends inside an array or object at byte 3000): a damaged XGBoost"
                + " model file; save the model again", refusal(cut, "cut.ubj"));
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 2);
        assertEquals("longer.ubj is not valid UBJSON (2 bytes after the end of the model at byte " + good.length
                + "): a damaged XGBoost model file; save the model again", refusal(longer, "longer.ubj"));
        // The first typed array (float32, '$' 'd') made an array of 'x'
        byte[] typed = good.clone();
        int at = indexOf(typed, new byte[] {'[', '$', 'd', '#'}) + 2;
        typed[at] = 'x';
        assertEquals("typed.ubj is not valid UBJSON (an array of the marker 'x' (moe reads typed arrays of numbers) at"
                + " byte " + at + "): a damaged XGBoost model file; save the model again", refusal(typed, "typed.ubj"));
        // Its count (an int64 after '#' 'L') made 2^40: more than the file holds, refused before anything is allocated
        byte[] counted = good.clone();
        counted[at + 5] = 1;
        long count = (1L << 40) + (good[at + 10] & 0xff); // the array's 7 float32s, plus 2^40
        assertEquals("counted.ubj is not valid UBJSON (an array's count " + count + ", more than the file's "
                + good.length + " bytes at byte " + (at + 2) + "): a damaged XGBoost model file; save the model again",
                refusal(counted, "counted.ubj"));
        // A key's length marker (the first byte after '{') made a quote: JSON, which it is not
        byte[] json = good.clone();
        json[1] = '"';
        assertTrue(refusal(json, "json.ubj").startsWith("json.ubj is not valid JSON ("), refusal(json, "json.ubj"));
    }

    static String refusal(byte[] bytes, String source) {
        return org.junit.jupiter.api.Assertions.assertThrows(dev.moe.api.ExpertException.class,
                () -> XGBoostJson.read(bytes, source, false)).getMessage();
    }

    static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void theFilesSpellBaseScoreAsTheirVersionDoes() throws IOException {
        // 2.x and 3.0: a number, estimated from the labels for binary:logistic (a probability); 3.1+: a list, with one
        // margin per class for a multi-class model (the classes' centred log-frequencies on wine, 59/71/48 rows).
        assertTrue(json("xgb2.1-pima-logistic").contains("\"base_score\":\"3.5339102E-1\""));
        assertTrue(json("xgb2.1-wine-softprob").contains("\"base_score\":\"5E-1\""));
        assertTrue(json("xgb3.0-pima-logistic").contains("\"base_score\":\"3.4895834E-1\""));
        assertTrue(json("xgb3.0-wine-softprob").contains("\"base_score\":\"5E-1\""));
        assertTrue(json("xgb3.4-pima-logistic").contains("\"base_score\":\"[3.4895834E-1]\""));
        assertTrue(json("xgb3.4-wine-softprob").contains("\"base_score\":\"[7.064581E-3,1.922065E-1,-1.992712E-1]\""));
        // 3.4 writes dart as a gbtree booster with the dart weights beside its trees
        assertTrue(json("xgb3.4-wine-dart").contains("\"name\":\"gbtree\""));
        assertTrue(json("xgb3.4-wine-dart").contains("\"weight_drop\":["));
        assertTrue(json("xgb3.0-wine-dart").contains("\"name\":\"dart\""));
    }

    @Test
    void theMultiClassInterceptOf34IsNeeded() throws IOException {
        // The same file with one intercept for every class (as 2.x adds its one value) is off by more than the tolerance:
        // the comparison above would catch the per-class intercept read as one value, or ignored.
        String text = json("xgb3.4-wine-softprob").replace("[7.064581E-3,1.922065E-1,-1.992712E-1]", "[7.064581E-3]");
        Expected expected = Expected.read(FIXTURES.resolve("xgb3.4-wine-softprob.expected.csv"));
        FloatMatrix p = XGBoostExpertProvider.open("e1", text.getBytes(), "edited", null, null, false, null)
                .predict(expected.features());
        float off = largest(expected.probabilities(), p);
        System.out.println("xgb3.4-wine-softprob with one intercept for every class: largest difference " + off);
        assertTrue(off > 0.03, "the intercept changes nothing: " + off);
    }

    @Test
    void theDartWeightsOf34AreNeeded() throws IOException {
        // Without its weight_drop (every tree at weight 1), 3.4's dart model gives other probabilities.
        String text = json("xgb3.4-wine-dart").replaceFirst(",\"weight_drop\":\\[[^]]*]", "");
        assertTrue(!text.contains("weight_drop") && text.contains("\"name\":\"gbtree\""));
        Expected expected = Expected.read(FIXTURES.resolve("xgb3.4-wine-dart.expected.csv"));
        FloatMatrix p = XGBoostExpertProvider.open("e1", text.getBytes(), "edited", null, null, false, null)
                .predict(expected.features());
        float off = largest(expected.probabilities(), p);
        System.out.println("xgb3.4-wine-dart without its weights: largest difference " + off);
        assertTrue(off > 0.03, "the dart weights change nothing: " + off);
    }

    static float largest(FloatMatrix a, FloatMatrix b) {
        float worst = 0;
        for (int i = 0; i < a.values().length; i++) {
            worst = Math.max(worst, Math.abs(a.values()[i] - b.values()[i]));
        }
        return worst;
    }

    static String json(String name) throws IOException {
        return Files.readString(FIXTURES.resolve(name + ".json"));
    }
}
