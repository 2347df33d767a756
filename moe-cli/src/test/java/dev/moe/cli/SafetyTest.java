package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.io.OutputTarget;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "nothing a user owns is lost or run without consent": the bad inputs of that report, one test each. Every
 * test asserts the exit status, the one line on stderr, no stack trace, and, by SHA-256 of every file in the working
 * folder before and after, that no file that was there changed and no partial output remains.
 */
class SafetyTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    static Path shared;
    static Path trainedModel;
    static Path pluginBundle;
    static Path pluginJar;

    @TempDir
    Path dir;
    Path model;
    Path data;
    Path config;

    @BeforeAll
    static void trainOnce() throws Exception {
        trainedModel = PredictCommandTest.trainSeedBundle(shared);
        pluginJar = TrainCommandTest.pluginsFolder(shared).resolve(Path.of(System.getProperty("moe.examplePluginJar")).getFileName());
        Path wine = Files.writeString(shared.resolve("wine.yaml"), """
                seed: 1
                data: { source: csv, path: %s }
                split: { experts: 0.4, gate: 0.4, test: 0.2 }
                experts:
                  - { id: wine-cart, provider: wine-cart-example, params: { probabilities: one-hot } }
                  - { id: colour, provider: tribuo, subset: { features: [color_intensity, hue] }, params: { algorithm: cart } }
                gate: { hidden: [], epochs: 20, learning-rate: 0.05 }
                """.formatted(TrainCommandTest.wineCsv()));
        pluginBundle = shared.resolve("wine.moe");
        MainTest.Result r = MainTest.moe("train", wine.toString(), "-o", pluginBundle.toString(), "-q", "--plugins", pluginJar.getParent().toString());
        assertEquals(0, r.status(), r.err());
    }

    @BeforeEach
    void workingFolder() throws Exception {
        model = Files.copy(trainedModel, dir.resolve("m.moe"));
        data = PredictCommandTest.csv(dir.resolve("data.csv"), SyntheticSeedSource.generate(30, 2));
        config = Files.writeString(dir.resolve("c.yaml"), PredictCommandTest.SEED.replace("data: { source: synthetic-seed, rows: 900 }",
                "data: { source: csv, path: data.csv }"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The checks every case makes

    /** SHA-256 of every file under the folder (hidden ones too), a link as its target: the user's files as they are. */
    static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.toList()) {
                String name = folder.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(name, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(name, sha256(Files.readAllBytes(p)));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !name.isEmpty()) {
                    out.put(name + "/", "folder");
                } else if (!name.isEmpty()) {
                    out.put(name, "special");
                }
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command is refused: exit 2, exactly {@code message} as the one line, no trace, the folder as it was. */
    private void refused(String message, String... args) throws Exception {
        Map<String, String> before = snapshot(dir);
        MainTest.Result r = MainTest.moe(args);
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals("moe: " + message + NL, r.err());
        assertNoTrace(r.err());
        assertEquals(before, snapshot(dir), "no file changed, none added");
    }

    /** The same, with the message matched as a pattern (for figures that vary: hashes, heap sizes). */
    private void refusedMatching(String pattern, String... args) throws Exception {
        Map<String, String> before = snapshot(dir);
        MainTest.Result r = MainTest.moe(args);
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(Pattern.compile("moe: " + pattern + NL).matcher(r.err()).matches(), r.err());
        assertNoTrace(r.err());
        assertEquals(before, snapshot(dir), "no file changed, none added");
    }

    static void assertNoTrace(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread") || err.contains("Caused by"), err);
        assertEquals(1, err.lines().count(), "one line: " + err);
    }

    /** A plugin jar with one provider class, compiled here against moe-api. */
    private Path pluginJar(Path jar, String className, String source) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src-" + className));
        Path file = src.resolve(className + ".java");
        Files.writeString(file, "package evil;\n" + source);
        Path classes = Files.createDirectories(dir.resolve("classes-" + className));
        String api = Path.of(Expert.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", api, "-d", classes.toString(), file.toString()));
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("META-INF/services/dev.moe.api.ExpertProvider"));
            out.write(("evil." + className + "\n").getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> compiled = Files.list(classes.resolve("evil"))) {
                for (Path c : compiled.toList()) {
                    out.putNextEntry(new ZipEntry("evil/" + c.getFileName()));
                    out.write(Files.readAllBytes(c));
                }
            }
        }
        // The sources and classes are the test's scaffolding, not the user's files.
        OutputTarget.deleteTree(src);
        OutputTarget.deleteTree(classes);
        return jar;
    }

    /** A provider named {@code name} whose constructor runs {@code init} and whose expert answers {@code row} for every row. */
    private static String provider(String className, String name, String init, String row) {
        return """
                public final class %1$s implements dev.moe.api.ExpertProvider {
                    public %1$s() { %3$s }
                    public String name() { return "%2$s"; }
                    public dev.moe.api.Expert load(dev.moe.api.ExpertSpec spec) {
                        return new dev.moe.api.Expert() {
                            public String id() { return spec.id(); }
                            public java.util.List<String> featureNames() { return java.util.List.of("feature0", "feature1", "feature2", "feature3"); }
                            public java.util.List<String> labelNames() { return java.util.List.of("0", "1", "2"); }
                            public java.util.Map<String, String> provenance() { return java.util.Map.of(); }
                            public dev.moe.api.FloatMatrix predict(dev.moe.api.FloatMatrix x) {
                                float[] v = new float[x.rows() * 3];
                                float[] row = %4$s;
                                for (int r = 0; r < x.rows(); r++) { System.arraycopy(row, 0, v, r * 3, 3); }
                                return new dev.moe.api.FloatMatrix(x.rows(), 3, v);
                            }
                        };
                    }
                }
                """.formatted(className, name, init, row);
    }

    /** A run of moe in its own Java process: for what one process cannot show of itself (exit, heap, pipes). */
    record Process(int status, String out, String err) { }

    static Process process(Path stdin, List<String> jvm, String... args) throws Exception {
        List<String> command = ChildJvm.moe(jvm);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        java.lang.Process p = pb.start();
        byte[][] streams = new byte[2][];
        Thread err = new Thread(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = e.toString().getBytes();
            }
        });
        err.start();
        streams[0] = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "moe did not finish");
        err.join();
        return new Process(p.exitValue(), new String(streams[0], StandardCharsets.UTF_8),
                new String(streams[1], StandardCharsets.UTF_8).replaceFirst(MainTest.FALLBACK_LINE, ""));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Commands overwrote their own inputs

    @Test
    void evaluateJsonOverItsOwnConfig() throws Exception {
        refused(config + ": the JSON report would overwrite " + config + ", the config of this command; choose another output",
                "evaluate", config.toString(), "--json", config.toString());
    }

    @Test
    void evaluateHtmlOverItsDataFile() throws Exception {
        refused(data + ": the HTML report would overwrite " + data + ", the data file of this command; choose another output",
                "evaluate", config.toString(), "--html", data.toString());
    }

    @Test
    void trainOutputOverItsDataFile() throws Exception {
        refused(data + ": the model bundle would overwrite " + data + ", the data file of this command; choose another output",
                "train", config.toString(), "-o", data.toString());
    }

    @Test
    void evaluateModelJsonOverTheModel() throws Exception {
        refused(model + ": the JSON report would overwrite " + model + ", the model of this command; choose another output",
                "evaluate", "-m", model.toString(), data.toString(), "--json", model.toString());
    }

    @Test
    void predictOutputThroughASymlinkToItsInput() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), data.getFileName());
        refused(link + ": the predictions would overwrite " + data + ", the input of this command; choose another output",
                "predict", "-m", model.toString(), "--input", data.toString(), "--output", link.toString(), "--overwrite");
    }

    @Test
    void predictOutputOverAPluginJar() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = Files.copy(pluginJar, plugins.resolve(pluginJar.getFileName()));
        refused(jar + ": the predictions would overwrite " + jar + ", a plugin jar of this command; choose another output",
                "predict", "-m", model.toString(), "--input", data.toString(), "--output", jar.toString(), "--plugins", plugins.toString(),
                "--overwrite");
    }

    @Test
    void anExpertsSaveFileOverTheData() throws Exception {
        Path saving = Files.writeString(dir.resolve("save.yaml"), Files.readString(config)
                .replaceFirst("params: \\{ hidden: 8,", "params: { save: data.csv, hidden: 8,"));
        refused(data + ": the model file of expert 'expert1' (save:) would overwrite " + data + ", the data file of this command; "
                + "choose another output", "evaluate", saving.toString(), "-q");
        Path previous = Files.writeString(dir.resolve("e1.mlp"), "an earlier model");
        Path again = Files.writeString(dir.resolve("again.yaml"), Files.readString(config)
                .replaceFirst("params: \\{ hidden: 8,", "params: { save: e1.mlp, hidden: 8,"));
        refused(previous + ": exists; pass --overwrite to replace it, or choose another output", "train", again.toString(), "-o",
                dir.resolve("m2.moe").toString(), "-q");
    }

    @Test
    void jsonAndHtmlNamingOneFile() throws Exception {
        Path report = dir.resolve("report");
        refused(report + ": --html and --json are the same file; give each its own",
                "evaluate", config.toString(), "--json", report.toString(), "--html", report.toString());
    }

    @Test
    void jsonAndHtmlBothOnStandardOutput() throws Exception {
        refused("--html - and --json -: only one report can go to standard output; give the other a file",
                "evaluate", config.toString(), "--json", "-", "--html", "-");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Existing outputs, links, special files, '-'

    @Test
    void anExistingOutputWithoutOverwrite() throws Exception {
        Path previous = Files.writeString(dir.resolve("p.csv"), "earlier results\n");
        refused(previous + ": exists; pass --overwrite to replace it, or choose another output",
                "predict", "-m", model.toString(), "--input", data.toString(), "--output", previous.toString());
        MainTest.Result r = MainTest.moe("predict", "-m", model.toString(), "--input", data.toString(), "--output", previous.toString(),
                "--overwrite", "-q");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.readString(previous).startsWith("predicted,probability,"));
    }

    @Test
    void aSymlinkedOutputIsWrittenThrough() throws Exception {
        Path target = Files.writeString(Files.createDirectories(dir.resolve("real")).resolve("p.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("p.csv"), Path.of("real/p.csv"));
        MainTest.Result r = MainTest.moe("predict", "-m", model.toString(), "--input", data.toString(), "--output", link.toString(),
                "--overwrite", "-q");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(31, Files.readAllLines(target).size(), "the file it points to holds the predictions");
        assertEquals(List.of("p.csv"), TrainCommandTest.files(target.getParent()));
    }

    @Test
    void aCharacterDeviceIsWrittenThroughNotReplaced() throws Exception {
        Map<String, String> before = snapshot(dir);
        MainTest.Result r = MainTest.moe("predict", "-m", model.toString(), "--input", data.toString(), "--output", "/dev/null", "-q");
        assertEquals(0, r.status(), r.err());
        assertFalse(Files.isRegularFile(Path.of("/dev/null")), "/dev/null is still a device");
        assertEquals(before, snapshot(dir));
    }

    @Test
    void aSocketAsOutput() throws Exception {
        Path socket = dir.resolve("moe.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            refused(socket + ": is a socket; moe writes the predictions only to a regular file, a character device, a pipe or - "
                    + "(standard output)", "predict", "-m", model.toString(), "--input", data.toString(), "--output", socket.toString());
        }
    }

    @Test
    void aFolderAsOutput() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("out"));
        refused(folder + ": is a folder; give a file name for the model bundle", "train", config.toString(), "-o", folder.toString());
    }

    @Test
    void aFolderThatDoesNotExistYetAsOutput() throws Exception {
        // Path.of("out/") is "out": without the check a file named out would be written.
        String folder = dir.resolve("out") + "/";
        refusedMatching(".*'--output'.*" + Pattern.quote(folder + " ends with a separator, so it names a folder; give a file name") + ".*",
                "train", config.toString(), "-o", folder);
        refusedMatching(".*'--json'.*" + Pattern.quote(folder) + ".*", "evaluate", config.toString(), "--json", folder);
    }

    @Test
    void aDeviceNodeThatWouldBeCreatedUnderDev() throws Exception {
        refused("/dev/moe-test-output.csv: moe does not create files under /dev, /proc or /sys; choose another output",
                "predict", "-m", model.toString(), "--input", data.toString(), "--output", "/dev/moe-test-output.csv");
    }

    @Test
    void staleTemporaryFilesOfAKilledWriteAreRemovedByTheNextWrite() throws Exception {
        Files.writeString(dir.resolve(".p.csv.k3j2h1.tmp"), "half a file from a kill -9");
        Files.writeString(dir.resolve(".p.csv.lock"), "12345 stale\n");
        Files.writeString(dir.resolve(".other.csv.k3j2h1.tmp"), "another target's: not ours to remove");
        MainTest.Result r = MainTest.moe("predict", "-m", model.toString(), "--input", data.toString(), "--output",
                dir.resolve("p.csv").toString(), "-q");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(".other.csv.k3j2h1.tmp", "c.yaml", "data.csv", "m.moe", "p.csv"), TrainCommandTest.files(dir));
    }

    @Test
    void twoWritersOfOneBundle() throws Exception {
        Path bundle = dir.resolve("same.moe");
        // Another writer in this process holds the bundle (a library user's other thread): the line says it is this
        // process, not another one; the test below checks another process's wording.
        try (OutputTarget other = OutputTarget.claim(bundle, "model bundle", false, List.of())) {
            refused(bundle + ": this process is writing it already (.same.moe.lock is locked by another output of this run or "
                    + "another thread); wait for that to finish, or choose another output", "train", config.toString(), "-o",
                    bundle.toString(), "-q");
        }
    }

    @Test
    void twoWritersOfOneBundleInTwoProcesses() throws Exception {
        // A lock of this process must hold against another process too (the OS lock, not the JVM's own bookkeeping).
        Path bundle = dir.resolve("same.moe");
        try (OutputTarget other = OutputTarget.claim(bundle, "model bundle", false, List.of())) {
            Process p = process(null, List.of(), "train", config.toString(), "-o", bundle.toString(), "-q");
            assertEquals(2, p.status(), p.err());
            assertEquals(bundle + ": another moe process is writing it now (.same.moe.lock is locked); wait for it to finish, or "
                    + "choose another output", p.err().strip().replaceFirst("^moe: ", ""));
            assertFalse(Files.exists(bundle));
            // A second claim in this process is refused too, and leaves the first one's lock held against others.
            assertThrows(MoeException.class, () -> OutputTarget.claim(bundle, "model bundle", false, List.of()));
            assertEquals(2, process(null, List.of(), "train", config.toString(), "-o", bundle.toString(), "-q").status());
        }
    }

    @Test
    void dashIsStandardInputAndOutputInAPipe() throws Exception {
        Path viaFiles = dir.resolve("files.csv");
        assertEquals(0, MainTest.moe("predict", "-m", model.toString(), "--input", data.toString(), "--output", viaFiles.toString(), "-q").status());
        Process p = process(data, List.of(), "predict", "-m", model.toString(), "--input", "-", "--output", "-");
        assertEquals(0, p.status(), p.err());
        assertEquals("", p.err());
        assertEquals(Files.readString(viaFiles), p.out(), "stdout holds exactly the predictions, nothing else");
        // /dev/stdout is standard output too: written through, never replaced by a regular file (as root it could be).
        p = process(null, List.of(), "predict", "-m", model.toString(), "--input", data.toString(), "--output", "/dev/stdout");
        assertEquals(0, p.status(), p.err());
        assertEquals(Files.readString(viaFiles), p.out(), "no summary line mixed into the predictions");
        assertFalse(Files.isRegularFile(Path.of("/dev/stdout"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aPipeWhoseReaderStopsEarlyEndsMoeQuietly() throws Exception {
        Path many = PredictCommandTest.csv(dir.resolve("many.csv"), SyntheticSeedSource.generate(40_000, 4));
        List<String> command = ChildJvm.moe(List.of(), "predict", "-m", model.toString(), "--input", many.toString(), "--output", "-");
        java.lang.Process p = new ProcessBuilder(command).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertTrue(out.readLine().startsWith("predicted,probability,"));
        out.close(); // `| head -1`: the reader has what it wanted
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).replaceFirst(MainTest.FALLBACK_LINE, "");
        assertEquals(141, p.exitValue(), err);
        assertEquals("", err, "quiet, as a Unix tool whose pipe closed");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Plugins only with consent

    @Test
    void aPluginFolderBesideTheBundleIsNeverLoaded() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Path bundle = Files.copy(trainedModel, share.resolve("m.moe"));
        Path marker = dir.resolve("pwned");
        pluginJar(share.resolve("plugins/evil.jar"), "Evil", provider("Evil", "evil",
                "try { java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker + "\"), \"ran\"); } catch (Exception e) { }",
                "new float[] {1f, 0f, 0f}"));
        Path out = dir.resolve("p.csv");
        MainTest.Result r = MainTest.moe("predict", "-m", bundle.toString(), "--input", data.toString(), "--output", out.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        assertFalse(Files.exists(marker), "the jar beside the bundle never ran");
        // Named with --plugins, it still does not run: the bundle does not record it.
        Files.delete(out);
        r = MainTest.moe("predict", "-m", bundle.toString(), "--input", data.toString(), "--output", out.toString(), "-q",
                "--plugins", share.resolve("plugins").toString());
        assertEquals(0, r.status(), r.err());
        assertFalse(Files.exists(marker), "a jar the bundle does not name never runs");
    }

    @Test
    void aPluginJarWhoseHashDiffersFromTheBundles() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = plugins.resolve(pluginJar.getFileName());
        Files.copy(pluginJar, jar);
        Files.write(jar, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND); // one byte more: another jar
        refusedMatching(Pattern.quote(jar + ": its SHA-256 is ") + "[0-9a-f]{16}\\.\\.\\." + Pattern.quote(", but " + pluginBundle
                        + " was saved with " + pluginJar.getFileName() + " of SHA-256 ") + "[0-9a-f]{16}\\.\\.\\."
                        + Pattern.quote("; refusing to run a different jar (install the jar the bundle was saved with, or train the bundle again)"),
                "predict", "-m", pluginBundle.toString(), "--input", TrainCommandTest.wineCsv().toString(), "--output",
                dir.resolve("p.csv").toString(), "--plugins", plugins.toString());
    }

    @Test
    void anEditedManifestThatReferencesAFileOutsideThePlugins() throws Exception {
        Path edited = dir.resolve("edited.moe");
        rewriteManifest(model, edited, json -> {
            try {
                com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
                com.fasterxml.jackson.databind.node.ObjectNode expert = (com.fasterxml.jackson.databind.node.ObjectNode) m.get("experts").get(0);
                expert.put("storage", "reference");
                ((com.fasterxml.jackson.databind.node.ObjectNode) expert.get("params")).put("model", "/etc/passwd");
                return mapper.writeValueAsString(m);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        refused(edited + ": expert 'expert1': params.model names the file '/etc/passwd', outside any plugin; a bundle may reference only "
                        + "resources inside its plugins (classpath:...). If you trust this bundle, pass --allow-referenced-files"
                        + " (Mixture.load(file, pluginsFolder, true) in Java)",
                "predict", "-m", edited.toString(), "--input", data.toString(), "--output", dir.resolve("p.csv").toString());
    }

    @Test
    void aPluginCallingSystemExit() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginJar(plugins.resolve("exits.jar"), "Exits", provider("Exits", "exits", "System.exit(42);", "new float[] {1f, 0f, 0f}"));
        Map<String, String> before = snapshot(dir);
        Process p = process(null, List.of(), "predict", "-m", pluginBundle.toString(), "--input", TrainCommandTest.wineCsv().toString(),
                "--output", dir.resolve("p.csv").toString(), "--plugins", plugins.toString());
        // The bundle does not record exits.jar: it never runs for a saved mixture.
        assertEquals(2, p.status(), p.err());
        assertTrue(p.err().contains("needs expert provider 'wine-cart-example'"), p.err());
        p = process(null, List.of(), "experts", "--plugins", plugins.toString());
        assertEquals(2, p.status(), p.err());
        assertEquals("moe: plugin " + plugins.resolve("exits.jar") + " (evil.Exits.<init>) called System.exit; moe stopped, and wrote no output\n", p.err());
        assertEquals(before, snapshot(dir));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. Resource limits

    @Test
    void outOfMemoryIsOneLineNamingTheHeap() throws Exception {
        Path huge = Files.writeString(dir.resolve("huge.yaml"), """
                data: { source: synthetic-seed, rows: 600 }
                experts: [ { id: a, provider: nd4j-mlp, params: { epochs: 2 } } ]
                gate: { hidden: [40000, 40000], epochs: 1 }
                """);
        Map<String, String> before = snapshot(dir);
        Process p = process(null, List.of("-Xmx300m"), "evaluate", huge.toString(), "-q");
        assertEquals(1, p.status(), p.err());
        assertTrue(Pattern.matches("moe: out of memory \\(Java heap space; the heap's limit is \\d+ MiB\\); raise it with "
                + "MOE_JAVA_OPTS=-Xmx\\d+m, or use a smaller model or input\n", p.err()), p.err());
        assertEquals(before, snapshot(dir));
    }

    @Test
    void aStackOverflowInAPluginIsOneLine() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginJar(plugins.resolve("deep.jar"), "Deep", provider("Deep", "deep", "", "deep(0)")
                .replace("public String name()", "static float[] deep(int n) { return n < 0 ? null : deep(n + 1); }\n    public String name()"));
        Path deep = Files.writeString(dir.resolve("deep.yaml"), PredictCommandTest.SEED.replace("experts:\n",
                "experts:\n  - { id: deep, provider: deep }\n"));
        Map<String, String> before = snapshot(dir);
        MainTest.Result r = MainTest.moe("evaluate", deep.toString(), "--plugins", plugins.toString(), "-q");
        assertEquals(1, r.status(), r.err());
        // The plugin is named: its recursion filled the stack.
        assertEquals("moe: plugin " + plugins.resolve("deep.jar") + ": out of stack space (a structure nested too deeply, or a"
                + " recursion in an expert or plugin); raise the stack size with MOE_JAVA_OPTS=-Xss64m, or simplify the input" + NL,
                r.err());
        assertEquals(before, snapshot(dir));
    }

    @Test
    void evaluateDevZero() throws Exception {
        refused("/dev/zero: more than 1 MiB: not a moe config", "evaluate", "/dev/zero");
    }

    @Test
    void syntheticSeedWithTwoBillionRows() throws Exception {
        Path big = Files.writeString(dir.resolve("big.yaml"), """
                data: { source: synthetic-seed, rows: 2000000000 }
                experts: [ { id: a, provider: nd4j-mlp } ]
                """);
        refusedMatching(Pattern.quote(big + ": line 1: data.rows 2000000000 needs about 122070 MiB of memory, more than this Java VM's ")
                + "\\d+" + Pattern.quote(" MiB; lower data.rows, or raise the heap with MOE_JAVA_OPTS=-Xmx..."), "evaluate", big.toString());
    }

    @Test
    void aZipBombBundle() throws Exception {
        Path bomb = dir.resolve("bomb.moe");
        byte[] zeros = new byte[64 << 20]; // 64 MiB of zeros: 64 KiB compressed
        rewriteZip(model, bomb, (name, bytes) -> name.equals("gate/parameters.f32") ? zeros : bytes);
        refused(bomb + ": entry 'gate/parameters.f32' holds " + zeros.length + " bytes, the manifest says "
                        + (new ZipFile(model.toFile()).getEntry("gate/parameters.f32").getSize()) + ": the bundle is corrupt",
                "predict", "-m", bomb.toString(), "--input", data.toString(), "--output", dir.resolve("p.csv").toString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. CSV as RFC 4180 has it

    @Test
    void aQuotedCommaAndDoubledQuotesInAColumn() throws Exception {
        Path quoted = Files.writeString(dir.resolve("quoted.csv"), "note,label,feature3,feature2,feature1,feature0\n"
                + "\"a, b\",0,0.1,0.2,0.3,0.4\n\"he said \"\"hi\"\"\",1,1,2,3,4\n");
        MainTest.Result r = MainTest.moe("evaluate", "-m", model.toString(), quoted.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(" 2 test rows"), r.out());
    }

    @Test
    void anUnterminatedQuote() throws Exception {
        Path open = Files.writeString(dir.resolve("open.csv"), "label,feature3,feature2,feature1,feature0\n0,1,2,3,4\n\"1,1,2,3,4\n");
        refused(open + ": line 3: a quoted field is never closed (a \" without its closing \")",
                "evaluate", "-m", model.toString(), open.toString());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnsName() throws Exception {
        Path bom = dir.resolve("bom.csv");
        Files.write(bom, ("\uFEFF" + Files.readString(data)).getBytes(StandardCharsets.UTF_8));
        MainTest.Result r = MainTest.moe("evaluate", "-m", model.toString(), bom.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(" 30 test rows"), r.out());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 7. Experts' outputs checked at the mixture boundary

    private void pluginExpertRefused(String row, String problem) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginJar(plugins.resolve("bad.jar"), "Bad", provider("Bad", "bad", "", row));
        Path bad = Files.writeString(dir.resolve("bad.yaml"), PredictCommandTest.SEED.replace("experts:\n",
                "experts:\n  - { id: bad, provider: bad }\n"));
        // The class and its jar: the plugin whose code answered so (the id named the config's entry only), and the rule.
        refusedMatching(Pattern.quote("expert 'bad' (evil.Bad$1 in bad.jar) returned an invalid probability row (row 1 of the ") + "\\d+"
                        + Pattern.quote(problem + "; predict must return probabilities: each finite and non-negative, each row"
                        + " summing to 1 (within 0.001)"),
                "train", bad.toString(), "-o", dir.resolve("b.moe").toString(), "--plugins", plugins.toString(), "-q");
    }

    @Test
    void whatAPluginPrintsStaysOutOfTheCsvOnStandardOutput() throws Exception {
        // A provider's System.out.println (a banner, a library's progress) came first in `predict --output -`, before
        // the CSV's header: standard output is moe's, and what plugins print goes to standard error.
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        pluginJar(plugins.resolve("chatty.jar"), "Chatty", provider("Chatty", "chatty",
                "System.out.println(\"chatty 1.0 ready\");", "new float[] {0.2f, 0.3f, 0.5f}"));
        Path config = Files.writeString(dir.resolve("chatty.yaml"), PredictCommandTest.SEED.replace("experts:\n",
                "experts:\n  - { id: chatty, provider: chatty }\n"));
        Path bundle = dir.resolve("chatty.moe");
        Process trained = process(null, List.of(), "train", config.toString(), "-o", bundle.toString(), "-q", "--plugins",
                plugins.toString());
        assertEquals(0, trained.status(), trained.err());
        Process p = process(null, List.of(), "predict", "-m", bundle.toString(), "--input", data.toString(), "--output", "-",
                "--plugins", plugins.toString());
        assertEquals(0, p.status(), p.err());
        assertEquals(Files.readAllLines(data).size(), p.out().lines().count(), p.out());
        assertFalse(p.out().contains("chatty 1.0 ready"), p.out());
        assertTrue(p.err().contains("chatty 1.0 ready"), p.err());
    }

    @Test
    void aPluginExpertReturningNaN() throws Exception {
        pluginExpertRefused("new float[] {Float.NaN, 0.5f, 0.5f}", " it scored): probability of '0' is NaN [NaN, 0.5, 0.5]");
    }

    @Test
    void aPluginExpertWhoseProbabilitiesSumToThree() throws Exception {
        pluginExpertRefused("new float[] {1f, 1f, 1f}", " it scored): its probabilities sum to 3.0, not 1 [1.0, 1.0, 1.0]");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 8. Accepted silently before

    @Test
    void duplicateYamlKeys() throws Exception {
        Path dup = Files.writeString(dir.resolve("dup.yaml"), "seed: 1\nseed: 2\n" + PredictCommandTest.SEED.replace("seed: 3\n", ""));
        refused(dup + ": line 2: duplicate key 'seed' (a key may appear once per mapping)", "evaluate", dup.toString());
    }

    @Test
    void yamlAliases() throws Exception {
        Path alias = Files.writeString(dir.resolve("alias.yaml"), PredictCommandTest.SEED.replace("gate: {", "gate: &g {")
                + "other: *g\n");
        refused(alias + ": line " + BadInputTest.lineOf(alias, "*g") + ": YAML alias '*g': moe does not expand aliases in a config; "
                + "write the value out", "evaluate", alias.toString());
    }

    @Test
    void oneClassTrainingData() throws Exception {
        StringBuilder one = new StringBuilder("feature0,feature1,feature2,feature3,label\n");
        for (int i = 0; i < 50; i++) {
            one.append(i).append(",1,2,3,only\n");
        }
        Files.writeString(data, one.toString());
        refused(data + ": column 'label' holds one class only ('only' on all 50 rows); a classifier needs "
                + "at least two", "train", config.toString(), "-o", dir.resolve("m2.moe").toString());
    }

    @Test
    void aValidationFractionThatLeavesNoRowsToTrainOn() throws Exception {
        Path vf = Files.writeString(dir.resolve("vf.yaml"), PredictCommandTest.SEED.replace("gate: { hidden: [],",
                "gate: { validation-fraction: 0.999, patience: 5, hidden: [],").replace("split: { balance-experts: true }",
                "split: { experts: 0.5, gate: 0.4, test: 0.1, balance-experts: true }"));
        refusedMatching(Pattern.quote(vf + ": line " + BadInputTest.lineOf(vf, "validation-fraction") + ": gate.validation-fraction: a "
                + "validation fraction of 0.999 leaves no rows to train on of ") + "\\d+; lower it", "evaluate", vf.toString());
    }

    @Test
    void anErrorUnderAnExpertsParamsNamesFileAndLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("params.yaml"), PredictCommandTest.SEED.replaceFirst("epochs: 40", "epochs: -4"));
        refused(bad + ": line " + BadInputTest.lineOf(bad, "epochs: -4") + ": experts[expert1].params.epochs: must be positive, got -4",
                "evaluate", bad.toString());
    }

    @Test
    void anErrorUnderBaselinesNamesFileAndLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("baselines.yaml"), PredictCommandTest.SEED
                + "baselines:\n  - id: forest\n    provider: tribuo\n    params:\n      algorithm: forest\n");
        refused(bad + ": line " + BadInputTest.lineOf(bad, "algorithm: forest") + ": experts[forest].params.algorithm: unknown value "
                + "'forest'; one of: cart, knn, logistic-regression, xgboost", "evaluate", bad.toString());
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void rewriteManifest(Path from, Path to, java.util.function.UnaryOperator<String> edit) throws IOException {
        rewriteZip(from, to, (name, bytes) -> name.equals("manifest.json")
                ? edit.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8) : bytes);
    }

    private static void rewriteZip(Path from, Path to, java.util.function.BiFunction<String, byte[], byte[]> change) throws IOException {
        try (ZipFile zip = new ZipFile(from.toFile()); ZipOutputStream copy = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                byte[] bytes = change.apply(e.getName(), zip.getInputStream(e).readAllBytes());
                copy.putNextEntry(new ZipEntry(e.getName()));
                copy.write(bytes);
                copy.closeEntry();
            }
        }
    }
}
