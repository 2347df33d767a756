package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final BundleWriter writer = new BundleWriter(BundleFixtures.REGISTRY);
    private final BundleReader reader = new BundleReader(BundleFixtures.REGISTRY);

    private Path saved() {
        Path file = dir.resolve("seed.moe");
        writer.write(BundleFixtures.seedMixture().request(), file);
        return file;
    }

    private static void assertSamePredictions(MixtureModel expected, MixtureModel actual, FloatMatrix rows, String what) {
        MixtureModel.Prediction a = expected.predict(rows);
        MixtureModel.Prediction b = actual.predict(rows);
        double diff = BundleFixtures.maxAbsDifference(a.probabilities().values(), b.probabilities().values());
        assertTrue(diff <= 1e-6, what + ": probabilities differ by " + diff);
        // The gate's numbers are stored bit for bit, the experts' too: in fact the results are identical.
        assertArrayEquals(a.probabilities().values(), b.probabilities().values(), what);
        assertArrayEquals(a.weights().values(), b.weights().values(), what);
    }

    @Test
    void everyStrategyRoundTripsToTheSameProbabilities() {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        FloatMatrix rows = trained.run().data().features();
        assertTrue(BundleFixtures.REGISTRY.routingProviders().keySet().containsAll(List.of("softmax-dense", "top-k")));
        for (String strategy : BundleFixtures.REGISTRY.routingProviders().keySet()) {
            Map<String, Object> params = strategy.equals("top-k") ? Map.of("k", 2, "temperature", 0.5) : Map.of();
            SaveRequest request = trained.request(strategy, params);
            Path file = dir.resolve(strategy + ".moe");
            writer.write(request, file);
            SavedMixture loaded = reader.read(file);
            assertEquals(strategy, loaded.model().strategy().name());
            assertEquals(request.model().strategy().describe(), loaded.model().strategy().describe());
            assertSamePredictions(request.model(), loaded.model(), rows, strategy);
        }
    }

    /** From a stream (Spark's broadcast bytes), the same model and the same checks, without a temporary file. */
    @Test
    void aBundleReadFromAStreamIsTheSameAndCheckedTheSame() throws Exception {
        Path file = saved();
        SavedMixture fromStream = reader.read("seed.moe", new java.io.ByteArrayInputStream(Files.readAllBytes(file)));
        assertEquals(reader.read(file).manifest(), fromStream.manifest());
        assertSamePredictions(reader.read(file).model(), fromStream.model(), BundleFixtures.seedMixture().run().data().features(),
                "from a stream");

        Path tampered = dir.resolve("tampered.moe");
        rewrite(file, tampered, (name, b) -> {
            if (name.equals("gate/parameters.f32")) {
                float[] f = BundleFormat.floats(b);
                f[0] += 0.25f;
                return BundleFormat.floats(f);
            }
            return b;
        });
        assertEquals("tampered.moe: entry 'gate/parameters.f32' fails its SHA-256 check: the bundle is corrupt",
                assertThrows(MoeException.class, () -> reader.read("tampered.moe",
                        new java.io.ByteArrayInputStream(Files.readAllBytes(tampered)))).getMessage());
        assertTrue(assertThrows(MoeException.class, () -> reader.read("junk.moe", new java.io.ByteArrayInputStream(new byte[] {1, 2, 3})))
                .getMessage().startsWith("junk.moe: "));
    }

    @Test
    void aGateOnTheExpertsOutputsRoundTripsWithItsInputsAndCalibrations() {
        for (String inputs : List.of("signals", "both")) {
            BundleFixtures.Trained trained = BundleFixtures.train(BundleFixtures.CONFIG.replace("choose: gate,",
                    "choose: gate, inputs: " + inputs + ","));
            MixtureModel model = trained.model();
            assertEquals(inputs, model.gate().inputs().configName());
            assertTrue(model.calibrations().stream().anyMatch(c -> !c.isIdentity()), "the default calibrates the experts");
            Path file = dir.resolve(inputs + ".moe");
            BundleManifest manifest = writer.write(trained.request(), file);
            assertEquals(inputs, manifest.gate().inputs());
            assertEquals(BundleFormat.GATE_CALIBRATION, manifest.gate().calibration());
            assertTrue(manifest.entries().containsKey(BundleFormat.GATE_CALIBRATION), "the calibration is checksummed");
            SavedMixture loaded = reader.read(file);
            assertEquals(model.calibrations(), loaded.model().calibrations());
            assertEquals(model.gate().inputs(), loaded.model().gate().inputs());
            assertSamePredictions(model, loaded.model(), trained.run().data().features(), inputs);
        }
    }

    @Test
    void aVersionOneBundleReadsAsAFeaturesGateOverUncalibratedExperts() throws Exception {
        Path file = saved();
        Path old = dir.resolve("v1.moe");
        rewriteWithManifest(file, old, (name, b) -> name.equals(BundleFormat.GATE_CALIBRATION) ? null : b, manifest -> {
            manifest.put("formatVersion", 1);
            if (manifest.get("sizes") instanceof com.fasterxml.jackson.databind.node.ObjectNode sizes) {
                sizes.remove(BundleFormat.GATE_CALIBRATION);
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("gate")).remove(List.of("inputs", "calibration"));
            ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("entries")).remove(BundleFormat.GATE_CALIBRATION);
        });
        SavedMixture loaded = reader.read(old);
        assertEquals("features", loaded.model().gate().inputs().configName());
        assertTrue(loaded.model().calibrations().stream().allMatch(c -> c.isIdentity()));
    }

    @Test
    void aVersionTwoBundleHasNoCategoricalColumnsAndPredictsAsBefore() throws Exception {
        Path old = dir.resolve("v2.moe");
        rewriteWithManifest(saved(), old, (name, b) -> b, manifest -> manifest.put("formatVersion", 2));
        SavedMixture loaded = reader.read(old);
        assertTrue(loaded.encoding().isIdentity());
        assertEquals(loaded.featureNames(), loaded.encoding().inputColumns());
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        assertSamePredictions(trained.model(), loaded.model(), trained.run().data().features(), "version 2");
        Path wrong = dir.resolve("wrong-levels.moe");
        rewriteWithManifest(saved(), wrong, (name, b) -> b, manifest -> manifest.putArray("categorical").addObject()
                .put("column", "colour").putArray("levels").add("red"));
        assertEquals(wrong + ": manifest.json is corrupt: categorical column 'colour': its levels' features are not among the features",
                message(wrong));
    }

    @Test
    void theExpertsWeightedProductRoundTrips() {
        BundleFixtures.Trained trained = BundleFixtures.train(BundleFixtures.CONFIG.replace("choose: gate,", "choose: auto,"
                + " candidates: [product],"));
        MixtureModel model = trained.model();
        assertEquals("product", model.strategy().name());
        Path file = dir.resolve("product.moe");
        BundleManifest manifest = writer.write(trained.request(), file);
        assertEquals("product", manifest.strategy().name());
        SavedMixture loaded = reader.read(file);
        assertEquals("product", loaded.model().strategy().name());
        assertEquals(model.calibrations(), loaded.model().calibrations());
        assertSamePredictions(model, loaded.model(), trained.run().data().features(), "product");
    }

    @Test
    void fineTunedExpertsUnderTopKRoundTrip() {
        BundleFixtures.Trained tuned = BundleFixtures.train(BundleFixtures.CONFIG.replace("learning-rate: 0.05 }",
                "learning-rate: 0.05, fine-tune-experts: true, expert-learning-rate: 0.01 }") + "routing: { strategy: top-k, params: { k: 2 } }\n");
        assertEquals("true", tuned.model().experts().get(0).expert().provenance().get("fine-tuned"));
        Path file = dir.resolve("tuned.moe");
        writer.write(tuned.request(), file);
        SavedMixture loaded = reader.read(file);
        assertEquals("k=2", loaded.model().strategy().describe());
        assertEquals(Map.of("k", 2), loaded.manifest().strategy().params());
        assertSamePredictions(tuned.model(), loaded.model(), tuned.run().data().features(), "fine-tuned top-k");
    }

    @Test
    void theManifestDescribesTheMixtureAndWhereItCameFrom() throws Exception {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        Path file = saved();
        BundleManifest m = reader.read(file).manifest();
        assertEquals("moe-mixture", m.format());
        assertEquals(2, m.formatVersion(), "a numeric bundle is written in version 2, which older readers read");
        assertEquals(List.of("feature0", "feature1", "feature2", "feature3"), m.featureNames());
        assertEquals(List.of("0", "1", "2"), m.labelNames());
        assertEquals("label", m.labelColumn());
        assertEquals("softmax-dense", m.strategy().name());
        assertEquals(List.of(4, 6, 3), m.gate().sizes());
        assertEquals(List.of("leaky-relu"), m.gate().activations());
        assertEquals(3, m.experts().size());
        BundleManifest.ExpertEntry e1 = m.experts().get(0);
        assertEquals("expert1", e1.id());
        assertEquals("nd4j-mlp", e1.provider());
        assertEquals("embedded", e1.storage());
        assertEquals("experts/0-expert1.bin", e1.entry());
        assertEquals(List.of("0", "1", "2"), e1.labelNames()); // an nd4j-mlp expert answers in the data set's label space
        assertEquals(Map.of("hidden", 8, "epochs", 20, "learning-rate", 0.03), e1.params());
        assertTrue(e1.origin().startsWith("classpath"), e1.origin());

        Dataset data = trained.run().data();
        BundleManifest.Provenance p = m.provenance();
        assertEquals(5L, p.seed());
        assertEquals("synthetic-seed", p.dataSource());
        assertEquals(600, p.dataRows());
        assertEquals(SaveRequest.datasetSha256(data), p.dataSha256());
        assertEquals(64, p.dataSha256().length());
        assertEquals(trained.run().plan().testRows().length, p.testRows());
        assertEquals("config.yaml", p.configEntry());
        assertEquals("1.0.0-M2.1", p.libraries().get("nd4j"));
        assertEquals(System.getProperty("java.version"), p.libraries().get("java").split(" ")[0]);

        Map<String, byte[]> entries = entries(file);
        assertEquals(BundleFixtures.CONFIG, new String(entries.get("config.yaml"), StandardCharsets.UTF_8));
        assertEquals(List.of("gate/means.f32", "gate/scales.f32", "gate/parameters.f32", "gate/calibration.f32", "experts/0-expert1.bin",
                "experts/1-expert2.bin", "experts/2-expert3.bin", "config.yaml"), List.copyOf(m.entries().keySet()));
        for (Map.Entry<String, String> e : m.entries().entrySet()) {
            assertEquals(BundleFormat.sha256(entries.get(e.getKey())), e.getValue(), e.getKey());
        }
        // Each entry's size is declared too: what the reader caps it at (a zip bomb is refused at that size).
        assertEquals(m.entries().keySet(), m.sizes().keySet());
        for (Map.Entry<String, Long> e : m.sizes().entrySet()) {
            assertEquals(entries.get(e.getKey()).length, e.getValue(), e.getKey());
        }
        assertTrue(m.strategy().origin().startsWith("classpath"), m.strategy().origin());
        // The gate's floats are the trained ones, bit for bit, little-endian.
        assertArrayEquals(trained.model().gate().network().parameterValues(), BundleFormat.floats(entries.get("gate/parameters.f32")));
        assertArrayEquals(trained.model().gate().scaler().scales(), BundleFormat.floats(entries.get("gate/scales.f32")));
    }

    @Test
    void aMissingEmptyOrForeignFileIsRefused() throws Exception {
        Path none = dir.resolve("none.moe");
        assertEquals("model file not found: " + none, message(none));
        Path empty = Files.createFile(dir.resolve("empty.moe"));
        assertEquals(empty + ": not a moe model bundle, or truncated (zip file is empty)", message(empty));
        Path text = Files.writeString(dir.resolve("notes.moe"), "just some text, not a zip");
        assertEquals(text + ": not a moe model bundle, or truncated (zip END header not found)", message(text));
        Path otherZip = dir.resolve("other.moe");
        rewrite(saved(), otherZip, (name, bytes) -> name.equals("manifest.json") ? null : bytes);
        assertEquals(otherZip + ": no manifest.json inside: not a moe model bundle", message(otherZip));
    }

    @Test
    void aTruncatedBundleIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(saved());
        for (int keep : new int[] {bytes.length / 2, bytes.length - 10}) {
            Path cut = Files.write(dir.resolve("cut-" + keep + ".moe"), Arrays.copyOf(bytes, keep));
            assertEquals(cut + ": not a moe model bundle, or truncated (zip END header not found)", message(cut));
        }
    }

    @Test
    void aCorruptedEntryIsRefusedByItsChecksums() throws Exception {
        Path good = saved();
        // Bytes flipped inside the zip: the zip's own CRC (or the inflater) catches it.
        byte[] bytes = Files.readAllBytes(good);
        int at = indexOf(bytes, "gate/parameters.f32".getBytes(StandardCharsets.US_ASCII)) + 60;
        bytes[at] ^= 0x5A;
        bytes[at + 1] ^= 0x5A;
        Path flipped = Files.write(dir.resolve("flipped.moe"), bytes);
        String m = message(flipped);
        assertTrue(m.startsWith(flipped + ": entry 'gate/parameters.f32' is damaged ("), m);
        assertTrue(m.endsWith("): the bundle is corrupt"), m);

        // An entry replaced inside a well-formed zip: only the manifest's SHA-256 can tell.
        Path tampered = dir.resolve("tampered.moe");
        rewrite(good, tampered, (name, b) -> {
            if (name.equals("gate/parameters.f32")) {
                float[] f = BundleFormat.floats(b);
                f[0] += 0.25f;
                return BundleFormat.floats(f);
            }
            return b;
        });
        assertEquals(tampered + ": entry 'gate/parameters.f32' fails its SHA-256 check: the bundle is corrupt", message(tampered));

        Path extra = dir.resolve("extra.moe");
        rewrite(good, extra, (name, b) -> b, Map.of("surprise.class", new byte[] {(byte) 0xCA, (byte) 0xFE}));
        assertEquals(extra + ": entry 'surprise.class' is not listed in the manifest: the bundle is corrupt", message(extra));

        Path gone = dir.resolve("gone.moe");
        rewrite(good, gone, (name, b) -> name.equals("experts/1-expert2.bin") ? null : b);
        assertEquals(gone + ": entry 'experts/1-expert2.bin' is missing: the bundle is incomplete or corrupt", message(gone));
    }

    /**
     * One bit flipped in the zip's structure (its central directory and end record, and each entry's local header):
     * some flips touch fields nothing reads (times, attributes) and load as before; every other one is named in words.
     * Several said "is damaged (null)" or "cannot read model bundle m.moe: null": an exception without a message.
     */
    @Test
    void aFlippedBitInTheZipsStructureIsNamedInWords() throws Exception {
        byte[] bytes = Files.readAllBytes(saved());
        int central = indexOf(bytes, new byte[] {'P', 'K', 1, 2});
        java.util.List<Integer> positions = new java.util.ArrayList<>();
        for (int i = central; i < bytes.length; i++) {
            positions.add(i);
        }
        for (int i = 0; i < 64; i++) {
            positions.add(i);
        }
        Path file = dir.resolve("flipped-bit.moe");
        int refused = 0;
        for (int at : positions) {
            byte[] flipped = bytes.clone();
            flipped[at] ^= 0x01;
            Files.write(file, flipped);
            try {
                reader.read(file);
            } catch (MoeException e) {
                refused++;
                String m = e.getMessage();
                assertTrue(m.startsWith(file + ": ") || m.startsWith("cannot read model bundle " + file + ": "), at + ": " + m);
                assertTrue(!m.contains("null"), at + ": " + m);
            }
        }
        assertTrue(refused > positions.size() / 4, refused + " of " + positions.size());
    }

    @Test
    void anExpertEntryThatPassesItsChecksumButIsCutShortNamesTheExpert() throws Exception {
        Path cut = dir.resolve("cut-expert.moe");
        rewriteWithManifest(saved(), cut, (name, b) -> name.equals("experts/2-expert3.bin") ? Arrays.copyOf(b, b.length - 9) : b,
                manifest -> { });
        assertEquals(cut + ": expert 'expert3': experts/2-expert3.bin is truncated", message(cut));
    }

    @Test
    void aNewerFormatVersionIsRefusedClearly() throws Exception {
        Path newer = dir.resolve("newer.moe");
        rewriteWithManifest(saved(), newer, (name, b) -> b, manifest -> {
            manifest.put("formatVersion", BundleFormat.VERSION + 1);
            manifest.put("createdBy", "moe 9.0.0");
        });
        assertEquals(newer + ": bundle format version " + (BundleFormat.VERSION + 1) + " is newer than this program reads (up to "
                + BundleFormat.VERSION + "); it was written by moe 9.0.0: "
                + "update moe to load it", message(newer));
        Path foreign = dir.resolve("foreign.moe");
        rewriteWithManifest(saved(), foreign, (name, b) -> b, manifest -> manifest.put("format", "something-else"));
        assertEquals(foreign + ": not a moe model bundle (its manifest's format is not 'moe-mixture')", message(foreign));
        Path broken = dir.resolve("broken.moe");
        rewriteWithManifest(saved(), broken, (name, b) -> b, manifest -> manifest.remove("gate"));
        assertEquals(broken + ": manifest.json is corrupt: 'gate' is missing", message(broken));
    }

    @Test
    void aProviderOrStrategyThatIsNotInstalledIsNamedWithItsPlugin() throws Exception {
        Path ghost = dir.resolve("ghost.moe");
        rewriteWithManifest(saved(), ghost, (name, b) -> b, manifest -> {
            ObjectNode expert = (ObjectNode) manifest.get("experts").get(1);
            expert.put("provider", "ghost-expert").put("origin", "/opt/plugins/ghost-plugin-1.2.jar"); // from a plugins folder
            expert.putObject("plugin").put("jar", "ghost-plugin-1.2.jar").put("artifact", "ghost-plugin").put("version", "1.2");
            ((ObjectNode) manifest.get("strategy")).put("name", "hash-routing").put("origin", "/opt/plugins/hash.jar");
        });
        assertEquals(ghost + ": needs expert provider 'ghost-expert' (plugin ghost-plugin 1.2, ghost-plugin-1.2.jar) and routing "
                + "strategy 'hash-routing' (from /opt/plugins/hash.jar), not installed here (known expert providers: "
                + String.join(", ", BundleFixtures.REGISTRY.expertProviders().keySet())
                + "; add the plugin's jar, or its folder of jars, to the plugins folder: --plugins DIR, or Mixture.load(file, pluginsFolder) in Java)", message(ghost));
    }

    /**
     * A provider that was on moe's class path when the mixture was saved (built in, as onnx, which a Spark job may
     * leave out of --jars) is not loaded from a plugins folder: the message says where it goes instead.
     */
    @Test
    void aClassPathProviderThatIsNotInstalledSaysToPutItOnTheClassPath() throws Exception {
        Path gone = dir.resolve("gone.moe");
        rewriteWithManifest(saved(), gone, (name, b) -> b, manifest -> {
            ObjectNode expert = (ObjectNode) manifest.get("experts").get(1);
            expert.put("provider", "onnx-gone").put("origin", "classpath (moe-expert-onnx-0.1.0-SNAPSHOT.jar)");
            expert.putObject("plugin").put("jar", "moe-expert-onnx-0.1.0-SNAPSHOT.jar").put("artifact", "moe-expert-onnx")
                    .put("version", "0.1.0-SNAPSHOT");
        });
        assertEquals(gone + ": needs expert provider 'onnx-gone' (on the class path: moe-expert-onnx 0.1.0-SNAPSHOT, "
                + "moe-expert-onnx-0.1.0-SNAPSHOT.jar), not installed here (known expert providers: "
                + String.join(", ", BundleFixtures.REGISTRY.expertProviders().keySet())
                + "; what was on moe's class path when the mixture was saved loads from the class path only: put its jar and"
                + " the jars it needs on it again (a Spark job: in --jars, from moe-spark/target/submit-lib))", message(gone));
    }

    @Test
    void badStrategyParametersInABundleAreNamed() throws Exception {
        Path badK = dir.resolve("bad-k.moe");
        writer.write(BundleFixtures.seedMixture().request("top-k", Map.of("k", 2)), badK);
        Path edited = dir.resolve("k5.moe");
        rewriteWithManifest(badK, edited, (name, b) -> b, manifest -> ((ObjectNode) manifest.get("strategy").get("params")).put("k", 5));
        assertEquals(edited + ": strategy.params.k: must be between 1 and the number of experts (3), got 5", message(edited));
    }

    /** A stored (uncompressed) entry has no inflater to trip over: the zip's own CRC-32 is checked as it is read. */
    @Test
    void aDamagedStoredEntryIsCaughtByTheZipChecksum() throws Exception {
        Map<String, byte[]> all = entries(saved());
        byte[] means = all.get(BundleFormat.GATE_MEANS);
        Path stored = dir.resolve("stored.moe");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(stored))) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (e.getKey().equals(BundleFormat.GATE_MEANS)) {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.getValue());
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        assertEquals(BundleFixtures.seedMixture().model().labelNames(), reader.read(stored).model().labelNames());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[indexOf(bytes, means) + 1] ^= 0x10;
        Path damaged = Files.write(dir.resolve("damaged.moe"), bytes);
        assertEquals(damaged + ": entry 'gate/means.f32' is damaged (its zip checksum does not match): the bundle is corrupt",
                message(damaged));
    }

    @Test
    void entriesDeclaringMoreThanTheHeapCanHoldAreRefusedBeforeAnyIsRead() throws Exception {
        long heap = Runtime.getRuntime().maxMemory();
        long gibibytes = (heap / 2 >> 30) + 1; // entries of 1 GiB each, together more than half the heap
        Path large = dir.resolve("large.moe");
        rewriteWithManifest(saved(), large, (name, b) -> b, manifest -> {
            ObjectNode sizes = manifest.putObject("sizes");
            for (int i = 0; i < gibibytes; i++) {
                sizes.put("part-" + i, BundleReader.MAX_ENTRY_BYTES);
            }
        });
        long total = gibibytes << 10;
        assertEquals(large + ": its entries declare " + total + " MiB, more than this Java VM can hold (" + (heap >> 20)
                + " MiB heap); raise it with MOE_JAVA_OPTS=-Xmx" + Math.max(1024, total * 3) + "m if you trust the bundle",
                message(large));
    }

    /** An empty entry declares 0 bytes, a valid size; a bundle older than sizes reads too, against the heap. */
    @Test
    void anEmptyEntryAndABundleWithoutSizesAreRead() throws Exception {
        Path emptyConfig = dir.resolve("empty-config.moe");
        rewriteWithManifest(saved(), emptyConfig, (name, b) -> name.equals("config.yaml") ? new byte[0] : b, manifest -> { });
        SavedMixture read = reader.allowingReferencedFiles(true).read(emptyConfig);
        assertEquals(0L, read.manifest().sizes().get("config.yaml"));
        Path unsized = dir.resolve("unsized.moe");
        rewriteWithManifest(saved(), unsized, (name, b) -> b, manifest -> manifest.remove("sizes"));
        assertSamePredictions(reader.read(saved()).model(), reader.read(unsized).model(),
                BundleFixtures.seedMixture().run().data().features(), "without sizes");
        Path negative = dir.resolve("negative.moe");
        rewriteWithManifest(saved(), negative, (name, b) -> b, manifest -> ((ObjectNode) manifest.get("sizes")).put("config.yaml", -1L));
        assertEquals(negative + ": the manifest's size of entry 'config.yaml' is not a byte count: the bundle is corrupt", message(negative));
    }

    @Test
    void aManifestThatIsNotJsonIsNamedInOneLine() throws Exception {
        Path notJson = dir.resolve("not-json.moe");
        rewrite(saved(), notJson, (name, b) -> name.equals("manifest.json") ? "{ \"format\": \"moe-mixture\",\n oops }".getBytes() : b);
        String m = message(notJson);
        assertTrue(m.startsWith(notJson + ": manifest.json is not valid JSON: the bundle is corrupt (Unexpected character"), m);
        assertTrue(m.endsWith(")") && !m.contains("\n"), m);
    }

    private String message(Path file) {
        return assertThrows(MoeException.class, () -> reader.read(file)).getMessage();
    }

    static Map<String, byte[]> entries(Path zipFile) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            Enumeration<? extends ZipEntry> e = zip.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = zip.getInputStream(entry)) {
                    out.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    /** Copies a zip, passing each entry through {@code transform} (null drops it), then adds {@code extra}. */
    static void rewrite(Path from, Path to, BiFunction<String, byte[], byte[]> transform, Map<String, byte[]> extra) throws IOException {
        Map<String, byte[]> entries = entries(from);
        try (OutputStream file = Files.newOutputStream(to); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] bytes = transform.apply(e.getKey(), e.getValue());
                if (bytes != null) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(bytes);
                    zip.closeEntry();
                }
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    static void rewrite(Path from, Path to, BiFunction<String, byte[], byte[]> transform) throws IOException {
        rewrite(from, to, transform, Map.of());
    }

    /** Like {@link #rewrite}, then edits the manifest, keeping its checksums true to the new entries. */
    static void rewriteWithManifest(Path from, Path to, BiFunction<String, byte[], byte[]> transform,
                                    java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Map<String, byte[]> changed = new LinkedHashMap<>();
        entries(from).forEach((name, bytes) -> {
            if (!name.equals("manifest.json")) {
                byte[] b = transform.apply(name, bytes);
                if (b != null) {
                    changed.put(name, b);
                }
            }
        });
        ObjectNode manifest = (ObjectNode) JSON.readTree(entries(from).get("manifest.json"));
        ObjectNode sums = (ObjectNode) manifest.get("entries");
        changed.forEach((name, bytes) -> sums.put(name, BundleFormat.sha256(bytes)));
        if (manifest.get("sizes") instanceof ObjectNode sizes) {
            changed.forEach((name, bytes) -> sizes.put(name, (long) bytes.length));
        }
        edit.accept(manifest);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        JSON.writeValue(json, manifest);
        changed.put("manifest.json", json.toByteArray());
        rewrite(from, to, (name, b) -> changed.get(name));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void labelsKnownToExpertsAreTheUnionOfTheExpertsLabels() {
        SavedMixture loaded = reader.read(saved());
        assertEquals(List.of("0", "1", "2"), List.copyOf(loaded.labelsKnownToExperts()));
        assertNotNull(loaded.labelColumn());
    }

    @Test
    void aZipBombIsRefusedAtTheSizeTheManifestDeclaresBeforeItIsHeld() throws Exception {
        // 64 MiB of zeros in place of the gate's parameters (about 64 KiB compressed), checksum recomputed, size kept.
        Path bomb = dir.resolve("bomb.moe");
        byte[] zeros = new byte[64 << 20];
        rewriteWithManifest(saved(), bomb, (name, b) -> name.equals("gate/parameters.f32") ? zeros : b, manifest -> {
            ObjectNode sizes = (ObjectNode) manifest.get("sizes");
            sizes.put("gate/parameters.f32", 4096L); // the tamperer keeps a modest declared size
        });
        assertEquals(bomb + ": entry 'gate/parameters.f32' holds " + zeros.length + " bytes, the manifest says 4096: the bundle is corrupt",
                message(bomb));

        Path absurd = dir.resolve("absurd.moe");
        rewriteWithManifest(saved(), absurd, (name, b) -> null, manifest ->
                ((ObjectNode) manifest.get("sizes")).put("gate/parameters.f32", 1L << 50));
        assertEquals(absurd + ": entry 'gate/parameters.f32' declares " + (1L << 50) + " bytes, more than any entry of a moe bundle may "
                + "hold (1024 MiB): the bundle is corrupt", message(absurd));
    }

    @Test
    void anEntryTheManifestDoesNotListIsRefusedBeforeItIsRead() throws Exception {
        Path extra = dir.resolve("extra.moe");
        Map<String, byte[]> all = new LinkedHashMap<>(entries(saved()));
        all.put("zz/extra.bin", new byte[1 << 20]);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(extra))) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        assertEquals(extra + ": entry 'zz/extra.bin' is not listed in the manifest: the bundle is corrupt", message(extra));
    }
}
