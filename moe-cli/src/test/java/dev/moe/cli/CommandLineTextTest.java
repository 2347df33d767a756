package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says about itself: its version, its help, its completion script (issue 16). */
class CommandLineTextTest {

    @TempDir
    Path dir;

    static MainTest.Result moe(String... args) {
        return MainTest.moe(args);
    }

    @Test
    void versionIsTheOneASavedBundleRecords() throws Exception {
        Path config = Files.writeString(dir.resolve("exp.yaml"), MainTest.SMALL);
        Path model = dir.resolve("m.moe");
        MainTest.Result trained = moe("train", config.toString(), "-o", model.toString(), "-q");
        assertEquals(0, trained.status(), trained.err());
        String createdBy = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), null))
                .read(model).manifest().createdBy();

        MainTest.Result version = moe("--version");
        assertEquals(0, version.status(), version.err());
        assertEquals(createdBy, version.out().strip());
        // ... and it is the project's version as Maven has it, not a constant in the code.
        assertEquals("moe " + System.getProperty("moe.projectVersion"), createdBy);

        // Every subcommand says the same, and doctor says it first.
        assertEquals(createdBy, moe("train", "--version").out().strip());
        MainTest.Result doctor = moe("doctor");
        assertEquals(0, doctor.status(), doctor.err());
        String first = doctor.out().lines().findFirst().orElseThrow();
        assertEquals(createdBy, first.replaceAll("\\s+", " "));
    }

    @Test
    void everyCommandsHelpHasItsExitCodesAndAnExample() {
        java.util.Set<String> names = new picocli.CommandLine(new Main()).getSubcommands().keySet();
        assertTrue(names.containsAll(java.util.List.of("evaluate", "train", "predict", "experts", "strategies", "doctor")), names.toString());
        for (String name : names) {
            if (name.equals("help")) {
                continue; // picocli's own `moe help COMMAND`, which prints the help below
            }
            MainTest.Result r = moe(name, "--help");
            assertEquals(0, r.status(), name + ": " + r.err());
            String help = r.out();
            assertTrue(help.contains("Exit codes:"), name + ":\n" + help);
            assertTrue(java.util.regex.Pattern.compile("(?m)^  0 +success$").matcher(help).find(), name + ":\n" + help);
            assertTrue(java.util.regex.Pattern.compile("(?m)^  1 +an internal error").matcher(help).find(), name + ":\n" + help);
            assertTrue(java.util.regex.Pattern.compile("(?m)^  2 +a user error").matcher(help).find(), name + ":\n" + help);
            assertTrue(java.util.regex.Pattern.compile("(?m)^Examples?:\\R  moe " + name + "( |$)").matcher(help).find(), name + ":\n" + help);
        }
        String top = moe("--help").out();
        assertTrue(top.contains("Exit codes:") && top.contains("Example:"), top);
    }

    /** An example is copied from the help as it stands: picocli wraps a long one at 80 columns, inside a path. */
    @Test
    void everyExampleIsPrintedWholeSoItCanBeCopied() {
        for (picocli.CommandLine command : new picocli.CommandLine(new Main()).getSubcommands().values()) {
            String name = command.getCommandName();
            List<String> help = moe(name, "--help").out().lines().toList();
            for (String example : command.getCommandSpec().usageMessage().footer()) {
                assertTrue(help.contains(example), name + ": '" + example + "' is not one line of its help:\n" + String.join("\n", help));
            }
        }
    }

    /** --verbose says what it adds for the command at hand: predict trains nothing, inspect runs no code. */
    @Test
    void verboseSaysWhatEachCommandLogs() {
        for (String name : List.of("predict", "inspect", "experts", "strategies", "doctor")) {
            String help = moe(name, "--help").out().replaceAll("\\s+", " ");
            assertTrue(help.contains("--verbose"), name);
            assertFalse(help.contains("experts trained") || help.contains("expert trained"), name + ": " + help);
        }
        assertTrue(moe("train", "--help").out().replaceAll("\\s+", " ").contains("each expert trained"));
    }

    @Test
    void helpTextsSayWhatEachCommandDoes() {
        String predict = moe("predict", "--help").out();
        // predict has no config: its plugins come from --plugins or $MOE_PLUGINS, never from beside anything
        assertTrue(!predict.contains("beside the config"), predict);
        assertTrue(predict.contains("$MOE_PLUGINS"), predict);
        assertTrue(java.util.regex.Pattern.compile("(?m)^  141 +standard output closed").matcher(predict).find(), predict);
        assertTrue(predict.contains("--allow-referenced-files"), predict);
        // A script pairing output rows with input lines must know that blank lines are skipped.
        assertTrue(predict.replaceAll("\\s+", " ").contains("A blank line is no row"), predict);
        // moe --help lists each command by its first line: evaluate's names its saved-mixture use too.
        String top = moe("--help").out().replaceAll("\\s+", " ");
        assertTrue(top.contains("evaluate Train a config's experts and combiner") && top.contains("or, with -m, of a saved mixture"), top);
        String train = moe("train", "--help").out();
        assertTrue(train.contains("beside the config"), train);
        assertTrue(!train.contains("--allow-referenced-files"), train); // train reads no saved mixture
        assertTrue(!train.contains("141"), train);
        for (String listing : java.util.List.of("experts", "strategies", "doctor")) {
            String help = moe(listing, "--help").out();
            assertTrue(help.contains("plugins/ in the current folder") && !help.contains("beside the config"), listing + ":\n" + help);
        }
        // Hidden is not removed: a script that passes it still runs.
        assertEquals(0, moe("strategies", "--allow-referenced-files").status());
    }

    @Test
    void evaluateTakesASavedMixturesDataAsDataAndRefusesAConfigThere() throws Exception {
        Path config = Files.writeString(dir.resolve("exp.yaml"), MainTest.SMALL);
        Path model = dir.resolve("m.moe");
        assertEquals(0, moe("train", config.toString(), "-o", model.toString(), "-q").status());
        Path csv = dir.resolve("labelled.csv");
        StringBuilder rows = new StringBuilder("feature0,feature1,feature2,feature3,label\n");
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 60; i++) {
            for (int f = 0; f < 4; f++) {
                rows.append(random.nextGaussian()).append(',');
            }
            rows.append(i % 3).append('\n');
        }
        Files.writeString(csv, rows);

        MainTest.Result byOption = moe("evaluate", "-m", model.toString(), "--data", csv.toString());
        MainTest.Result byPosition = moe("evaluate", "-m", model.toString(), csv.toString());
        assertEquals(0, byOption.status(), byOption.err());
        assertEquals(0, byPosition.status(), byPosition.err());
        assertEquals(byPosition.out(), byOption.out());
        assertTrue(byOption.out().contains("60"), byOption.out());
        // As moe predict names its rows: a script's "-m M -i ROWS" works for both commands.
        for (String input : java.util.List.of("-i", "--input")) {
            MainTest.Result asPredict = moe("evaluate", "-m", model.toString(), input, csv.toString());
            assertEquals(0, asPredict.status(), asPredict.err());
            assertEquals(byOption.out(), asPredict.out());
        }

        for (String yaml : java.util.List.of(config.toString(), dir.resolve("other.YML").toString())) {
            MainTest.Result r = moe("evaluate", "-m", model.toString(), yaml);
            assertEquals(2, r.status(), r.err());
            assertEquals("moe: " + yaml + ": with -m the argument is the labelled CSV to evaluate on, not a config (moe evaluate -m "
                    + model + " --data DATA.csv)" + System.lineSeparator(), r.err());
        }
        MainTest.Result both = moe("evaluate", "-m", model.toString(), "--data", csv.toString(), csv.toString());
        assertEquals(2, both.status());
        assertEquals(1, both.err().lines().count(), both.err());
        MainTest.Result none = moe("evaluate", "-m", model.toString());
        assertEquals(2, none.status());
        assertTrue(none.err().startsWith("moe: with -m, give the labelled CSV file"), none.err());
        MainTest.Result dataWithoutModel = moe("evaluate", config.toString(), "--data", csv.toString());
        assertEquals(2, dataWithoutModel.status());
        assertTrue(dataWithoutModel.err().startsWith("moe: --data applies with -m"), dataWithoutModel.err());
        MainTest.Result nothing = moe("evaluate");
        assertEquals(2, nothing.status());
        assertEquals(1, nothing.err().lines().count(), nothing.err());
    }

    @Test
    void theBashCompletionScriptRegistersACompletionFunctionForMoe() throws Exception {
        MainTest.Result r = moe("completion", "bash");
        assertEquals(0, r.status(), r.err());
        Path script = Files.writeString(dir.resolve("moe-completion.bash"), r.out());
        Process bash = new ProcessBuilder("bash", "-c", "source \"$1\" && complete -p moe", "bash", script.toString())
                .redirectErrorStream(true).start();
        String said = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), said);
        assertTrue(said.matches("(?s)complete .*-F \\S+ .*moe\\s*"), said);
        // The function knows the commands, the new one included.
        for (String word : java.util.List.of("evaluate", "predict", "train", "completion", "--data")) {
            assertTrue(r.out().contains(word), word);
        }

        // --strategy completes to the strategies found (what a user sees after pressing Tab).
        Process tab = new ProcessBuilder("bash", "-c", "source \"$1\"; COMP_WORDS=(moe train --strategy to); COMP_CWORD=3; "
                + "COMP_LINE='moe train --strategy to'; COMP_POINT=${#COMP_LINE}; $(complete -p moe | sed -E 's/.*-F ([^ ]+).*/\\1/') "
                + "moe to --strategy; printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // bash's compopt warns outside a real Tab
        String offered = new String(tab.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, tab.waitFor(), offered);
        assertEquals(java.util.List.of("top-k"), offered.lines().filter(l -> !l.isBlank()).map(String::strip).toList(), offered);

        MainTest.Result zsh = moe("completion", "zsh");
        assertEquals(0, zsh.status(), zsh.err());
        assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit"), zsh.out());
        assertTrue(zsh.out().endsWith(r.out()), "zsh gets the same script");

        MainTest.Result fish = moe("completion", "fish");
        assertEquals(2, fish.status());
        assertEquals(1, fish.err().lines().count(), fish.err());
    }

    @Test
    void textToAClosedPipeEnds141AndToAFullDiskSaysSo() throws Exception {
        // moe explain | head -1: the reader went away; the command's text must not end 0 as if all was read.
        java.lang.Process closed = child("explain").start();
        closed.getInputStream().close();
        assertTrue(closed.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String err = new String(closed.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(141, closed.exitValue(), err);
        assertEquals("", err.replaceFirst(MainTest.FALLBACK_LINE, ""), "quiet, as a Unix tool whose pipe closed");
        // moe explain > /dev/full: one line and exit 2.
        java.lang.Process full = child("explain").redirectOutput(new java.io.File("/dev/full")).start();
        assertTrue(full.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String said = new String(full.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst(MainTest.FALLBACK_LINE, "");
        assertEquals(2, full.exitValue(), said);
        assertEquals("moe: cannot write standard output: No space left on device", said.strip());
    }

    private static ProcessBuilder child(String... args) {
        return new ProcessBuilder(ChildJvm.moe(List.of(), args));
    }

    @Test
    void theLauncherSaysHowLongItsBuildTakes() throws Exception {
        Path launcher = Path.of(System.getProperty("moe.examplesFolder")).resolveSibling("moe");
        java.util.List<String> lines = Files.readAllLines(launcher);
        assertTrue(lines.stream().anyMatch(l -> l.strip().equals("echo \"moe: building (about a minute, once)...\" >&2")), launcher.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("since the last build")), launcher.toString());
    }

    @Test
    void theLauncherBuildsOnceWhenAnotherModulesSourceChanged() throws Exception {
        // Maven leaves moe-cli.jar untouched when only another module changed; the launcher must not then build
        // again on every run. A fake mvn that writes nothing (as Maven then does) stands in.
        Path root = fakeClone();
        Files.writeString(Files.createDirectories(root.resolve("moe-gating/src/main")).resolve("Changed.java"), "");
        for (int run = 0; run < 3; run++) {
            runLauncher(root);
        }
        assertEquals(1, Files.readAllLines(dir.resolve("builds.log")).size(), "builds in three runs");
    }

    @Test
    void theLauncherArchivesTheClassesOnceAndStartsFromTheArchive() throws Exception {
        // A fake java that writes the archive it is asked for: the first run makes it, every run uses it.
        Path root = fakeClone();
        Path archive = root.resolve("moe-cli/target/moe-classes.jsa");
        for (int run = 0; run < 3; run++) {
            runLauncher(root);
        }
        List<String> calls = Files.readAllLines(dir.resolve("java.log"));
        assertEquals(1, calls.stream().filter(c -> c.contains("-XX:ArchiveClassesAtExit=")).count(), calls.toString());
        List<String> commands = calls.stream().filter(c -> c.endsWith("dev.moe.cli.Main --version")).toList();
        assertEquals(3, commands.size(), calls.toString());
        assertTrue(commands.stream().allMatch(c -> c.startsWith("-XX:+UseSerialGC " + NATIVE + " -XX:SharedArchiveFile=" + archive + " ")),
                commands.toString());
        // Without it (MOE_CDS=0), or when making it failed, the JVM starts without one.
        runLauncher(root, "MOE_CDS", "0");
        Files.delete(archive);
        runLauncher(root);
        List<String> later = Files.readAllLines(dir.resolve("java.log")).subList(calls.size(), calls.size() + 2);
        assertTrue(later.stream().noneMatch(c -> c.contains("SharedArchiveFile")), later.toString());
    }

    @Test
    void theLauncherRunsTheSerialCollectorUnlessTheUsersOptionsNameOne() throws Exception {
        Path root = fakeClone();
        runLauncher(root, "MOE_CDS", "0", "MOE_JAVA_OPTS", "-Xmx1g -XX:+UseGCOverheadLimit");
        runLauncher(root, "MOE_CDS", "0", "MOE_JAVA_OPTS", "-Xmx1g -XX:+UseG1GC");
        runLauncher(root, "MOE_CDS", "0", "MOE_JAVA_OPTS", "-XX:-UseSerialGC");
        assertEquals(List.of(
                "-XX:+UseSerialGC " + NATIVE + " -Xmx1g -XX:+UseGCOverheadLimit -cp " + classpath(root) + " dev.moe.cli.Main --version",
                NATIVE + " -Xmx1g -XX:+UseG1GC -cp " + classpath(root) + " dev.moe.cli.Main --version",
                NATIVE + " -XX:-UseSerialGC -cp " + classpath(root) + " dev.moe.cli.Main --version"),
                Files.readAllLines(dir.resolve("java.log")));
    }

    /** `ln -s ~/moe/moe ~/bin/moe`, the usual way onto the PATH: the launcher must still find its clone, not build in ~/bin. */
    @Test
    void theLauncherRunsThroughALinkOnThePath() throws Exception {
        Path root = fakeClone();
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("home/bin")).resolve("moe"), root.resolve("moe"));
        ProcessBuilder launcher = new ProcessBuilder("bash", link.toString(), "--version").redirectErrorStream(true);
        launcher.environment().put("PATH", dir.resolve("fakes") + java.io.File.pathSeparator + System.getenv("PATH"));
        launcher.environment().put("MOE_CDS", "0");
        Process p = launcher.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertFalse(Files.exists(dir.resolve("builds.log")), "built again: " + out);
        assertEquals(List.of("-XX:+UseSerialGC " + NATIVE + " -cp " + classpath(root) + " dev.moe.cli.Main --version"),
                Files.readAllLines(dir.resolve("java.log")));
    }

    /** What the launcher always tells the JVM: Java 24 and later warned in eight lines on every run without it. */
    private static final String NATIVE = "--enable-native-access=ALL-UNNAMED";

    /**
     * The JDK's release file beside the java found (a newer JDK first on PATH): Java 23 and later also get Unsafe
     * declared, and the Spark engine, whose Hadoop login fails there, is refused before anything is built.
     */
    @Test
    void theLauncherReadsTheJavaVersionFromTheJdksReleaseFile() throws Exception {
        Path root = fakeClone();
        Path release = Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
        try {
            runLauncher(root, "MOE_CDS", "0");
            assertEquals(List.of("-XX:+UseSerialGC " + NATIVE + " --sun-misc-unsafe-memory-access=allow -cp " + classpath(root)
                    + " dev.moe.cli.Main --version"), Files.readAllLines(dir.resolve("java.log")));
            ProcessBuilder spark = new ProcessBuilder("bash", root.resolve("moe").toString(), "predict", "--engine", "spark",
                    "-m", "m.moe", "-i", "in.csv", "-o", "out").redirectErrorStream(true);
            spark.environment().put("PATH", dir.resolve("fakes") + java.io.File.pathSeparator + System.getenv("PATH"));
            Process p = spark.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(2, p.waitFor(), out);
            assertEquals("moe: --engine spark: Spark 3.5 runs on Java 17 to 22, and this java is 25 (" + dir.resolve("fakes/java")
                    + "); put a JDK 17 or 21 first on PATH for the Spark engine (the local engine runs on 25)", out.strip());
            assertFalse(Files.exists(dir.resolve("builds.log")), "the Spark engine was built: " + out);
            // Java 17: native access only (it knows no Unsafe flag, and would not start with one).
            Files.writeString(release, "JAVA_VERSION=\"17.0.15\"\n");
            runLauncher(root, "MOE_CDS", "0");
            assertEquals("-XX:+UseSerialGC " + NATIVE + " -cp " + classpath(root) + " dev.moe.cli.Main --version",
                    Files.readAllLines(dir.resolve("java.log")).get(1));
        } finally {
            Files.delete(release);
        }
    }

    private static String classpath(Path root) {
        return root.resolve("moe-cli/target/moe-cli.jar") + ":" + root.resolve("moe-cli/target/lib") + "/*";
    }

    /**
     * A copy of the launcher in a folder laid out like a built clone (no source newer than moe-cli.jar), with a
     * fake mvn that counts builds in builds.log and makes only the lib folder, and a fake java that logs its arguments in
     * java.log and writes the class archive it is asked to.
     */
    private Path fakeClone() throws Exception {
        Path repository = Path.of(System.getProperty("moe.examplesFolder")).getParent();
        Path root = Files.createDirectories(dir.resolve("clone"));
        Files.copy(repository.resolve("moe"), root.resolve("moe"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(repository.resolve("bin/native-env.sh"), root.resolve("bin/native-env.sh"));
        Path jar = Files.createDirectories(root.resolve("moe-cli/target/lib")).resolveSibling("moe-cli.jar");
        Files.writeString(jar, "");
        Files.writeString(root.resolve("pom.xml"), "");
        java.nio.file.attribute.FileTime hourAgo = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(jar, hourAgo);
        Files.setLastModifiedTime(root.resolve("pom.xml"), hourAgo);
        Files.setLastModifiedTime(root.resolve("moe-cli/target/lib"), hourAgo);
        Path fakes = Files.createDirectories(dir.resolve("fakes"));
        // Maven makes the lib folder again, which the launcher empties before each build.
        Files.writeString(fakes.resolve("mvn"), "#!/usr/bin/env bash\necho build >> '" + dir.resolve("builds.log") + "'\n"
                + "mkdir -p moe-cli/target/lib\n");
        Files.writeString(fakes.resolve("java"), String.join("\n", "#!/usr/bin/env bash",
                "echo \"$*\" >> '" + dir.resolve("java.log") + "'",
                "for a in \"$@\"; do [[ $a == -XX:ArchiveClassesAtExit=* ]] && echo archive > \"${a#*=}\"; done",
                "exit 0", ""));
        fakes.resolve("mvn").toFile().setExecutable(true);
        fakes.resolve("java").toFile().setExecutable(true);
        return root;
    }

    private void runLauncher(Path root, String... environment) throws Exception {
        ProcessBuilder launcher = new ProcessBuilder("bash", root.resolve("moe").toString(), "--version").redirectErrorStream(true);
        launcher.environment().put("PATH", dir.resolve("fakes") + java.io.File.pathSeparator + System.getenv("PATH"));
        for (int i = 0; i < environment.length; i += 2) {
            launcher.environment().put(environment[i], environment[i + 1]);
        }
        Process p = launcher.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void aTextColumnStopsARunWithItsNameAndDataIgnoreLeavesItOut() throws Exception {
        StringBuilder rows = new StringBuilder("id,a,name,b,label\n");
        java.util.Random random = new java.util.Random(2);
        for (int i = 0; i < 90; i++) {
            int label = i % 3;
            rows.append("r").append(i).append(',').append(label + random.nextGaussian() * 0.3).append(",person ").append(i).append(',')
                    .append(random.nextGaussian()).append(',').append(label).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("people.csv"), rows);
        String experts = """
                experts:
                  - { id: e1, provider: nd4j-mlp, params: { hidden: 4, epochs: 5 } }
                  - { id: e2, provider: nd4j-mlp, params: { hidden: 4, epochs: 5 } }
                gate: { hidden: [], epochs: 5 }
                """;
        Path stops = Files.writeString(dir.resolve("stops.yaml"), "data: { source: csv, path: people.csv, ignore: [id] }\n" + experts);
        MainTest.Result r = moe("evaluate", stops.toString(), "-q");
        assertEquals(2, r.status(), r.err());
        assertEquals("moe: " + csv + ": line 2, column 'name': not a number: 'person 0'; if 'name' is not a feature, add it to data.ignore "
                + "in the config (data: { ignore: [name] }); if its values are categories, add it to data.categorical "
                + "(data: { categorical: [name] })" + System.lineSeparator(), r.err());
        Path misnamed = Files.writeString(dir.resolve("misnamed.yaml"), "data: { source: csv, path: people.csv, ignore: [id], categorical: [nmae] }\n"
                + experts);
        r = moe("evaluate", misnamed.toString(), "-q");
        assertEquals(2, r.status(), r.err());
        assertEquals("moe: " + misnamed + ": line 1: data.categorical names column 'nmae', which " + csv + " does not have (did you mean"
                + " 'name'?); its columns: id, a, name, b, label" + System.lineSeparator(), r.err());

        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "data: { source: csv, path: people.csv, ignore: [id, nmae] }\n" + experts);
        r = moe("evaluate", unknown.toString(), "-q");
        assertEquals(2, r.status(), r.err());
        assertEquals("moe: " + unknown + ": line 1: data.ignore names column 'nmae', which " + csv + " does not have (did you mean 'name'?); its columns: id, a, name, b, label"
                + System.lineSeparator(), r.err());

        Path runs = Files.writeString(dir.resolve("runs.yaml"), "data: { source: csv, path: people.csv, ignore: [id, name] }\n" + experts);
        r = moe("evaluate", runs.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("e1") && r.out().contains("moe"), r.out());
    }

    /** Every figure the console table prints has its sentence, found by any spelling a reader may type. */
    @Test
    void explainSaysWhatEachFigureOfTheReportMeans() {
        MainTest.Result all = moe("explain");
        assertEquals(0, all.status(), all.err());
        for (String figure : java.util.List.of("accuracy:", "macro-F1:", "log-loss:", "moe - model:", "oracle accuracy:", "load CV:",
                "utilization:", "combiner:", "mean gate weight:", "calibration:", "notice:", "note:")) {
            assertTrue(all.out().contains(System.lineSeparator() + figure) || all.out().startsWith(figure), figure + "\n" + all.out());
        }
        MainTest.Result one = moe("explain", "Load-CV");
        assertEquals(0, one.status(), one.err());
        assertEquals(1, one.out().lines().count(), one.out());
        assertTrue(one.out().startsWith("load CV: "), one.out());
        assertTrue(moe("explain", "moe − model").out().startsWith("moe - model: "));
        MainTest.Result unknown = moe("explain", "accuracy-ish");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("moe: no figure called 'accuracy-ish' (did you mean 'accuracy'?); known: accuracy, macro-F1,"),
                unknown.err());
        assertTrue(moe("explain", "dead experts").out().startsWith("dead expert: "), "the plural, as the README lists it");
        assertTrue(moe("explain", "notices").out().startsWith("notice: "));
        assertTrue(moe("explain", "gate entrpy").err().contains("(did you mean 'gate entropy'?)"));
    }
}
