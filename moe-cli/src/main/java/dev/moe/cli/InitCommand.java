package dev.moe.cli;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.io.AtomicFiles;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.report.ReportWriter;
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
                "The label is --label, else a column named 'label', else the last column, unless that cannot be one (many"
                + " numbers, a value for most rows) and a column is named 'class' or 'target'."})
final class InitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATA.csv", description = "The CSV file (a header row; RFC 4180, or separated by ';', where decimal"
            + " commas are read, or tabs; UTF-8, else read as Windows-1252; gzip allowed).")
    Path data;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", converter = OutputFile.class,
            description = "Where to write the config (default: NAME.yaml in the current folder, after the data file; - for standard output).")
    Path output;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column (default: 'label' if the file has one, else the last column"
            + " or, where that cannot be a label, one named 'class' or 'target').")
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
            say.print(summary(starter, profile, toStdout ? null : target,
                    toStdout ? ConsoleProgress.stderrColumns() : ConsoleProgress.stdoutColumns()));
            say.flush();
        }
        return 0;
    }

    /**
     * What was decided, each line wrapped between words at the terminal's width ({@code columns}), as the report's
     * sentences are: at 80 columns the one long line had broken mid-word.
     */
    static String summary(StarterConfig s, Path written, int columns) {
        return summary(s, null, written, columns);
    }

    /**
     * As {@link #summary(StarterConfig, Path, int)}, saying that a ';' file's decimal commas were read as numbers (a
     * European spreadsheet's export, understood), and warning when a cell beside them looks like 35.000.
     */
    static String summary(StarterConfig s, CsvProfile profile, Path written, int columns) {
        String decimalComma = profile == null ? null : profile.firstDecimalComma();
        StringBuilder out = new StringBuilder();
        line(out, String.format(Locale.ROOT, "%s: label '%s' (%d labels), %d rows%s", written == null ? "config written" : "wrote " + written,
                s.label(), s.labels(), s.rows(), s.sampled() > 0 ? " (a sample of " + s.sampled() + " per repeat: data.rows)" : ""), columns);
        if (decimalComma != null) {
            line(out, "  separated by ';', with decimal commas, read as numbers (the first: '" + decimalComma + "' is "
                    + CsvSource.pointed(decimalComma) + ")", columns);
        }
        if (s.lastColumn()) {
            // A guess (R's data frames often hold the label first), said as one, with the way to change it.
            line(out, "  the label is the last column: --label COLUMN names another", columns);
        }
        line(out, String.format(Locale.ROOT, "  features: %d numeric%s, %d categorical, %d left out", s.numeric().size(),
                s.filled().isEmpty() ? "" : " (" + s.filled().size() + " with missing cells, filled: data.fill)",
                s.categorical().size(), s.ignored().size()), columns);
        if (!s.categorical().isEmpty()) {
            // As many names as fit one line, then how many more: the config lists them all.
            int width = Math.max(40, Math.min(100, columns));
            // How many features their one-hot encoding makes: what a wide file's run time grows with.
            StringBuilder names = new StringBuilder("  categorical (" + s.levels() + " one-hot features): ");
            int shown = 0;
            for (String name : s.categorical()) {
                if (shown > 0 && names.length() + name.length() + 2 + " and 999 more".length() > width) {
                    break;
                }
                names.append(shown++ > 0 ? ", " : "").append(name);
            }
            out.append(names).append(shown < s.categorical().size() ? " and " + (s.categorical().size() - shown) + " more" : "")
                    .append(System.lineSeparator());
        }
        for (Map.Entry<String, String> e : s.ignored().entrySet()) {
            line(out, "  left out " + StarterConfig.columnName(e.getKey()) + ": " + e.getValue(), columns);
        }
        if (!s.unlabelled().isEmpty()) {
            long n = s.unlabelledRows();
            line(out, "  left out " + n + (n == 1 ? " row" : " rows") + " without a label (" + String.join(", ", s.unlabelled().keySet()
                    .stream().map(c -> "'" + c + "'").toList()) + "): data.unlabelled", columns);
        }
        for (String w : s.warnings()) {
            line(out, "  warning: " + w, columns);
        }
        if (decimalComma != null && profile.firstThousandsPoint() != null) {
            // Excel writes what a cell shows: with "use 1000 separator" on, 35000 is 35.000 beside 0,5.
            CsvSource.Cell cell = profile.firstThousandsPoint();
            line(out, "  warning: '" + cell.column() + "': '" + cell.text() + "' has a point and groups of three digits in a file with"
                    + " decimal commas: a thousands separator? moe reads the point as a decimal point; save the numbers"
                    + " without thousands separators", columns);
        }
        if (written != null) {
            line(out, "next: moe evaluate " + written, columns);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String text, int columns) {
        out.append(ReportWriter.wrap(text, columns));
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
        for (String ending : List.of(".gz", ".csv", ".tsv", ".txt")) {
            if (s.toLowerCase(Locale.ROOT).endsWith(ending) && s.length() > ending.length()) {
                s = s.substring(0, s.length() - ending.length());
            }
        }
        return s;
    }
}
