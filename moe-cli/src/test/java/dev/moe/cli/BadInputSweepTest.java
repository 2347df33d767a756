package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.data.SyntheticSeedSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A careless or hostile user's sweep: some two hundred bad inputs made by mutating a good CSV, bundle, config and
 * command line, each run through {@code moe} with a checksum of every file before and after. Every one must end in
 * a clear error (exit 2, one line naming the file, no trace) or be accepted (exit 0); none may print a trace, end as
 * an internal error, or change a file that was there. The counts are printed for the report.
 */
class BadInputSweepTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path data;
    static Path config;
    static String goodCsv;

    record Outcome(String name, int status, String err, boolean damaged) { }

    @BeforeAll
    static void fixtures() throws Exception {
        model = PredictCommandTest.trainSeedBundle(Files.createDirectories(dir.resolve("fixtures")));
        data = PredictCommandTest.csv(dir.resolve("data.csv"), SyntheticSeedSource.generate(90, 3));
        goodCsv = Files.readString(data);
        config = Files.writeString(dir.resolve("c.yaml"), TINY);
    }

    static final String TINY = """
            seed: 1
            data: { source: csv, path: data.csv }
            split: { experts: 0.4, gate: 0.4, test: 0.2 }
            experts:
              - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 2 } }
              - { id: b, provider: tribuo, params: { algorithm: cart } }
            gate: { hidden: [], epochs: 3, learning-rate: 0.05 }
            routing: { strategy: softmax-dense }
            """;

    private final List<Outcome> outcomes = new ArrayList<>();

    private void run(String name, String... args) throws Exception {
        Map<String, String> before = SafetyTest.snapshot(dir);
        MainTest.Result r = MainTest.moe(args);
        Map<String, String> after = SafetyTest.snapshot(dir);
        // Accepted commands may add their output (named out*); nothing that was there may change.
        boolean damaged = false;
        for (Map.Entry<String, String> e : before.entrySet()) {
            damaged |= !e.getValue().equals(after.get(e.getKey()));
        }
        for (String added : after.keySet()) {
            if (!before.containsKey(added) && !(r.status() == 0 && added.startsWith("out"))) {
                damaged = true; // a partial output or a temporary file left behind
            }
        }
        for (String added : after.keySet()) {
            if (!before.containsKey(added)) {
                SafetyTestFiles.delete(dir.resolve(added));
            }
        }
        outcomes.add(new Outcome(name, r.status(), r.err(), damaged));
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private void predict(String name, Path input) throws Exception {
        run(name + " (predict)", "predict", "-m", model.toString(), "--input", input.toString(), "--output", dir.resolve("out.csv").toString());
    }

    private void evaluate(String name, Path input) throws Exception {
        run(name + " (evaluate -m)", "evaluate", "-m", model.toString(), input.toString());
    }

    @Test
    void everyBadInputEndsInAClearErrorAndDamagesNothing() throws Exception {
        // CSV: each cell of the first data row replaced by something bad, through predict and evaluate -m.
        String[] lines = goodCsv.split("\n");
        String[] header = lines[0].split(",");
        String[] badCells = {"", "abc", "NaN", "Infinity", "-Infinity", "1e39", "\"", "\"1", "1\"", "1,2", "0x", "1 2", "\u0000", "--1"};
        for (int col = 0; col < header.length; col++) {
            for (String bad : badCells) {
                String[] cells = lines[1].split(",");
                cells[col] = bad;
                Path f = file("cell.csv", lines[0] + "\n" + String.join(",", cells) + "\n" + lines[2] + "\n");
                if (col % 2 == 0) {
                    predict(header[col] + "=" + bad, f);
                } else {
                    evaluate(header[col] + "=" + bad, f);
                }
            }
        }
        // CSV: whole-file mistakes.
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("empty", "");
        files.put("blank", "\n\n\n");
        files.put("header only", lines[0] + "\n");
        files.put("no header", lines[1] + "\n" + lines[2] + "\n");
        files.put("semicolons", goodCsv.replace(',', ';'));
        files.put("tabs", goodCsv.replace(',', '\t'));
        files.put("duplicate header", lines[0] + "," + header[1] + "\n" + lines[1] + ",0\n");
        files.put("short row", goodCsv + "1,2\n");
        files.put("long row", goodCsv + lines[1] + ",9\n");
        files.put("binary", "\u0001\u0002\u0003\u00ff\n");
        files.put("unterminated quote at end", goodCsv + "\"");
        files.put("line break in quotes", lines[0] + "\n\"" + lines[1].replace(",", "\n,") + "\"\n");
        files.put("utf-16", new String(goodCsv.getBytes(StandardCharsets.UTF_16), StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path f = file("whole.csv", e.getValue());
            predict(e.getKey(), f);
            evaluate(e.getKey(), f);
        }
        predict("missing file", dir.resolve("absent.csv"));
        predict("a folder", Files.createDirectories(dir.resolve("folder")));
        evaluate("a folder", dir.resolve("folder"));

        // Bundles: cut at many lengths, one byte flipped in each entry, each entry removed, manifest keys removed.
        byte[] bundle = Files.readAllBytes(model);
        for (int cut : new int[] {0, 1, 4, 22, 100, bundle.length / 4, bundle.length / 2, bundle.length - 22, bundle.length - 1}) {
            Path b = dir.resolve("bad.moe");
            Files.write(b, java.util.Arrays.copyOf(bundle, cut));
            runBundle("bundle cut at " + cut);
        }
        List<String> entries;
        try (ZipFile zip = new ZipFile(model.toFile())) {
            entries = java.util.Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
        }
        for (String entry : entries) {
            rewrite(entry, bytes -> {
                byte[] b = bytes.clone();
                // The manifest holds the config's absolute path, whose length varies with the temporary folder's name:
                // its middle byte was a different one from run to run (a flipped byte inside a string is accepted,
                // one between entries is not). So its byte is a fixed one, the quote that opens "labelNames".
                int at = entry.equals("manifest.json")
                        ? new String(b, StandardCharsets.ISO_8859_1).indexOf("\"labelNames\"") : b.length / 2;
                b[at] ^= 0x40;
                return b;
            });
            runBundle("flipped byte in " + entry);
            rewrite(entry, bytes -> null);
            runBundle("removed " + entry);
        }
        for (String key : List.of("format", "formatVersion", "featureNames", "labelNames", "strategy", "gate", "experts", "entries",
                "sizes", "plugins", "labelColumn")) {
            rewrite("manifest.json", bytes -> new String(bytes, StandardCharsets.UTF_8).replaceFirst("\"" + key + "\" :", "\"x" + key + "\" :")
                    .getBytes(StandardCharsets.UTF_8));
            runBundle("manifest without " + key);
        }
        for (String[] edit : new String[][] {{"\"top-k\"", "\"no-such-strategy\""}, {"\"nd4j-mlp\"", "\"no-such-provider\""},
                {"\"embedded\"", "\"reference\""}, {"\"embedded\"", "\"sideways\""}, {"\"formatVersion\" : " + BundleFormat.versionFor(false), "\"formatVersion\" : 99"},
                {"\"formatVersion\" : " + BundleFormat.versionFor(false), "\"formatVersion\" : -1"}, {"\"k\" : 2", "\"k\" : 9"}, {"\"feature0\"", "\"feature9\""}}) {
            rewrite("manifest.json", bytes -> new String(bytes, StandardCharsets.UTF_8).replaceFirst(java.util.regex.Pattern.quote(edit[0]), edit[1])
                    .getBytes(StandardCharsets.UTF_8));
            runBundle("manifest " + edit[0] + " -> " + edit[1]);
        }
        run("model is a csv", "predict", "-m", data.toString(), "--input", data.toString(), "--output", dir.resolve("out.csv").toString());
        run("model is a folder", "predict", "-m", dir.resolve("folder").toString(), "--input", data.toString(), "--output",
                dir.resolve("out.csv").toString());

        // Configs: each key given a wrong type, each required entry removed, duplicates, aliases, junk.
        String[][] configEdits = {
                {"seed: 1", "seed: one"}, {"seed: 1", "seed: 1.5"}, {"seed: 1", "seed: [1]"}, {"seed: 1", "seed: 1\nseed: 2"},
                {"source: csv", "source: excel"}, {"path: data.csv", "path: absent.csv"}, {"path: data.csv", "path: folder"},
                {"path: data.csv", "path: c.yaml"}, {"experts: 0.4", "experts: 1.4"}, {"gate: 0.4", "gate: -0.4"},
                {"test: 0.2", "test: 0"}, {"hidden: 4", "hidden: -4"}, {"epochs: 2", "epochs: 0"}, {"epochs: 2", "epochs: two"},
                {"algorithm: cart", "algorithm: forest"}, {"algorithm: cart", "algorithm: 7"}, {"provider: tribuo", "provider: nobody"},
                {"id: b", "id: a"}, {"id: b", "id: moe"}, {"hidden: []", "hidden: [0]"}, {"hidden: []", "hidden: [40000, 40000]"},
                {"epochs: 3", "epochs: -3"}, {"learning-rate: 0.05", "learning-rate: 0"}, {"softmax-dense", "no-such"},
                {"strategy: softmax-dense", "strategy: top-k, params: { k: 5 }"}, {"gate: {", "gate: { dropout: 1.5,"},
                {"gate: {", "gate: { trainer: newton,"}, {"gate: {", "gate: { validation-fraction: 0.999, patience: 3,"},
                {"gate: {", "gate: { patience: 3,"}, {"gate: {", "gate: { epoch: 3,"}, {"routing:", "routnig:"},
                {"data: {", "data: &d {"}, {"routing: { strategy: softmax-dense }", "routing: *d"}, {"seed: 1", "seed: 1\n\t- tab"},
                {"experts:", "experts: []\nx:"}, {"split: {", "split: { balance-experts: maybe,"},
                {"source: csv, path: data.csv", "source: synthetic-seed, rows: 2000000000"}, {"source: csv, path: data.csv", "source: synthetic-seed, rows: 1"},
        };
        for (String[] edit : configEdits) {
            assertTrue(TINY.contains(edit[0]), edit[0]);
            Path c = file("bad.yaml", TINY.replace(edit[0], edit[1]));
            run("config " + edit[1].replace('\n', ' '), "evaluate", c.toString(), "-q");
        }
        for (String junk : new String[] {"", "   \n", "- just\n- a list\n", "[unclosed", "{a: 1", "seed: 1\n", "\u0000\u0001", "experts: 3\n"}) {
            Path c = file("junk.yaml", junk);
            run("config junk " + junk.strip(), "evaluate", c.toString(), "-q");
        }
        run("config is /dev/zero", "evaluate", "/dev/zero");
        run("config is a folder", "evaluate", dir.resolve("folder").toString());
        run("config missing", "evaluate", dir.resolve("absent.yaml").toString());

        // Outputs: over inputs, existing files, folders, special paths; options out of range.
        String m = model.toString();
        String d = data.toString();
        String c = config.toString();
        Files.writeString(dir.resolve("existing.csv"), "mine\n");
        String[][] commands = {
                {"evaluate", c, "--json", c}, {"evaluate", c, "--html", d}, {"evaluate", c, "--json", m, "--html", m},
                {"train", c, "-o", d}, {"train", c, "-o", c}, {"train", c, "-o", dir.resolve("folder").toString()},
                {"train", c, "-o", dir.resolve("existing.csv").toString()}, {"train", c, "-o", "/dev/sda"}, {"train", c, "-o", "/proc/version"},
                {"predict", "-m", m, "--input", d, "--output", d}, {"predict", "-m", m, "--input", d, "--output", m},
                {"predict", "-m", m, "--input", d, "--output", dir.resolve("existing.csv").toString()},
                {"predict", "-m", m, "--input", d, "--output", dir.resolve("folder").toString()},
                {"predict", "-m", m, "--input", d, "--output", "/dev/new-file"},
                {"evaluate", "-m", m, d, "--json", m}, {"evaluate", "-m", m, d, "--json", d}, {"evaluate", "-m", m, c},
                {"evaluate", "-m", m, d, "--html", m}, {"evaluate", "-m", m, d, "--seed", "3"},
                {"evaluate", c, "--repeat", "0"}, {"evaluate", c, "--repeat", "-1"}, {"evaluate", c, "--seed", "x"},
                {"evaluate", c, "--strategy", "nope"}, {"predict", "-m", m}, {"predict"}, {"nonsense"}, {"train", c},
                {"predict", "-m", m, "--input", d, "--output", dir.resolve("out.csv").toString(), "--plugins", dir.resolve("absent").toString()},
                {"experts", "--plugins", d}, {"experts", "--plugins", dir.resolve("absent").toString()},
        };
        for (String[] args : commands) {
            run(String.join(" ", args).replace(dir.toString(), "."), args);
        }

        int clear = 0;
        int accepted = 0;
        int outOfMemory = 0;
        List<String> problems = new ArrayList<>();
        for (Outcome o : outcomes) {
            boolean trace = o.err().contains("\tat ") || o.err().contains("Exception in thread") || o.err().contains("Caused by");
            boolean oneLine = o.err().lines().count() == 1 && o.err().startsWith("moe: ");
            if (o.status() == 0) {
                accepted++;
            } else if (o.status() == 2 && oneLine && !trace) {
                clear++;
            } else if (o.status() == 1 && oneLine && o.err().startsWith("moe: out of memory")) {
                outOfMemory++;
            } else {
                problems.add(o.name() + ": exit " + o.status() + ": " + o.err().strip());
            }
            if (trace) {
                problems.add(o.name() + ": printed a stack trace");
            }
            if (o.damaged()) {
                problems.add(o.name() + ": changed or left a file");
            }
        }
        long traces = outcomes.stream().filter(o -> o.err().contains("\tat ")).count();
        long damaged = outcomes.stream().filter(Outcome::damaged).count();
        System.out.printf("bad-input sweep: %d inputs tried, %d clear errors (exit 2, one line), %d accepted (exit 0), %d out of memory "
                        + "(exit 1, one line), %d stack traces, %d damaged files%n", outcomes.size(), clear, accepted,
                outOfMemory, traces, damaged);
        outcomes.stream().filter(o -> o.status() == 0).forEach(o -> System.out.println("  accepted: " + o.name()));
        // Accepted, rightly: predict ignores the label column; a manifest without the newer plugins/labelColumn keys is an
        // older bundle; an anchor nobody aliases changes nothing; a patience alone uses the default early stopping; a file
        // separated by ';' or tabs is read with its separator (predict and evaluate -m, four runs).
        assertEquals(19, accepted, "the accepted inputs are the ones listed above");
        assertEquals(List.of(), problems);
        assertTrue(outcomes.size() >= 200, outcomes.size() + " inputs");
    }

    private void rewrite(String entry, java.util.function.UnaryOperator<byte[]> change) throws Exception {
        try (ZipFile zip = new ZipFile(model.toFile());
             ZipOutputStream copy = new ZipOutputStream(Files.newOutputStream(dir.resolve("bad.moe")))) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                byte[] out = e.getName().equals(entry) ? change.apply(bytes) : bytes;
                if (out != null) {
                    copy.putNextEntry(new ZipEntry(e.getName()));
                    copy.write(out);
                    copy.closeEntry();
                }
            }
        }
    }

    private void runBundle(String name) throws Exception {
        run(name, "predict", "-m", dir.resolve("bad.moe").toString(), "--input", data.toString(), "--output", dir.resolve("out.csv").toString());
        Files.delete(dir.resolve("bad.moe"));
    }

    /** Removes what an accepted command wrote, so the next case starts from the same files. */
    static final class SafetyTestFiles {
        static void delete(Path p) throws java.io.IOException {
            dev.moe.runtime.io.OutputTarget.deleteTree(p);
        }
    }
}
