package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input the user can give {@code moe train}, {@code moe predict} and {@code moe evaluate -m}: each
 * ends with exit status 2, one line on stderr naming the file and the row, column or key, and no output file.
 */
class BadInputTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    static Path shared;

    static Path model;

    @TempDir
    Path dir;

    Path out;

    @BeforeAll
    static void trainOnce() throws Exception {
        model = PredictCommandTest.trainSeedBundle(shared);
    }

    @BeforeEach
    void outputFolder() throws Exception {
        out = Files.createDirectories(dir.resolve("out"));
    }

    /** Runs moe, expects exit 2 and exactly {@code message} as the one line on stderr, and nothing in the output folder. */
    private void refused(String message, String... args) throws Exception {
        MainTest.Result r = TrainCommandTest.moe(args);
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals("moe: " + message + NL, r.err());
        assertEquals(List.of(), TrainCommandTest.files(out), "no output file, no temporary file");
    }

    private void predictRefuses(String message, Path input) throws Exception {
        refused(message, "predict", "-m", model.toString(), "--input", input.toString(), "--output", out.resolve("p.csv").toString());
    }

    /** The 1-based line of the first line containing {@code text}. */
    static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static final String HEADER = "feature0,feature1,feature2,feature3,label\n";

    @Test
    void aMissingOrEmptyInputFile() throws Exception {
        predictRefuses("data file not found: " + dir.resolve("absent.csv"), dir.resolve("absent.csv"));
        Path empty = file("empty.csv", "");
        predictRefuses(empty + ": the file is empty (expected a header row)", empty);
        Path headerOnly = file("header.csv", HEADER);
        predictRefuses(headerOnly + ": no data rows after the header", headerOnly);
    }

    @Test
    void aRaggedRow() throws Exception {
        Path ragged = file("ragged.csv", HEADER + "1,2,3,4,0\n1,2,3,0\n");
        predictRefuses(ragged + ": line 3: 4 fields, the header has 5", ragged);
    }

    @Test
    void aNonNumericValue() throws Exception {
        Path text = file("text.csv", HEADER + "1,2,3,4,0\n1,abc,3,4,0\n");
        predictRefuses(text + ": line 3, column 'feature1': not a number: 'abc'", text);
    }

    /** Policy: missing and infinite features are rejected (a mixture cannot score them), with their line and column. */
    @Test
    void nanOrInfiniteFeatures() throws Exception {
        Path nan = file("nan.csv", HEADER + "1,2,NaN,4,0\n");
        predictRefuses(nan + ": line 2, column 'feature2': a missing value ('NaN'); every feature cell needs a number: name the "
                + "column in data.fill (a gap then takes the training rows' median), or fill in the missing values or drop those rows"
                + " before the run", nan);
        Path inf = file("inf.csv", HEADER + "1,2,3,4,0\n\n-Infinity,2,3,4,0\n");
        predictRefuses(inf + ": line 4, column 'feature0': -Infinity is not a finite number", inf);
        Path huge = file("huge.csv", HEADER + "1,2,3,1e39,0\n");
        predictRefuses(huge + ": line 2, column 'feature3': 1e39 is not a finite number", huge);
    }

    @Test
    void aLabelInTheTestDataThatNoExpertKnows() throws Exception {
        // Both specialists saw classes 0 and 1 only: no weighting of them can ever say class_2.
        Path wine = TrainCommandTest.wineCsv();
        Path config = file("wine01.yaml", """
                seed: 2
                data: { source: csv, path: %s }
                experts:
                  - { id: cart, provider: tribuo, subset: { labels: [class_0, class_1] }, params: { algorithm: cart, max-depth: 3 } }
                  - { id: colour, provider: tribuo, subset: { labels: [class_0, class_1], features: [color_intensity, hue] }, params: { algorithm: cart } }
                gate: { hidden: [], epochs: 20, learning-rate: 0.05 }
                """.formatted(wine));
        Path bundle = shared.resolve("wine01.moe");
        MainTest.Result r = TrainCommandTest.moe("train", config.toString(), "-o", bundle.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        int firstClass2 = Files.readAllLines(wine).indexOf(Files.readAllLines(wine).stream().filter(l -> l.endsWith(",class_2"))
                .findFirst().orElseThrow()) + 1;
        refused(wine + ": line " + firstClass2 + ", column 'label': label 'class_2' is known to no expert of the mixture "
                + "(they know: class_0, class_1)", "evaluate", "-m", bundle.toString(), wine.toString(), "--json", out.resolve("r.json").toString());

        Path unknown = file("unknown.csv", HEADER + "0,0,0,0,1\n0,0,0,0,seven\n");
        refused(unknown + ": line 3, column 'label': label 'seven' is known to no expert of the mixture (they know: 0, 1, 2)",
                "evaluate", "-m", model.toString(), unknown.toString());
        Path noLabel = file("nolabel.csv", "feature0,feature1,feature2,feature3\n0,0,0,0\n");
        refused(noLabel + ": no label column 'label' in the header (feature0, feature1, feature2, feature3); the saved mixture was "
                + "trained with that label column", "evaluate", "-m", model.toString(), noLabel.toString());
    }

    /** Not an error: a constant column is standardised with scale 1 (no division by zero), and predictions stay finite. */
    @Test
    void aConstantFeatureIsStandardisedWithoutDividingByZero() throws Exception {
        StringBuilder csv = new StringBuilder("x,constant,y,label\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int i = 0; i < 300; i++) {
            int label = i % 2;
            csv.append(random.nextGaussian() + label * 2).append(",7.5,").append(random.nextGaussian()).append(',')
                    .append(label == 0 ? "no" : "yes").append('\n');
        }
        Path data = file("constant.csv", csv.toString());
        Path config = file("constant.yaml", """
                data: { source: csv, path: constant.csv }
                experts:
                  - { id: mlp, provider: nd4j-mlp, params: { hidden: 4, epochs: 40, learning-rate: 0.05 } }
                  - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 10 } }
                gate: { hidden: [], epochs: 30, learning-rate: 0.05 }
                """);
        Path bundle = out.resolve("constant.moe");
        MainTest.Result r = TrainCommandTest.moe("train", config.toString(), "-o", bundle.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        SavedMixture loaded = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), null)).read(bundle);
        assertEquals(7.5f, loaded.model().gate().scaler().means()[1]);
        assertEquals(1f, loaded.model().gate().scaler().scales()[1]);

        Path predictions = out.resolve("p.csv");
        r = TrainCommandTest.moe("predict", "-m", bundle.toString(), "--input", data.toString(), "--output", predictions.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals("predicted,probability,p:no,p:yes,weight:mlp,weight:logistic", lines.get(0));
        int right = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int j = 1; j < cells.length; j++) {
                assertTrue(Float.isFinite(Float.parseFloat(cells[j])), lines.get(i));
            }
            right += cells[0].equals(i % 2 == 1 ? "no" : "yes") ? 1 : 0;
        }
        assertTrue(right > 240, right + " of 300 right"); // the classes are 2 standard deviations apart
    }

    @Test
    void anInputWithoutAFeatureTheModelReads() throws Exception {
        Path three = file("three.csv", "label,feature2,feature1,feature0\n0,1,2,3\n");
        predictRefuses(three + ": no column 'feature3' in the header; the model reads 4 columns (feature0, feature1, feature2, "
                + "feature3), the file has label, feature2, feature1, feature0", three);
    }

    @Test
    void anExpertWhoseFeaturesTheDataLacks() throws Exception {
        // A pretrained nd4j-mlp expert that reads columns "a" and "b", offered to the seed data (feature0..3).
        ExpertProvider mlp = ProviderRegistry.discover(Main.class.getClassLoader(), null).expertProvider("nd4j-mlp");
        TrainingSet ab = new TrainingSet(new FloatMatrix(4, 2, new float[] {0, 1, 1, 0, 2, 2, 3, 1}), new int[] {0, 1, 0, 1},
                List.of("a", "b"), List.of("0", "1"));
        mlp.train(new ExpertSpec("old", "nd4j-mlp", new Parameters("p", Map.of("hidden", 2, "epochs", 2, "save", "old.mlp")), dir, 1), ab);
        Path config = file("old.yaml", PredictCommandTest.SEED.replace("experts:\n",
                "experts:\n  - { id: old, provider: nd4j-mlp, params: { model: old.mlp } }\n"));
        refused(config + ": line " + lineOf(config, "id: old") + ": experts[old]: expert 'old' reads features the data set lacks: 'a', 'b' "
                        + "(data set has: feature0, feature1, feature2, feature3)",
                "train", config.toString(), "-o", out.resolve("m.moe").toString(), "-q");
    }

    @Test
    void aConfigWithAWrongTypeANegativeKOrTooLargeAK() throws Exception {
        Path wrongType = file("wrong.yaml", PredictCommandTest.SEED.replace("epochs: 80", "epochs: lots"));
        refused(wrongType + ": line 8: gate.epochs: expected an integer", "train", wrongType.toString(), "-o", out.resolve("m.moe").toString());
        Path negative = file("negative.yaml", PredictCommandTest.SEED.replace("k: 2", "k: -1"));
        refused(negative + ": line " + lineOf(negative, "k: -1") + ": routing.params.k: must be between 1 and the number of experts (3), got -1",
                "train", negative.toString(), "-o", out.resolve("m.moe").toString());
        Path tooLarge = file("large.yaml", PredictCommandTest.SEED.replace("k: 2", "k: 4"));
        refused(tooLarge + ": line " + lineOf(tooLarge, "k: 4") + ": routing.params.k: must be between 1 and the number of experts (3), got 4",
                "train", tooLarge.toString(), "-o", out.resolve("m.moe").toString());
        refused("config file not found: " + dir.resolve("none.yaml"), "train", dir.resolve("none.yaml").toString(), "-o",
                out.resolve("m.moe").toString());
    }

    @Test
    void aTruncatedOrCorruptedBundle() throws Exception {
        Path input = PredictCommandTest.csv(dir.resolve("rows.csv"), dev.moe.runtime.data.SyntheticSeedSource.generate(20, 1));
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = Files.write(dir.resolve("truncated.moe"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
        refused(truncated + ": not a moe model bundle, or truncated (zip END header not found)",
                "predict", "-m", truncated.toString(), "--input", input.toString(), "--output", out.resolve("p.csv").toString());

        Path tampered = dir.resolve("tampered.moe");
        copyZip(model, tampered, "gate/parameters.f32", b -> {
            ByteBuffer f = ByteBuffer.wrap(b.clone());
            f.putInt(0, f.getInt(0) ^ 1); // one bit of one weight
            return f.array();
        });
        refused(tampered + ": entry 'gate/parameters.f32' fails its SHA-256 check: the bundle is corrupt",
                "predict", "-m", tampered.toString(), "--input", input.toString(), "--output", out.resolve("p.csv").toString());
        refused(tampered + ": entry 'gate/parameters.f32' fails its SHA-256 check: the bundle is corrupt",
                "evaluate", "-m", tampered.toString(), input.toString(), "--json", out.resolve("r.json").toString());

        Path newer = dir.resolve("newer.moe");
        copyZip(model, newer, "manifest.json", b -> new String(b, StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : " + BundleFormat.versionFor(false), "\"formatVersion\" : 7").getBytes(StandardCharsets.UTF_8));
        String createdBy = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), null)).read(model).manifest().createdBy();
        refused(newer + ": bundle format version 7 is newer than this program reads (up to " + BundleFormat.VERSION + "); it was written by "
                        + createdBy + ": update moe to load it",
                "predict", "-m", newer.toString(), "--input", input.toString(), "--output", out.resolve("p.csv").toString());

        refused("model file not found: " + dir.resolve("absent.moe"),
                "predict", "-m", dir.resolve("absent.moe").toString(), "--input", input.toString(), "--output", out.resolve("p.csv").toString());
    }

    @Test
    void aPluginJarThatThrowsWhileLoading() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = explodingPlugin(plugins.resolve("exploding-1.0.jar"));
        Path input = PredictCommandTest.csv(dir.resolve("rows.csv"), dev.moe.runtime.data.SyntheticSeedSource.generate(20, 1));
        String message = jar + ": cannot load expert provider: the constructor of evil.ExplodingProvider threw"
                + " java.lang.IllegalStateException: native library libboom.so not found (a provider's constructor runs whenever"
                + " the plugins folder is read: leave work that can fail to load() or train())"
                + " (every plugin in the folder is loaded before the config is read: its provider names are unknown until then;"
                + " move it out of the folder to run without it)";
        // A saved mixture loads only the plugins it records: this jar's code never runs for it.
        MainTest.Result r = TrainCommandTest.moe("predict", "-m", model.toString(), "--input", input.toString(), "--output",
                out.resolve("p.csv").toString(), "--plugins", plugins.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        Files.delete(out.resolve("p.csv"));
        Path config = file("seed.yaml", PredictCommandTest.SEED);
        refused(message, "train", config.toString(), "-o", out.resolve("m.moe").toString(), "--plugins", plugins.toString());
        // moe doctor still reports the machine and the class path's providers, then the plugin's error.
        MainTest.Result doctor = TrainCommandTest.moe("doctor", "--plugins", plugins.toString());
        assertEquals(2, doctor.status(), doctor.err());
        assertEquals("moe: " + message + NL, doctor.err());
        assertTrue(doctor.out().contains("nd4j-mlp") && doctor.out().contains("plugins NOT loaded"), doctor.out());
        // So do the other listings: what loads, then the same error.
        for (String listing : new String[] {"experts", "strategies"}) {
            MainTest.Result listed = TrainCommandTest.moe(listing, "--plugins", plugins.toString());
            assertEquals(2, listed.status(), listed.err());
            assertEquals("moe: " + message + NL, listed.err());
            assertTrue(listed.out().contains(listing.equals("experts") ? "nd4j-mlp" : "softmax-dense")
                    && listed.out().contains("plugins NOT loaded"), listed.out());
        }
    }

    @Test
    void aPluginFolderWithoutALibraryItNeeds() throws Exception {
        // The provider was compiled against lib.Helper, but the folder holds only the plugin's own jar: without the
        // plugin's name in the message this was "internal error: java.lang.NoClassDefFoundError: lib/Helper", exit 1.
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve("lib"));
        Files.createDirectories(src.resolve("needy"));
        Files.writeString(src.resolve("lib/Helper.java"), """
                package lib;
                public final class Helper { public static String say() { return "helped"; } }
                """);
        Files.writeString(src.resolve("needy/NeedyProvider.java"), """
                package needy;
                public final class NeedyProvider implements dev.moe.api.ExpertProvider {
                    public String name() { return "needy"; }
                    public String description() { return lib.Helper.say(); }
                }
                """);
        Path classes = compileAgainstApi(src.resolve("lib/Helper.java"), src.resolve("needy/NeedyProvider.java"));
        Path folder = Files.createDirectories(dir.resolve("plugins/needy"));
        pluginJar(folder.resolve("needy-1.0.jar"), "needy.NeedyProvider", classes, "needy/NeedyProvider"); // lib/Helper left out
        refused("plugin " + folder + ": class lib.Helper is in none of the plugin's jars nor in moe: a jar it needs is missing"
                        + " from its folder (a plugin with libraries is a folder of jars, e.g. its target/plugin/)",
                "experts", "--plugins", dir.resolve("plugins").toString());
    }

    @Test
    void aPluginFolderWithALibraryBuiltForANewerJava() throws Exception {
        // The library's class is loaded when the provider first uses it: "cannot run its code: UnsupportedClassVersionError
        // ... (a jar it needs is missing from its folder, or is of another version ...)", which is neither.
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve("lib"));
        Files.createDirectories(src.resolve("modern"));
        Files.writeString(src.resolve("lib/Modern.java"), """
                package lib;
                public final class Modern { public static String say() { return "modern"; } }
                """);
        Files.writeString(src.resolve("modern/ModernProvider.java"), """
                package modern;
                public final class ModernProvider implements dev.moe.api.ExpertProvider {
                    public String name() { return "modern"; }
                    public String description() { return lib.Modern.say(); }
                }
                """);
        Path classes = compileAgainstApi(src.resolve("lib/Modern.java"), src.resolve("modern/ModernProvider.java"));
        Path modern = classes.resolve("lib/Modern.class");
        byte[] bytes = Files.readAllBytes(modern);
        int running = Runtime.version().feature();
        bytes[7] = (byte) (running + 44 + 4); // as javac --release (running + 4) marks it
        Files.write(modern, bytes);
        Path folder = Files.createDirectories(dir.resolve("plugins/modern"));
        pluginJar(folder.resolve("modern-1.0.jar"), "modern.ModernProvider", classes, "modern/ModernProvider");
        pluginJar(folder.resolve("lib-1.0.jar"), "", classes, "lib/Modern");
        refused("plugin " + folder + ": class lib.Modern was compiled for Java " + (running + 4) + " (class file version "
                        + (running + 48) + "), and moe runs on Java " + running + ": build the plugin with --release " + running
                        + " (Maven: <maven.compiler.release>" + running + "</maven.compiler.release>), or run moe on Java "
                        + (running + 4) + " or later",
                "experts", "--plugins", dir.resolve("plugins").toString());
    }

    @Test
    void aPluginBuiltAgainstANewerSpi() throws Exception {
        // Compiled against a moe-api with a class this one lacks: that is no jar missing from the plugin's folder (as
        // the message said), and no jar the user could add; the plugin wants another moe.
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve("dev/moe/api"));
        Files.createDirectories(src.resolve("future"));
        Files.writeString(src.resolve("dev/moe/api/FutureFeature.java"), """
                package dev.moe.api;
                public final class FutureFeature { public static String describe() { return "new"; } }
                """);
        Files.writeString(src.resolve("future/LaterProvider.java"), """
                package future;
                public final class LaterProvider implements dev.moe.api.ExpertProvider {
                    public String name() { return "later"; }
                    public String description() { return dev.moe.api.FutureFeature.describe(); }
                }
                """);
        Files.writeString(src.resolve("future/EagerProvider.java"), """
                package future;
                public final class EagerProvider implements dev.moe.api.ExpertProvider {
                    private final String description = dev.moe.api.FutureFeature.describe();
                    public String name() { return "eager"; }
                }
                """);
        Path classes = compileAgainstApi(src.resolve("dev/moe/api/FutureFeature.java"), src.resolve("future/LaterProvider.java"),
                src.resolve("future/EagerProvider.java"));
        String why = "it needs class dev.moe.api.FutureFeature, which this moe's SPI (moe-api " + dev.moe.runtime.MoeVersion.get()
                + ") lacks: the plugin was built against a newer moe-api; run it with the moe it was built for, or rebuild it"
                + " against this one";
        for (String provider : new String[] {"LaterProvider", "EagerProvider"}) {
            Path plugins = Files.createDirectories(dir.resolve("plugins-" + provider));
            Path jarFile = pluginJar(plugins.resolve("future-1.0.jar"), "future." + provider, classes, "future/" + provider);
            // Used when listed (its description), or when loaded (its constructor).
            refused(provider.equals("LaterProvider") ? "plugin " + jarFile + ": " + why
                            : jarFile + ": cannot load expert provider: " + why + " (every plugin in the folder is loaded before"
                            + " the config is read: its provider names are unknown until then; move it out of the folder to run"
                            + " without it)",
                    "experts", "--plugins", plugins.toString());
        }
    }

    @Test
    void aPluginWhoseCodeThrowsIsNamedWithExitTwo() throws Exception {
        // Was "internal error in plugin ...", exit 1: the status a script reads as a bug in moe.
        Path src = Files.createDirectories(dir.resolve("src/failing"));
        Files.writeString(src.resolve("FailingProvider.java"), """
                package failing;
                import dev.moe.api.*;
                public final class FailingProvider implements ExpertProvider {
                    public String name() { return "failing"; }
                    public boolean canTrain() { return true; }
                    public boolean canLoad() { return false; }
                    public java.util.List<ParameterSpec> parameters() {
                        return java.util.List.of(ParameterSpec.choice("when", "train", "when it fails", "train", "predict"));
                    }
                    public Expert train(ExpertSpec spec, TrainingSet data) {
                        if (spec.parameters().choice(parameters().get(0)).equals("train")) {
                            throw new IllegalStateException("no licence for the solver");
                        }
                        return new AbstractExpert(new ExpertSignature(spec.id(), data.featureNames(), data.labelNames(),
                                ExpertProvenance.trained(name(), java.util.Map.of()))) {
                            public FloatMatrix predict(FloatMatrix features) {
                                throw new IllegalStateException("the licence expired");
                            }
                        };
                    }
                }
                """);
        Path classes = compileAgainstApi(src.resolve("FailingProvider.java"));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jarFile = pluginJar(plugins.resolve("failing-1.0.jar"), "failing.FailingProvider", classes,
                "failing/FailingProvider", "failing/FailingProvider$1");
        String config = """
                data: { source: synthetic-seed, rows: 200 }
                experts:
                  - { id: f, provider: failing, params: { when: %s } }
                  - { id: lr, provider: tribuo, params: { algorithm: logistic-regression } }
                """;
        // Its train(): named with the expert, the provider and the jar, at the config's line.
        Path training = file("failing-train.yaml", config.formatted("train"));
        refused(training + ": line 3: experts[f]: provider 'failing' (" + jarFile + ") failed in train():"
                + " java.lang.IllegalStateException: no licence for the solver", "evaluate", training.toString(), "--plugins",
                plugins.toString());
        // Its expert's predict(): named by the jar its code came from.
        Path predicting = file("failing-predict.yaml", config.formatted("predict"));
        refused("plugin " + jarFile + " failed: java.lang.IllegalStateException: the licence expired (an error in the"
                + " plugin's code; run with --debug for the stack trace)", "evaluate", predicting.toString(), "--plugins",
                plugins.toString());
    }

    @Test
    void aTrainedExpertWhoseProviderCannotSaveIsRefusedBeforeTraining() throws Exception {
        // Its train() throws: had moe trained before refusing (as it did), this would be an internal error instead.
        Path src = Files.createDirectories(dir.resolve("src/unsaved"));
        Files.writeString(src.resolve("UnsavedProvider.java"), """
                package unsaved;
                public final class UnsavedProvider implements dev.moe.api.ExpertProvider {
                    public String name() { return "unsaved"; }
                    public boolean canTrain() { return true; }
                    public boolean canLoad() { return false; }
                    public dev.moe.api.Expert train(dev.moe.api.ExpertSpec spec, dev.moe.api.TrainingSet data) {
                        throw new IllegalStateException("training started");
                    }
                }
                """);
        Path classes = compileAgainstApi(src.resolve("UnsavedProvider.java"));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginJar(plugins.resolve("unsaved-1.0.jar"), "unsaved.UnsavedProvider", classes, "unsaved/UnsavedProvider");
        Path config = file("unsaved.yaml", PredictCommandTest.SEED.replace("gate: {", "  - { id: u, provider: unsaved }\ngate: {"));
        refused("cannot save " + out.resolve("m.moe") + ": expert 'u' would be trained by provider 'unsaved', which cannot save its"
                        + " experts (it does not implement canSave/save/read), and a trained expert cannot be loaded again from"
                        + " its parameters; nothing was trained",
                "train", config.toString(), "-o", out.resolve("m.moe").toString(), "--plugins", plugins.toString());
    }

    /** A plugin jar whose provider's constructor throws, as one that misses its native library would. */
    private Path explodingPlugin(Path jar) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/evil"));
        Files.writeString(src.resolve("ExplodingProvider.java"), """
                package evil;
                public final class ExplodingProvider implements dev.moe.api.ExpertProvider {
                    public ExplodingProvider() { throw new IllegalStateException("native library libboom.so not found"); }
                    public String name() { return "exploding"; }
                    public dev.moe.api.Expert load(dev.moe.api.ExpertSpec spec) { return null; }
                }
                """);
        Path classes = compileAgainstApi(src.resolve("ExplodingProvider.java"));
        return pluginJar(jar, "evil.ExplodingProvider", classes, "evil/ExplodingProvider");
    }

    /** Compiles a plugin's sources against this build's moe-api into dir/classes, as the plugin's own build would. */
    private Path compileAgainstApi(Path... sources) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String api = Path.of(Expert.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> args = new ArrayList<>(List.of("-cp", api, "-d", classes.toString()));
        for (Path source : sources) {
            args.add(source.toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)));
        return classes;
    }

    /** A plugin jar: the service file naming the provider, then the compiled types given (paths without ".class"). */
    private static Path pluginJar(Path jarFile, String provider, Path classes, String... types) throws Exception {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile))) {
            jar.putNextEntry(new ZipEntry("META-INF/services/dev.moe.api.ExpertProvider"));
            jar.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            for (String type : types) {
                jar.putNextEntry(new ZipEntry(type + ".class"));
                jar.write(Files.readAllBytes(classes.resolve(type + ".class")));
            }
        }
        return jarFile;
    }

    /** Copies a zip, changing one entry's bytes (and nothing else: the manifest's checksums stay as they were). */
    private static void copyZip(Path from, Path to, String entry, java.util.function.UnaryOperator<byte[]> change) throws Exception {
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
