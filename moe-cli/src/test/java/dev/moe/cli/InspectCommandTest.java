package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moe.api.FloatMatrix;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moe inspect}: a bundle trained here, described as text and JSON; damaged, missing and foreign files refused. */
class InspectCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NL = System.lineSeparator();

    @TempDir
    static Path shared;

    /** {@link PredictCommandTest#SEED}: three nd4j-mlp specialists on 900 rows, routed top-2, seed 3. */
    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() throws Exception {
        model = PredictCommandTest.trainSeedBundle(shared);
    }

    private static BundleManifest manifest(Path bundle) {
        try (SavedMixture m = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), null)).read(bundle)) {
            return m.manifest();
        }
    }

    @Test
    void aListedNameThatWouldBlurWithItsNeighboursIsQuoted() {
        assertEquals("yes, 'yes, sure', no", InspectCommand.shortened(List.of("yes", "yes, sure", "no")));
        assertEquals("' a', '', '''it''s', plain", InspectCommand.shortened(List.of(" a", "", "'it's", "plain")));
    }

    @Test
    void describesATrainedBundleAsText() throws Exception {
        MainTest.Result r = MainTest.moe("inspect", model.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        BundleManifest m = manifest(model);
        String out = r.out();
        assertTrue(out.startsWith("File              " + model + ", "), out);
        assertTrue(out.contains(NL + "Verified          format version " + dev.moe.runtime.bundle.BundleFormat.versionFor(false) + "; its " + m.entries().size()
                + " entries have their recorded sizes and SHA-256" + NL), out);
        assertTrue(out.contains(NL + "Written by        " + m.createdBy() + ", " + m.createdAt() + NL), out);
        assertTrue(out.contains(NL + "  strategy        top-k: k=2" + NL), out);
        assertTrue(out.contains(NL + "  parameters      k=2" + NL), out);
        assertTrue(out.contains(NL + "  gate            reads the features; layers 4 -> 3 (no hidden layer); 15 parameters" + NL), out);
        assertTrue(out.contains(NL + "Features          4: feature0, feature1, feature2, feature3" + NL), out);
        assertTrue(out.contains(NL + "Labels            3 (column label): 0, 1, 2" + NL), out);
        // The experts' table: aligned columns, one row per expert with its entry's size.
        List<String> lines = out.lines().toList();
        int header = lines.indexOf("Experts (3)") + 1;
        assertTrue(lines.get(header).matches("  id +provider +artifact +from +storage +size +temperature +floor"), lines.get(header));
        int storage = lines.get(header).indexOf("storage");
        for (int k = 0; k < 3; k++) {
            String row = lines.get(header + 1 + k);
            BundleManifest.ExpertEntry e = m.experts().get(k);
            assertTrue(row.startsWith("  " + e.id() + " "), row);
            assertTrue(row.contains(" nd4j-mlp "), row);
            assertTrue(row.contains(" built in "), row);
            assertEquals("embedded", row.substring(storage, storage + "embedded".length()), row);
            long bytes = m.sizes().get(e.entry());
            assertTrue(row.contains("  " + TrainCommand.humanSize(bytes) + "  "), row);
        }
        assertTrue(out.contains(NL + "  config SHA-256  " + sha256(Files.readAllBytes(shared.resolve("seed.yaml"))) + " (a copy is in the bundle, as config.yaml)" + NL), out);
        assertTrue(out.contains(NL + "  data            synthetic-seed, 900 rows" + NL), out);
        assertTrue(out.contains(NL + "  data SHA-256    " + m.provenance().dataSha256() + " (as read)" + NL), out);
        assertTrue(out.contains(NL + "  seed            3" + NL), out);
        assertTrue(out.contains(NL + "Plugins           none: every provider it names is built into moe" + NL), out);
        assertFalse(out.contains("BundleManifest") || out.contains("PluginRef") || out.contains("null"), out);
    }

    @Test
    void theJsonHoldsTheSameFactsAsTheManifestAndTheZip() throws Exception {
        // To standard output, as a script reads it: the process's own, written to its descriptor.
        SafetyTest.Process r = SafetyTest.process(null, List.of(), "inspect", model.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        JsonNode j = JSON.readTree(r.out());
        BundleManifest m = manifest(model);
        assertEquals(model.toString(), j.get("file").asText());
        assertEquals(Files.size(model), j.get("fileBytes").asLong());
        assertTrue(j.get("verified").asBoolean());
        assertEquals(dev.moe.runtime.bundle.BundleFormat.versionFor(false), j.get("formatVersion").asInt());
        assertEquals(m.createdBy(), j.get("createdBy").asText());
        assertEquals("top-k", j.at("/combiner/strategy").asText());
        assertEquals(2, j.at("/combiner/params/k").asInt());
        assertEquals(List.of(4, 3), JSON.convertValue(j.at("/combiner/gateSizes"), List.class));
        assertEquals(m.featureNames(), JSON.convertValue(j.get("features"), List.class));
        assertEquals(3, j.get("experts").size());
        assertEquals(sha256(Files.readAllBytes(shared.resolve("seed.yaml"))), j.get("configSha256").asText());
        assertEquals(3, j.at("/provenance/seed").asLong());
        assertEquals(0, j.get("plugins").size());
        // Every entry of the zip but the manifest, with its true size and SHA-256.
        try (ZipFile zip = new ZipFile(model.toFile())) {
            List<String> names = new ArrayList<>();
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.getName().equals("manifest.json")) {
                    continue;
                }
                names.add(e.getName());
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                assertEquals(bytes.length, j.at("/entries/" + e.getName().replace("/", "~1") + "/bytes").asLong(), e.getName());
                assertEquals(sha256(bytes), j.at("/entries/" + e.getName().replace("/", "~1") + "/sha256").asText(), e.getName());
            }
            assertEquals(names.size(), j.get("entries").size());
        }

        // To a file: refused over an existing one without --overwrite, and never over the bundle itself.
        Path file = dir.resolve("inspect.json");
        assertEquals(0, MainTest.moe("inspect", model.toString(), "--json", file.toString()).status());
        assertEquals(j, JSON.readTree(file.toFile()));
        MainTest.Result again = MainTest.moe("inspect", model.toString(), "--json", file.toString());
        assertEquals(2, again.status());
        assertEquals("moe: " + file + ": exists; pass --overwrite to replace it, or choose another output" + NL, again.err());
        assertEquals(0, MainTest.moe("inspect", model.toString(), "--json", file.toString(), "--overwrite").status());
        byte[] bundle = Files.readAllBytes(model);
        MainTest.Result over = MainTest.moe("inspect", model.toString(), "--json", model.toString(), "--overwrite");
        assertEquals(2, over.status());
        assertTrue(over.err().contains("would overwrite " + model + ", the model of this command"), over.err());
        assertTrue(java.util.Arrays.equals(bundle, Files.readAllBytes(model)));
        // `--json FILE.moe` with no other argument: the bundle, as JSON on stdout.
        SafetyTest.Process swapped = SafetyTest.process(null, List.of(), "inspect", "--json", model.toString());
        assertEquals(0, swapped.status(), swapped.err());
        assertEquals(j, JSON.readTree(swapped.out()));
    }

    /** The product's exponents and constant routing's weights, read from the gate's entry, are the loaded model's. */
    @Test
    void rowIndependentCombinersShowTheirWeightsPerExpert() throws Exception {
        Path config = Files.writeString(dir.resolve("seed.yaml"), PredictCommandTest.SEED);
        for (String strategy : List.of("product", "constant")) {
            Path bundle = dir.resolve(strategy + ".moe");
            MainTest.Result trained = MainTest.moe("train", config.toString(), "-o", bundle.toString(), "-q", "--strategy", strategy);
            assertEquals(0, trained.status(), trained.err());
            JsonNode j = inspectJson(bundle);
            List<Double> expected;
            try (SavedMixture m = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), null)).read(bundle)) {
                expected = strategy.equals("product") ? m.model().productExponents()
                        : toList(m.model().weights(FloatMatrix.zeros(1, m.featureNames().size())).values());
            }
            String field = strategy.equals("product") ? "exponent" : "weight";
            for (int k = 0; k < 3; k++) {
                JsonNode e = j.get("experts").get(k);
                assertEquals(expected.get(k), e.get(field).asDouble(), 1e-6, strategy + " " + k);
                assertFalse(e.has(strategy.equals("product") ? "weight" : "exponent"));
            }
            String text = MainTest.moe("inspect", bundle.toString()).out();
            assertTrue(text.lines().anyMatch(l -> l.matches("  id +provider +artifact +from +storage +size +" + field + " +temperature +floor")), text);
            assertTrue(text.contains(String.format(java.util.Locale.ROOT, "  %.3g  ", expected.get(0))), text);
            // Its stored gate reads nothing (input weights 0), so no line describes what it reads.
            assertTrue(text.lines().anyMatch(l -> l.matches("  " + field + "s +one per expert, the same for every row \\(below\\)")), text);
            assertFalse(text.contains(NL + "  gate "), text);
        }
    }

    @Test
    void aTamperedBundleIsNamedAsPredictNamesIt() throws Exception {
        Path tampered = dir.resolve("tampered.moe");
        String entry = manifest(model).experts().get(1).entry();
        copyZip(model, tampered, entry, b -> {
            byte[] changed = b.clone();
            changed[changed.length / 2] ^= 1;
            return changed;
        });
        String expected = "moe: " + tampered + ": entry '" + entry + "' fails its SHA-256 check: the bundle is corrupt" + NL;
        MainTest.Result r = MainTest.moe("inspect", tampered.toString());
        assertEquals(2, r.status());
        assertEquals("", r.out());
        assertEquals(expected, r.err());
        Path json = dir.resolve("t.json");
        r = MainTest.moe("inspect", tampered.toString(), "--json", json.toString());
        assertEquals(2, r.status());
        assertEquals(expected, r.err());
        assertTrue(Files.notExists(json));
        assertEquals(r.err(), predictErr(tampered));
    }

    @Test
    void aMissingFileAFolderAndAFileThatIsNoZipAreRefusedInOneLine() throws Exception {
        Path absent = dir.resolve("absent.moe");
        MainTest.Result r = MainTest.moe("inspect", absent.toString());
        assertEquals(2, r.status());
        assertEquals("moe: model file not found: " + absent + NL, r.err());
        assertEquals(r.err(), predictErr(absent));

        Path text = Files.writeString(dir.resolve("notes.moe"), "not a zip\n");
        r = MainTest.moe("inspect", text.toString());
        assertEquals(2, r.status());
        assertEquals("moe: " + text + ": not a moe model bundle, or truncated (zip END header not found)" + NL, r.err());
        assertEquals(r.err(), predictErr(text));

        r = MainTest.moe("inspect", dir.toString());
        assertEquals(2, r.status());
        assertEquals("moe: " + dir + ": is a folder, not a model bundle" + NL, r.err());

        r = MainTest.moe("inspect");
        assertEquals(2, r.status());
        assertEquals("moe: inspect needs FILE: the saved mixture (.moe) (moe inspect --help lists the options)" + NL, r.err());
    }

    /** A Tribuo model with its columnar loader's names (hue@value) reads them from the features, not "2 of the 13". */
    @Test
    void aTribuoModelsOwnNamesAreSaidAsSuch() throws Exception {
        List<String> lines = Files.readAllLines(TrainCommandTest.wineCsv());
        List<String> header = List.of(lines.get(0).split(","));
        int hue = header.indexOf("hue");
        int colour = header.indexOf("color_intensity");
        var factory = new org.tribuo.classification.LabelFactory();
        var rows = new org.tribuo.MutableDataset<>(new org.tribuo.provenance.SimpleDataSourceProvenance("wine", factory), factory);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            rows.add(new org.tribuo.impl.ArrayExample<>(new org.tribuo.classification.Label(cells[cells.length - 1]),
                    new String[] {"color_intensity@value", "hue@value"},
                    new double[] {Double.parseDouble(cells[colour]), Double.parseDouble(cells[hue])}));
        }
        new org.tribuo.classification.sgd.linear.LogisticRegressionTrainer().train(rows).serializeToFile(dir.resolve("theirs.tribuo"));
        Path config = Files.writeString(dir.resolve("theirs.yaml"), """
                seed: 1
                data: { source: csv, path: %s }
                experts:
                  - { id: theirs, provider: tribuo, params: { model: theirs.tribuo } }
                  - { id: ours, provider: tribuo, params: { algorithm: logistic-regression } }
                """.formatted(TrainCommandTest.wineCsv()));
        Path bundle = dir.resolve("theirs.moe");
        MainTest.Result r = MainTest.moe("train", config.toString(), "-o", bundle.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        String text = MainTest.moe("inspect", bundle.toString()).out();
        assertTrue(text.contains(NL + "  theirs reads 2 features by its own names, read from the 13: color_intensity@value,"
                + " hue@value" + NL), text);
    }

    /** A plugin's jar is checked in the folder given, as predict checks it, and none of its code is run. */
    @Test
    void thePluginsABundleNeedsAreCheckedAgainstTheFolderGiven() throws Exception {
        Path plugins = TrainCommandTest.pluginsFolder(dir);
        Path config = Files.writeString(dir.resolve("wine.yaml"), """
                seed: 1
                data: { source: csv, path: %s }
                split: { experts: 0.4, gate: 0.4, test: 0.2 }
                experts:
                  - { id: wine-cart, provider: wine-cart-example, params: { probabilities: one-hot } }
                  - { id: colour, provider: tribuo, subset: { features: [color_intensity, hue] }, params: { algorithm: cart } }
                gate: { hidden: [], epochs: 30, learning-rate: 0.05 }
                """.formatted(TrainCommandTest.wineCsv()));
        Path bundle = dir.resolve("wine.moe");
        MainTest.Result r = MainTest.moe("train", config.toString(), "-o", bundle.toString(), "-q", "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        Path jar = plugins.resolve(Path.of(System.getProperty("moe.examplePluginJar")).getFileName());
        String sha = sha256(Files.readAllBytes(jar));

        JsonNode unchecked = inspectJson(bundle).get("plugins").get(0);
        assertEquals(jar.getFileName().toString(), unchecked.get("jar").asText());
        assertEquals(sha, unchecked.get("sha256").asText());
        assertEquals("unchecked", unchecked.get("status").asText());
        String text = MainTest.moe("inspect", bundle.toString()).out();
        assertTrue(text.contains(NL + "  wine-cart is stored by reference: its plugin loads it again from probabilities=one-hot" + NL), text);
        assertTrue(text.contains(NL + "  colour reads 2 of the 13 features: color_intensity, hue" + NL), text);
        // The README's wine-plugin.yaml names the plugin's expert with no parameters: no half sentence then.
        Path bare = Files.writeString(dir.resolve("bare.yaml"), Files.readString(config).replace(", params: { probabilities: one-hot }", ""));
        Path bareBundle = dir.resolve("bare.moe");
        r = MainTest.moe("train", bare.toString(), "-o", bareBundle.toString(), "-q", "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        String bareText = MainTest.moe("inspect", bareBundle.toString()).out();
        assertTrue(bareText.contains(NL + "  wine-cart is stored by reference: its plugin loads it again, with no parameters" + NL), bareText);
        assertTrue(text.contains(NL + "    SHA-256       " + sha + NL + "    status        not checked (no plugins folder given)" + NL), text);

        JsonNode matches = inspectJson(bundle, "--plugins", plugins.toString())
                .get("plugins").get(0);
        assertEquals("matches", matches.get("status").asText());
        assertEquals(jar.toString(), matches.get("found").asText());
        assertFalse(matches.has("problem"));

        Path empty = Files.createDirectories(dir.resolve("empty"));
        JsonNode missing = inspectJson(bundle, "--plugins", empty.toString())
                .get("plugins").get(0);
        assertEquals("missing", missing.get("status").asText());

        // A bundle from an older moe records the plugin without its SHA-256: present or not, predict refuses it.
        Path older = dir.resolve("older.moe");
        copyZip(bundle, older, "manifest.json", InspectCommandTest::withoutPluginHashes);
        r = MainTest.moe("inspect", older.toString(), "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        String refused = MainTest.moe("predict", "-m", older.toString(), "-i", TrainCommandTest.wineCsv().toString(), "-o",
                dir.resolve("p.csv").toString(), "--plugins", plugins.toString()).err();
        assertTrue(refused.contains("without its SHA-256 (saved by an older moe)"), refused);
        assertTrue(r.out().contains(NL + "    status        present, without its SHA-256 (saved by an older moe): moe predict would"
                + " refuse it" + NL + "    found         " + jar + NL + "    predict says  " + refused.substring("moe: ".length())), r.out());
        JsonNode unverifiable = inspectJson(older, "--plugins", plugins.toString())
                .get("plugins").get(0);
        assertEquals("unverifiable", unverifiable.get("status").asText());
        assertEquals(jar.toString(), unverifiable.get("found").asText());
        assertTrue(MainTest.moe("inspect", older.toString(), "--plugins", empty.toString()).out().contains(NL
                + "    status        missing from the plugins folder, without its SHA-256 (saved by an older moe): moe predict would"
                + " refuse it" + NL));

        // Another jar under the recorded name: inspect says so (exit 0, it is the folder's fault), in predict's words.
        Files.write(jar, new byte[] {'P', 'K'}, java.nio.file.StandardOpenOption.APPEND);
        r = MainTest.moe("inspect", bundle.toString(), "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(NL + "    status        DIFFERS from what the bundle records: moe predict would refuse it" + NL), r.out());
        String predict = MainTest.moe("predict", "-m", bundle.toString(), "-i", TrainCommandTest.wineCsv().toString(), "-o",
                dir.resolve("p.csv").toString(), "--plugins", plugins.toString()).err();
        assertTrue(predict.startsWith("moe: " + jar + ": its SHA-256 is "), predict);
        assertTrue(r.out().contains(NL + "    predict says  " + predict.substring("moe: ".length())), r.out());
    }

    /** `moe inspect m.moe --json | head -c 10`: the reader went away, and moe ends quietly with 141, as predict does. */
    @Test
    void theJsonToAPipeClosedEarlyEndsQuietly() throws Exception {
        java.lang.Process p = new ProcessBuilder(ChildJvm.moe(List.of(), "inspect", model.toString(), "--json")).start();
        p.getInputStream().close(); // closed before moe writes: its first write finds no reader
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst(MainTest.FALLBACK_LINE, "");
        assertEquals(141, p.exitValue(), err);
        assertEquals("", err, "quiet, as a Unix tool whose pipe closed");
        assertTrue(MainTest.moe("inspect", "--help").out().contains("141"));
    }

    /** The description as JSON, through a file (an in-process run's standard output is the test's own). */
    private JsonNode inspectJson(Path bundle, String... options) throws Exception {
        Path file = dir.resolve("inspect.json");
        List<String> args = new ArrayList<>(List.of("inspect", bundle.toString(), "--json", file.toString(), "--overwrite"));
        args.addAll(List.of(options));
        MainTest.Result r = MainTest.moe(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return JSON.readTree(file.toFile());
    }

    @Test
    void helpAndCompletionKnowTheCommand() {
        assertTrue(MainTest.moe("--help").out().contains("  inspect "));
        String completion = MainTest.moe("completion", "bash").out();
        int start = completion.indexOf("function _picocli_moe_inspect()");
        assertTrue(start >= 0, "a completion function for the command");
        String function = completion.substring(start, completion.indexOf(NL + "}", start));
        for (String option : List.of("--json", "--plugins", "--overwrite")) {
            assertTrue(function.contains(option), option);
        }
    }

    private String predictErr(Path bundle) throws Exception {
        Path input = PredictCommandTest.csv(dir.resolve("rows.csv"), dev.moe.runtime.data.SyntheticSeedSource.generate(5, 1));
        return MainTest.moe("predict", "-m", bundle.toString(), "-i", input.toString(), "-o", dir.resolve("p.csv").toString()).err();
    }

    private static List<Double> toList(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }

    /** The manifest as an older moe wrote it: its plugins without their SHA-256. */
    private static byte[] withoutPluginHashes(byte[] manifest) {
        try {
            JsonNode m = JSON.readTree(manifest);
            m.findParents("sha256").stream().filter(n -> n.has("jar"))
                    .forEach(n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("sha256"));
            return JSON.writeValueAsBytes(m);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void copyZip(Path from, Path to, String entry, UnaryOperator<byte[]> change) throws Exception {
        try (ZipFile zip = new ZipFile(from.toFile()); OutputStream file = Files.newOutputStream(to); ZipOutputStream copy = new ZipOutputStream(file)) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                copy.putNextEntry(new ZipEntry(e.getName()));
                copy.write(e.getName().equals(entry) ? change.apply(bytes) : bytes);
                copy.closeEntry();
            }
        }
    }
}
