package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moe.runtime.MoeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved mixture's {@code fill} and {@code categorical} entries, damaged: each is refused in one line naming the bundle
 * and the entry, by the reader that {@code moe predict}, {@code evaluate -m}, {@code inspect}, Spark and the library share,
 * before anything is built from them (never a stack trace, never a prediction with a wrong median or level).
 */
class EncodedColumnsManifestTest {

    /** A bundle over filled.csv: features x, g, g=missing, colour=blue, colour=green, colour=red. */
    static Path saved;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void save() throws Exception {
        Path csv = Path.of(EncodedColumnsManifestTest.class.getResource("/data/filled.csv").toURI());
        BundleFixtures.Trained trained = BundleFixtures.train("""
                seed: 11
                data: { source: csv, path: %s, categorical: [colour], fill: [g] }
                split: { experts: 0.4, gate: 0.3, test: 0.3 }
                experts:
                  - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 5 } }
                gate: { choose: gate, epochs: 5 }
                """.formatted(csv));
        saved = shared.resolve("filled.moe");
        new BundleWriter(BundleFixtures.REGISTRY).write(trained.run().saveRequest(trained.config(), BundleFixtures.REGISTRY, null), saved);
    }

    /** The message reading the bundle gives once {@code edit} has changed its manifest. */
    private String refusal(Consumer<ObjectNode> edit) throws Exception {
        Path damaged = dir.resolve("damaged.moe");
        BundleReaderTest.rewriteWithManifest(saved, damaged, (name, b) -> b, edit);
        String reading = assertThrows(MoeException.class, () -> new BundleReader(BundleFixtures.REGISTRY).read(damaged)).getMessage();
        String inspecting = assertThrows(MoeException.class, () -> BundleInspection.of(damaged, null)).getMessage();
        assertEquals(reading, inspecting, "moe inspect checks what loading checks");
        return reading.replace(damaged.toString(), "FILE");
    }

    /** The manifest's {@code fill[0]}, g's entry, to edit. */
    private static ObjectNode g(ObjectNode manifest) {
        return (ObjectNode) manifest.get("fill").get(0);
    }

    private static final String CORRUPT = "FILE: manifest.json is corrupt: ";

    @Test
    void theBundleReadsAsWritten() throws Exception {
        try (SavedMixture m = new BundleReader(BundleFixtures.REGISTRY).read(saved)) {
            assertEquals("g", m.manifest().fill().get(0).column());
            assertEquals(java.util.List.of("x", "g", "colour"), m.encoding().inputColumns());
        }
    }

    @Test
    void aMedianThatIsNoFiniteFloatIsRefused() throws Exception {
        assertEquals(CORRUPT + "'fill[g].median' is not a finite number: \"abc\"", refusal(m -> g(m).put("median", "abc")));
        assertEquals(CORRUPT + "'fill[g].median' is not a finite number: \"3.5\"", refusal(m -> g(m).put("median", "3.5")));
        assertEquals(CORRUPT + "'fill[g].median' is not a finite number: \"NaN\"", refusal(m -> g(m).put("median", "NaN")));
        assertEquals(CORRUPT + "'fill[g].median' is not a finite number: true", refusal(m -> g(m).put("median", true)));
        assertEquals(CORRUPT + "'fill[g].median' is not a finite number: [1.5]", refusal(m -> g(m).putArray("median").add(1.5)));
        // Finite as a double, but a cell is a float: filled with it, the row would read infinity.
        assertEquals(CORRUPT + "'fill[g].median' is not a finite number: 1.0E39 (beyond a float's range)",
                refusal(m -> g(m).put("median", 1e39)));
        assertEquals(CORRUPT + "'fill[g].median' is missing", refusal(m -> g(m).remove("median")));
        assertEquals(CORRUPT + "'fill[g].median' is missing", refusal(m -> g(m).putNull("median")));
    }

    @Test
    void aFilledColumnMustBeAmongTheFeaturesWithItsIndicatorAfterIt() throws Exception {
        assertEquals(CORRUPT + "filled column 'h': its features ('h', 'h=missing') are not among the features",
                refusal(m -> g(m).put("column", "h")));
        assertEquals(CORRUPT + "filled column 'g': its features ('g', 'g=missing') are not among the features",
                refusal(m -> ((ArrayNode) m.get("featureNames")).remove(2)));
        assertEquals(CORRUPT + "filled column 'x': its features ('x', 'x=missing') are not among the features",
                refusal(m -> ((ArrayNode) m.get("fill")).addObject().put("column", "x").put("median", 0.5)));
    }

    @Test
    void aColumnNamedTwiceIsRefusedAsSuch() throws Exception {
        assertEquals(CORRUPT + "'fill' names column 'g' twice",
                refusal(m -> ((ArrayNode) m.get("fill")).addObject().put("column", "g").put("median", 2.5)));
        assertEquals(CORRUPT + "column 'colour' is in both 'categorical' and 'fill'",
                refusal(m -> ((ArrayNode) m.get("fill")).addObject().put("column", "colour").put("median", 2.5)));
        assertEquals(CORRUPT + "'categorical' names column 'colour' twice",
                refusal(m -> ((ArrayNode) m.get("categorical")).add(m.get("categorical").get(0).deepCopy())));
    }

    @Test
    void anEntryOfTheWrongShapeIsRefused() throws Exception {
        assertEquals(CORRUPT + "'fill' is not a list of entries: {\"column\":\"g\",\"median\":2.5}",
                refusal(m -> m.putObject("fill").put("column", "g").put("median", 2.5)));
        assertEquals(CORRUPT + "'fill[0]' is not an entry ({\"column\": ..., \"median\": ...}): \"g\"",
                refusal(m -> m.putArray("fill").add("g")));
        assertEquals(CORRUPT + "'fill[0].column' is not text: 7", refusal(m -> g(m).put("column", 7)));
        assertEquals(CORRUPT + "'fill[0].column' is missing", refusal(m -> g(m).remove("column")));
        assertEquals(CORRUPT + "'categorical[0]' is not an entry ({\"column\": ..., \"levels\": [...]}): null",
                refusal(m -> ((ArrayNode) m.get("categorical")).set(0, (com.fasterxml.jackson.databind.JsonNode) null)));
        assertEquals(CORRUPT + "'categorical[colour].levels' is not a list of levels: \"red\"",
                refusal(m -> ((ObjectNode) m.get("categorical").get(0)).put("levels", "red")));
        assertEquals(CORRUPT + "'categorical[colour].levels' holds a level that is not text: null",
                refusal(m -> ((ArrayNode) m.get("categorical").get(0).get("levels")).addNull()));
        assertEquals(CORRUPT + "'categorical[colour].levels' holds level 'red' twice",
                refusal(m -> ((ArrayNode) m.get("categorical").get(0).get("levels")).add("red")));
    }

    /** NaN and infinities written by hand (JSON has neither) are named by their entry, not as JSON that does not parse. */
    @Test
    void aNanOrInfiniteTokenIsNamedByItsEntry() throws Exception {
        Path damaged = dir.resolve("nan.moe");
        String manifest = new String(BundleReaderTest.entries(saved).get("manifest.json"), StandardCharsets.UTF_8);
        for (String token : java.util.List.of("NaN", "Infinity", "-Infinity")) {
            String edited = manifest.replaceFirst("(\"median\" *: *)[-0-9.Ee]+", "$1" + token);
            assertTrue(!edited.equals(manifest), manifest);
            BundleReaderTest.rewrite(saved, damaged, (name, b) -> name.equals("manifest.json") ? edited.getBytes(StandardCharsets.UTF_8) : b);
            assertEquals(damaged + ": manifest.json is corrupt: 'fill[g].median' is not a finite number: " + token,
                    assertThrows(MoeException.class, () -> new BundleReader(BundleFixtures.REGISTRY).read(damaged)).getMessage());
        }
    }
}
