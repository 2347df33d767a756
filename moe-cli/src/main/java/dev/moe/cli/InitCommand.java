package dev.moe.cli;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.io.AtomicFiles;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.starter.CsvProfile;
import dev.moe.runtime.starter.StarterConfig;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = {"  moe init data/pima.csv && moe evaluate pima.yaml"},
        description = {"Write a first config for your own CSV file: its label, which columns are numeric features (those"
                + " with gaps filled), categories or left out (each with its reason, in a comment), and five experts of different kinds with the gate at its defaults.",
                "The label is --label, else a column named 'label', else the last column."})
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The CSV file (a header row; RFC 4180; gzip allowed).")
    Path data;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", converter = OutputFile.class,
            description = "Where to write the config (default: NAME.yaml in the current folder, after the data file; - for standard output).")
    Path output;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column (default: 'label' if the file has one, else the last column).")
    String label;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() {
        if (OutputTarget.isDash(data)) {
            throw new MoeException("moe init reads a file, not standard input: the config it writes names the file");
        }
        Path target = output != null ? output : Path.of(stem(data.getFileName().toString()) + ".yaml");
        List<OutputTarget.Input> inputs = List.of(OutputTarget.input(data, "the data file"));
        try (OutputTarget claim = OutputTarget.claim(target, "config", outputOptions.overwrite, inputs)) {
            boolean toStdout = claim.isStdout();
            Path folder = toStdout ? Path.of("").toAbsolutePath() : target.toAbsolutePath().getParent();
            CsvProfile profile = CsvProfile.read(data);
            StarterConfig starter = StarterConfig.of(profile, label, dataPath(folder, data), toStdout ? Path.of("-") : target);
            if (toStdout) {
                spec.commandLine().getOut().print(starter.text());
                spec.commandLine().getOut().flush();
            } else {
                AtomicFiles.write(target, "config", out -> out.write(starter.text().getBytes(StandardCharsets.UTF_8)));
                claim.written();
            }
            PrintWriter say = toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
            summary(say, starter, toStdout ? null : target);
            say.flush();
        }
        return 0;
    }

    private static void summary(PrintWriter say, StarterConfig s, Path written) {
        say.printf(Locale.ROOT, "%s: label '%s' (%d labels), %d rows%s; %d numeric feature%s%s, %d categorical, %d left out%n",
                written == null ? "config written" : "wrote " + written, s.label(), s.labels(), s.rows(),
                s.sampled() > 0 ? " (a sample of " + s.sampled() + " per repeat: data.rows)" : "",
                s.numeric().size(), s.numeric().size() == 1 ? "" : "s",
                s.filled().isEmpty() ? "" : " (" + s.filled().size() + " with missing cells, filled: data.fill)",
                s.categorical().size(), s.ignored().size());
        if (!s.categorical().isEmpty()) {
            // As many names as fit a 100-column line, then how many more: the config lists them all.
            StringBuilder line = new StringBuilder("  categorical: ");
            int shown = 0;
            for (String name : s.categorical()) {
                if (shown > 0 && line.length() + name.length() + 2 + " and 999 more".length() > 100) {
                    break;
                }
                line.append(shown++ > 0 ? ", " : "").append(name);
            }
            say.println(line + (shown < s.categorical().size() ? " and " + (s.categorical().size() - shown) + " more" : ""));
        }
        for (Map.Entry<String, String> e : s.ignored().entrySet()) {
            say.println("  left out '" + e.getKey() + "': " + e.getValue());
        }
        for (String w : s.warnings()) {
            say.println("  warning: " + w);
        }
        if (written != null) {
            say.println("next: moe evaluate " + written);
        }
    }

    /** The data file's path as seen from the config's folder, with '/' separators; absolute on another root. */
    static String dataPath(Path configFolder, Path data) {
        Path file = data.toAbsolutePath().normalize();
        try {
            return configFolder.normalize().relativize(file).toString().replace(File.separatorChar, '/');
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    /** {@code pima.csv.gz} -> {@code pima}. */
    static String stem(String fileName) {
        String s = fileName;
        for (String ending : List.of(".gz", ".csv", ".txt")) {
            if (s.toLowerCase(Locale.ROOT).endsWith(ending) && s.length() > ending.length()) {
                s = s.substring(0, s.length() - ending.length());
            }
        }
        return s;
    }
}
