package dev.moe.cli;

import dev.moe.runtime.io.AtomicFiles;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.report.ReportComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER, CompareCommand.EXIT_WORSE},
        footerHeading = Main.EXAMPLE, footer = {"  moe compare before.json after.json    (each: moe evaluate CONFIG --json FILE)",
                "  moe compare runs/before runs/after --model uniform",
                "  moe compare last-release.json candidate.json --fail-if-worse",
                "  moe compare runs/before runs/after --json - | jq .all"},
        description = {"Compare two JSON reports of moe evaluate repeat by repeat: for every model both have, b's accuracy and"
                + " log-loss minus a's, paired over the repeats scored on the same rows, with its standard error.",
                "Two folders compare their reports of the same file name on one model (the mixture by default), a line each, and"
                        + " over all their repeats. Reports scored on other rows are refused."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The earlier JSON report (moe evaluate --json), or a folder of them.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The later one, or a folder: the differences are B - A.")
    Path b;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "moe",
            description = "The model two folders are compared on, and --fail-if-worse judges (default: ${DEFAULT-VALUE}, the mixture; or an expert's id, uniform, ...).")
    String model;

    @Option(names = "--fail-if-worse", description = "Exit with status 3 when B's model is lower than A's by more than 2"
            + " standard errors of the paired difference (with one repeat, lower at all): a check for a script or CI.")
    boolean failIfWorse;

    @Option(names = "--json", paramLabel = "FILE", converter = OutputFile.class,
            description = "Also write the comparison as JSON, every figure unrounded (- for standard output, instead of the table).")
    Path json;

    @Mixin
    OutputOptions outputOptions;

    /** B is worse, with --fail-if-worse. */
    static final String EXIT_WORSE = "3:with --fail-if-worse: B's model is lower than A's by more than 2 standard errors (one line on stderr)";

    @Override
    public Integer call() {
        // The output is checked before the reports are read, so that it can never replace one of them.
        try (OutputTarget target = json == null ? null
                : OutputTarget.claim(json, "JSON comparison", outputOptions.overwrite, reports())) {
            ReportComparison.Outcome outcome = ReportComparison.run(a, b, model, ConsoleProgress.stdoutColumns());
            if (json == null || !OutputTarget.isDash(json)) {
                spec.commandLine().getOut().print(outcome.text());
                spec.commandLine().getOut().flush();
            }
            if (json != null) {
                byte[] bytes = outcome.jsonBytes();
                AtomicFiles.write(json, "JSON comparison", stream -> stream.write(bytes));
            }
            return exit(outcome);
        }
    }

    private int exit(ReportComparison.Outcome outcome) {
        if (failIfWorse && outcome.worse()) {
            spec.commandLine().getErr().println("moe: " + outcome.worseLine());
            spec.commandLine().getErr().flush();
            return 3;
        }
        return 0;
    }

    /** The reports compared (a folder's JSON files), which the JSON output may not replace. */
    private List<OutputTarget.Input> reports() {
        List<OutputTarget.Input> inputs = new ArrayList<>();
        for (Path side : List.of(a, b)) {
            if (!Files.isDirectory(side)) {
                inputs.add(OutputTarget.input(side, "a report compared"));
                continue;
            }
            try (Stream<Path> files = Files.list(side)) {
                files.filter(p -> p.getFileName().toString().endsWith(".json"))
                        .forEach(p -> inputs.add(OutputTarget.input(p, "a report compared")));
            } catch (IOException e) {
                // unreadable: the comparison names the folder in its own words
            }
        }
        return inputs;
    }
}
