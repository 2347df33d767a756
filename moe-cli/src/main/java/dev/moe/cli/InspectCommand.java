package dev.moe.cli;

import dev.moe.runtime.bundle.BundleInspection;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.io.AtomicFiles;
import dev.moe.runtime.io.OutputTarget;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code moe inspect FILE}: what a saved mixture is, where it comes from, whether it is intact and what it needs,
 * without running any of it ({@link BundleInspection}).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER, Main.EXIT_CLOSED_PIPE},
        footerHeading = "%nExamples:%n", footer = {"  moe inspect model.moe --plugins plugins/", "  moe inspect model.moe --json | jq .provenance"},
        description = {"Describe a saved mixture (from `moe train -o`) without running it.",
                "Who wrote it and when, the strategy and the gate, features and labels, each expert, where it came from "
                        + "(config, data, seed), and the plugin jars it needs, each checked against the plugins folder as "
                        + "`moe predict` would.",
                "It checks what loading checks (format version, every entry's size and SHA-256) and says 'verified', or names the "
                        + "first problem (exit 2). No expert, strategy or plugin code is loaded: an untrusted file is safe to inspect."})
final class InspectCommand implements Callable<Integer> {

    /** A list of names longer than this many characters is cut, with a count of the rest: lines stay readable. */
    static final int NAMES_WIDTH = 64;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The saved mixture (.moe).")
    Path model;

    @Option(names = "--json", paramLabel = "FILE", arity = "0..1", fallbackValue = "-", converter = OutputFile.class,
            description = "Write the description as one JSON object instead: to standard output, or to FILE (replaced only with --overwrite).")
    Path json;

    @Mixin
    PluginOptions pluginOptions;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() {
        if (model == null && json != null && !OutputTarget.isDash(json) && Files.isRegularFile(json)) {
            // `moe inspect --json m.moe`: --json took the bundle as its file; the user meant the JSON on stdout.
            model = json;
            json = Path.of("-");
        }
        if (model == null) {
            throw new picocli.CommandLine.MissingParameterException(spec.commandLine(), spec.positionalParameters().get(0),
                    "Missing required parameter: 'FILE'");
        }
        CommandInputs.notAConfig(model);
        Path plugins = pluginOptions.folder(null);
        PrintWriter out = spec.commandLine().getOut();
        if (json == null) {
            print(BundleInspection.of(model, plugins), out);
            return 0;
        }
        // Standard output (-) goes the same way as a file: written to the descriptor itself, so that a reader that
        // stopped early (| head) ends the command with 141, as it does predict's and evaluate's.
        try (OutputTarget target = OutputTarget.claim(json, "JSON description", outputOptions.overwrite,
                CommandInputs.ofModel(model, null, plugins))) {
            byte[] bytes = BundleInspection.of(model, plugins).json();
            AtomicFiles.write(json, "JSON description", stream -> {
                stream.write(bytes);
                stream.write('\n');
            });
        }
        return 0;
    }

    static void print(BundleInspection b, PrintWriter out) {
        long unpacked = b.entries().values().stream().mapToLong(BundleInspection.Entry::bytes).sum();
        field(out, "File", b.file() + ", " + TrainCommand.humanSize(b.fileBytes()) + " (" + TrainCommand.humanSize(unpacked) + " unpacked)");
        field(out, "Verified", "format version " + b.formatVersion() + "; its " + b.entries().size()
                + " entries have their recorded sizes and SHA-256");
        field(out, "Written by", b.createdBy() + (b.createdAt() == null ? "" : ", " + b.createdAt()));

        BundleInspection.Combiner c = b.combiner();
        out.println();
        out.println("Combiner");
        field(out, "  strategy", c.strategy() + (c.description() == null ? "" : ": " + c.description()));
        if (c.params() != null && !c.params().isEmpty()) {
            field(out, "  parameters", join(c.params(), v -> String.valueOf(v)));
        }
        if (c.origin() != null) {
            field(out, "  from", c.origin().startsWith("classpath (") ? "built in " + c.origin().substring("classpath ".length()) : c.origin());
        }
        // Averaging, the product and constant weights store a gate whose input weights are 0: what it reads says nothing.
        if (b.experts().get(0).exponent() != null) {
            field(out, "  exponents", "one per expert, the same for every row (below)");
        } else if (b.experts().get(0).weight() != null) {
            field(out, "  weights", "one per expert, the same for every row (below)");
        } else if (c.strategy().equals("uniform")) {
            field(out, "  weights", "equal: the experts' plain average");
        } else {
            List<String> layers = c.gateSizes().stream().map(String::valueOf).toList();
            String hidden = c.activations().isEmpty() ? "no hidden layer" : "hidden " + String.join(", ", c.activations());
            field(out, "  gate", "reads the " + c.gateInputs() + "; layers " + String.join(" -> ", layers) + " (" + hidden
                    + (c.dropout() != null && c.dropout() > 0 ? ", dropout " + c.dropout() : "") + "); " + c.parameters() + " parameters");
        }
        field(out, "  calibration", c.calibrated() ? "each expert's probabilities, by a temperature and a floor (below)" : "none");

        out.println();
        field(out, "Features", b.features().size() + ": " + shortened(b.features()));
        if (b.categorical() != null) {
            // The raw columns an input needs for these, and the levels each becomes (an unseen one: all zeros).
            field(out, "Categorical", b.categorical().size() + " column" + (b.categorical().size() == 1 ? "" : "s")
                    + ", one-hot (a level not listed, or a missing cell: all zeros)");
            int shown = b.categorical().size() > 10 ? 8 : b.categorical().size();
            for (BundleManifest.Categorical column : b.categorical().subList(0, shown)) {
                out.println("  " + column.column() + ": " + column.levels().size() + " level" + (column.levels().size() == 1 ? "" : "s")
                        + " " + shortened(column.levels()));
            }
            if (shown < b.categorical().size()) {
                out.println("  ... (" + (b.categorical().size() - shown) + " more; --json lists them all)");
            }
        }
        if (b.fill() != null) {
            // The value each gap takes, from the rows the mixture was fitted on; column=missing says it was one.
            field(out, "Filled", b.fill().size() + " numeric column" + (b.fill().size() == 1 ? "" : "s")
                    + ", a missing cell takes the median below (and its column=missing feature 1)");
            int shown = b.fill().size() > 10 ? 8 : b.fill().size();
            for (BundleManifest.Filled column : b.fill().subList(0, shown)) {
                out.println("  " + column.column() + ": median " + median(column.median()));
            }
            if (shown < b.fill().size()) {
                out.println("  ... (" + (b.fill().size() - shown) + " more; --json lists them all)");
            }
        }
        field(out, "Labels", b.labels().size() + (b.labelColumn() == null ? "" : " (column " + b.labelColumn() + ")") + ": "
                + shortened(b.labels()));
        if (b.unlabelled() != null) {
            field(out, "Unlabelled", "a label cell " + String.join(" or ", b.unlabelled().stream().map(t -> "'" + t + "'").toList())
                    + " meant no label: those rows were left out of training, and moe evaluate -m leaves them out too");
        }

        out.println();
        out.println("Experts (" + b.experts().size() + ")");
        printExperts(b, out);

        out.println();
        out.println("Provenance");
        printProvenance(b, out);

        out.println();
        printPlugins(b, out);
        out.println();
        out.println("Nothing in it was run: it is described from its manifest; no provider or plugin code was loaded.");
        out.flush();
    }

    private static void printExperts(BundleInspection b, PrintWriter out) {
        List<String> header = new ArrayList<>(List.of("id", "provider", "artifact", "from", "storage", "size"));
        boolean exponents = b.experts().get(0).exponent() != null;
        boolean weights = b.experts().get(0).weight() != null;
        boolean calibrated = b.combiner().calibrated();
        if (exponents) {
            header.add("exponent");
        }
        if (weights) {
            header.add("weight");
        }
        if (calibrated) {
            header.addAll(List.of("temperature", "floor"));
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (BundleInspection.Expert e : b.experts()) {
            List<String> row = new ArrayList<>();
            row.add(e.id());
            row.add(e.provider());
            row.add(e.plugin() == null ? "-" : e.plugin().artifact() == null ? e.plugin().jar()
                    : e.plugin().artifact() + (e.plugin().version() == null ? "" : " " + e.plugin().version()));
            row.add(e.origin() == null ? "-" : e.origin().startsWith("classpath") ? "built in" : "plugin");
            row.add(e.storage());
            row.add(e.bytes() == null ? "-" : TrainCommand.humanSize(e.bytes()));
            if (exponents) {
                row.add(number(e.exponent()));
            }
            if (weights) {
                row.add(number(e.weight()));
            }
            if (calibrated) {
                row.add(number(e.temperature()));
                row.add(number(e.floor()));
            }
            rows.add(row);
        }
        table(out, rows);
        for (BundleInspection.Expert e : b.experts()) {
            // The mixture aligns each expert's columns by name: only a different set says something.
            if (!Set.copyOf(e.features()).equals(Set.copyOf(b.features()))) {
                // A Tribuo model's own names (column@level, "sepalwidth ") are read from the features, not among them.
                out.println("  " + e.id() + " reads " + e.features().size()
                        + (b.features().containsAll(e.features()) ? " of the " + b.features().size() + " features: "
                                : " features by its own names, read from the " + b.features().size() + ": ")
                        + shortened(e.features()));
            }
            if (!Set.copyOf(e.labels()).equals(Set.copyOf(b.labels()))) {
                List<String> absent = b.labels().stream().filter(l -> !e.labels().contains(l)).toList();
                out.println("  " + e.id() + " predicts " + e.labels().size() + " of the " + b.labels().size() + " labels: "
                        + shortened(e.labels()) + (absent.isEmpty() ? "" : "; it gives " + shortened(absent) + " probability 0"));
            }
            if ("reference".equals(e.storage())) {
                // "loads it again from no parameters" read as a sentence cut short: with none, say so plainly.
                out.println("  " + e.id() + " is stored by reference: its plugin loads it again"
                        + (e.params() == null || e.params().isEmpty() ? ", with no parameters" : " from " + join(e.params(), String::valueOf)));
            }
        }
    }

    private static void printProvenance(BundleInspection b, PrintWriter out) {
        dev.moe.runtime.bundle.BundleManifest.Provenance p = b.provenance();
        if (p == null) {
            field(out, "  recorded", "nothing: the bundle does not say what it was trained from");
            return;
        }
        if (p.configFile() != null) {
            field(out, "  config", p.configFile() + (p.configEntry() == null ? " (no copy of it in the bundle)" : ""));
        } else if (p.configEntry() == null) {
            field(out, "  config", "none: it was saved from Java, with no config file");
        }
        if (b.configSha256() != null) {
            field(out, "  config SHA-256", b.configSha256() + " (a copy is in the bundle, as " + p.configEntry() + ")");
        }
        if (p.data() != null || p.dataSource() != null) {
            StringBuilder data = new StringBuilder(String.valueOf(p.data()));
            if (p.dataSource() != null && !p.dataSource().equals(p.data())) {
                data.append(" (").append(p.dataSource()).append(')');
            }
            if (p.dataRows() != null) {
                data.append(", ").append(p.dataRows()).append(" rows");
            }
            field(out, "  data", data.toString());
        }
        if (p.dataSha256() != null) {
            field(out, "  data SHA-256", p.dataSha256() + " (as read)");
        }
        if (p.dataFileSha256() != null) {
            field(out, "  file SHA-256", p.dataFileSha256() + " (the data file's bytes)");
        }
        if (p.seed() != null) {
            field(out, "  seed", String.valueOf(p.seed()));
        }
        if (p.testAccuracy() != null) {
            field(out, "  test", String.format(Locale.ROOT, "accuracy %.3f on %s held-out rows", p.testAccuracy(),
                    p.testRows() == null ? "?" : p.testRows()));
        }
        if (p.libraries() != null && !p.libraries().isEmpty()) {
            List<String> versions = new ArrayList<>();
            p.libraries().forEach((name, version) -> versions.add(name + " " + version));
            field(out, "  libraries", String.join(", ", versions));
        }
    }

    private static void printPlugins(BundleInspection b, PrintWriter out) {
        if (b.plugins().isEmpty()) {
            field(out, "Plugins", "none: every provider it names is built into moe");
            return;
        }
        out.println("Plugins (" + b.plugins().size() + ", the jars whose code it runs; "
                + (b.pluginsFolder() == null ? "no plugins folder given: --plugins DIR or $MOE_PLUGINS" : "looked for in " + b.pluginsFolder())
                + ")");
        for (BundleInspection.Plugin p : b.plugins()) {
            out.println("  " + (p.artifact() == null ? p.jar() + " (no Maven coordinates recorded)"
                    : p.artifact() + (p.version() == null ? "" : " " + p.version())));
            field(out, "    jar", p.jar());
            field(out, "    SHA-256", p.sha256() == null ? "not recorded (saved by an older moe: it will not be loaded)" : p.sha256());
            if (p.libraries() != null && !p.libraries().isEmpty()) {
                field(out, "    libraries", p.libraries().size() + " jars beside it, each with its SHA-256: "
                        + shortened(List.copyOf(p.libraries().keySet())));
            }
            field(out, "    status", switch (p.status()) {
                case unchecked -> "not checked (no plugins folder given)";
                case missing -> "missing from the plugins folder: moe predict would say it is not installed";
                case matches -> "present, with the recorded bytes";
                case differs -> "DIFFERS from what the bundle records: moe predict would refuse it";
                case unverifiable -> (p.found() == null ? "missing from the plugins folder" : "present")
                        + ", without its SHA-256 (saved by an older moe): moe predict would refuse it";
            });
            if (p.found() != null) {
                field(out, "    found", p.found());
            }
            if (p.problem() != null) {
                field(out, "    predict says", p.problem());
            }
        }
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "%-18s%s%n", name, value);
    }

    /** Columns padded to their widest cell, two spaces apart, indented under their heading. */
    private static void table(PrintWriter out, List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                line.append(i + 1 == row.size() ? row.get(i) : String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The names that fit in {@link #NAMES_WIDTH} characters, then how many more: the JSON has them all. */
    static String shortened(List<String> names) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String next = (i == 0 ? "" : ", ") + unambiguous(names.get(i));
            if (i > 0 && shown.length() + next.length() > NAMES_WIDTH) {
                return shown + ", ... (" + (names.size() - i) + " more)";
            }
            shown.append(next);
        }
        return shown.toString();
    }

    /** A name as the list shows it: quoted when a comma, an edge space or nothing would blur it with its neighbours. */
    static String unambiguous(String name) {
        return name.isEmpty() || name.contains(",") || !name.equals(name.strip()) || name.startsWith("'")
                ? "'" + name.replace("'", "''") + "'" : name;
    }

    private static <V> String join(Map<String, V> map, Function<V, String> value) {
        return String.join(", ", map.entrySet().stream().map(e -> e.getKey() + "=" + value.apply(e.getValue())).toList());
    }

    private static String number(Number value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3g", value.doubleValue());
    }

    /** A median as the float it is (29.0 reads 29, 0.1f reads 0.1, not 0.10000000149011612). */
    private static String median(double value) {
        float f = (float) value;
        return f == Math.rint(f) && Math.abs(f) < 1e7 ? String.valueOf((long) f) : Float.toString(f);
    }
}
