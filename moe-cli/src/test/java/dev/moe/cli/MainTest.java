package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    static final String SMALL = """
            seed: 3
            data: { source: synthetic-seed, rows: 1500 }
            split: { balance-experts: true }
            experts:
              - { id: expert1, provider: nd4j-mlp, subset: { labels: ["0", "1"] }, params: { hidden: 8, epochs: 60, learning-rate: 0.01 } }
              - { id: expert2, provider: nd4j-mlp, subset: { labels: ["1", "2"] }, params: { hidden: 8, epochs: 60, learning-rate: 0.01 } }
              - { id: expert3, provider: nd4j-mlp, subset: { labels: ["0", "2"] }, params: { hidden: 8, epochs: 60, learning-rate: 0.01 } }
            gate: { hidden: [], epochs: 150, learning-rate: 0.05 }
            """;

    @TempDir
    Path dir;

    record Result(int status, String out, String err) { }

    static Result moe(String... args) {
        Result raw = rawMoe(args);
        // A -Pcuda build on a machine without a GPU first says that it runs on the CPU; that line is not the command's.
        return new Result(raw.status(), raw.out(), raw.err().replaceFirst(FALLBACK_LINE, ""));
    }

    static final String FALLBACK_LINE = "^moe: CUDA backend not usable \\([^\\n]*\\); running on the CPU\\R";

    static Result rawMoe(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    private Path config(String yaml) throws Exception {
        Path file = dir.resolve("exp.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void evaluateRunsEndToEndAndWritesTheJsonReport() throws Exception {
        Path json = dir.resolve("out/report.json");
        Result r = moe("evaluate", config(SMALL).toString(), "--repeat", "2", "--strategy", "top-k", "--json", json.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("2 repeats, "), r.out());
        assertTrue(r.out().lines().skip(1).findFirst().orElse("").startsWith("model"), r.out());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 100), "every line fits 100 columns:\n" + r.out());
        assertTrue(r.out().contains("strategy top-k (k=2)"), r.out());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(List.of("formatVersion", "createdBy", "config"), iterable(report.fieldNames()).subList(0, 3));
        assertEquals(1, report.get("formatVersion").asInt());
        assertEquals("moe " + dev.moe.runtime.MoeVersion.get(), report.get("createdBy").asText());
        assertEquals(2, report.get("repeats").asInt());
        assertEquals("top-k", report.get("strategy").asText());
        JsonNode results = report.get("results");
        assertEquals(6, results.size());
        assertEquals("expert1", results.get(0).get("model").asText());
        assertEquals("uniform", results.get(3).get("model").asText());
        assertEquals("stacking", results.get(4).get("model").asText());
        assertEquals("moe", results.get(5).get("model").asText());
        double moe = results.get(5).get("accuracy").asDouble();
        for (int i = 0; i < 3; i++) {
            double expert = results.get(i).get("accuracy").asDouble();
            assertTrue(moe > expert, "moe " + moe + " vs " + results.get(i));
            JsonNode perRepeat = results.get(i).get("perRepeat");
            assertEquals(expert, (perRepeat.get(0).asDouble() + perRepeat.get(1).asDouble()) / 2, 1e-12);
        }
        // the console table shows the same mean as the JSON
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%.3f", moe)), r.out());
    }

    @Test
    void unknownStrategyIsOneLineAndExitTwo() throws Exception {
        Result r = moe("evaluate", config(SMALL).toString(), "--strategy", "best-guess", "-q");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("moe: --strategy: unknown routing strategy 'best-guess'; known: "), r.err());
        assertTrue(r.err().contains("softmax-dense, ") && r.err().contains("top-k"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aCudaBuildWithoutAGpuSaysOnceThatItRunsOnTheCpu() {
        Result r = rawMoe("evaluate", dir.resolve("nope.yaml").toString());
        boolean cudaBuild;
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, getClass().getClassLoader());
            cudaBuild = true;
        } catch (ClassNotFoundException e) {
            cudaBuild = false;
        }
        long lines = r.err().lines().count();
        if (cudaBuild) {
            assertEquals(2, lines, r.err());
            assertTrue(r.err().lines().findFirst().orElseThrow().matches("moe: CUDA backend not usable \\(.*\\); running on the CPU"), r.err());
        } else {
            assertEquals(1, lines, r.err());
        }
    }

    @Test
    void missingConfigIsOneLineAndExitTwo() {
        Result r = moe("evaluate", dir.resolve("nope.yaml").toString());
        assertEquals(2, r.status());
        assertEquals("moe: config file not found: " + dir.resolve("nope.yaml") + System.lineSeparator(), r.err());
    }

    @Test
    void wrongTypeInConfigIsOneLineAndExitTwo() throws Exception {
        Path file = config(SMALL.replace("epochs: 150", "epochs: many"));
        Result r = moe("evaluate", file.toString());
        assertEquals(2, r.status());
        assertEquals("moe: " + file + ": line 8: gate.epochs: expected an integer" + System.lineSeparator(), r.err());
    }

    @Test
    void badRoutingParameterIsOneLineAndExitTwo() throws Exception {
        Path config = config(SMALL + "routing: { strategy: top-k, params: { k: 4 } }\n");
        Result r = moe("evaluate", config.toString());
        assertEquals(2, r.status());
        int line = Files.readAllLines(config).size(); // the routing line, the config's last
        assertEquals("moe: " + config + ": line " + line + ": routing.params.k: must be between 1 and the number of experts (3), got 4"
                + System.lineSeparator(), r.err());
    }

    @Test
    void badCommandLineIsExitTwo() {
        Result r = moe("evaluate", "--repeat", "x", "a.yaml");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--repeat"), r.err());
    }

    @Test
    void aMistypedCommandOrOptionIsOneLineNamingTheNearestOne() {
        Result command = moe("evalute", "a.yaml");
        assertEquals(2, command.status());
        assertEquals(1, command.err().lines().count(), command.err());
        assertTrue(command.err().contains("(did you mean 'evaluate'?)"), command.err());

        Result option = moe("evaluate", "a.yaml", "--repat", "1");
        assertEquals(2, option.status());
        assertEquals(1, option.err().lines().count(), option.err());
        assertTrue(option.err().contains("(did you mean '--repeat'?)"), option.err());
    }

    /** A new user's first mistakes on the command line: each says what is missing and what it is for, or the nearest name. */
    @Test
    void aMissingOptionOrCommandSaysWhatIsNeededAndWhatFor() {
        String nl = System.lineSeparator();
        Result noOutput = moe("train", "exp.yaml");
        assertEquals(2, noOutput.status());
        assertEquals("moe: train needs -o FILE: where to save the mixture, e.g. model.moe (moe train --help lists the options)" + nl,
                noOutput.err());
        Result predict = moe("predict", "-m", "m.moe", "-i", "rows.csv");
        assertEquals(2, predict.status());
        assertEquals("moe: predict needs -o FILE: where to write the predictions (CSV); - writes standard output"
                + " (moe predict --help lists the options)" + nl, predict.err());
        Result two = moe("predict", "-m", "m.moe");
        assertEquals("moe: predict needs -i FILE and -o FILE (moe predict --help lists the options)" + nl, two.err());

        Result nothing = moe();
        assertEquals(2, nothing.status());
        assertEquals("moe: name a command: init, evaluate, compare, experts, strategies, doctor, train, predict, inspect, completion, explain;"
                + " e.g. moe evaluate examples/seed-experiment.yaml (moe --help says what each does)" + nl, nothing.err());
        Result command = moe("evalute", "a.yaml");
        assertTrue(command.err().startsWith("moe: unknown command 'evalute' (did you mean 'evaluate'?); the commands: init, evaluate, "),
                command.err());
        Result option = moe("evaluate", "a.yaml", "--repat", "1");
        assertEquals("moe: evaluate: unknown option '--repat' (did you mean '--repeat'?) (moe evaluate --help lists the options)" + nl,
                option.err());
        Result value = moe("evaluate", "a.yaml", "--repeat");
        assertEquals("moe: --repeat needs its value N: run N seeds and report mean ± std (default: the config's, else 1)"
                + " (moe evaluate --help lists the options)" + nl, value.err());
        // evaluate has no -o: its nearest name, --overwrite, is not what the user meant.
        for (String output : List.of("-o", "--output")) {
            Result r = moe("evaluate", "a.yaml", output, "r.json");
            assertEquals(2, r.status());
            assertEquals("moe: evaluate: unknown option '" + output + "': the report goes to --json FILE or --html FILE (-o is where"
                    + " moe train saves a mixture and moe predict its predictions) (moe evaluate --help lists the options)" + nl, r.err());
        }
        Result before = moe("--verbose", "evaluate", "a.yaml");
        assertEquals("moe: unknown option '--verbose' before the command: options go after it (moe evaluate ... --verbose)"
                + " (moe --help lists the options)" + nl, before.err());
        Result extra = moe("evaluate", "a.yaml", "b.yaml");
        assertEquals("moe: evaluate: unexpected argument 'b.yaml' (moe evaluate --help lists the options)" + nl, extra.err());
    }

    @Test
    void strategiesListsBuiltIns() {
        Result r = moe("strategies");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("softmax-dense") && r.out().contains("top-k") && r.out().contains("    k "), r.out());
    }

    @Test
    void doctorReportsTheBackendAndWhatWasFound() {
        Result r = moe("doctor");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("nd4j backend") && l.contains("CpuBackend (CPU")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("java ") && l.contains(System.getProperty("java.version"))), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("blas")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("sgemm self-check") && l.contains(" ok (")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("native settings")), r.out());
        // This test's JVM was not started by ./moe: no class archive, and the line says how to get one.
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("class archive") && l.contains("none (./moe makes one")), r.out());
        assertTrue(r.out().contains("  nd4j-mlp ") && r.out().contains("  tribuo ") && r.out().contains("  top-k "), r.out());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
