package dev.moe.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.scoring.AbsentLabels;
import dev.moe.runtime.evaluation.RepeatOutputs;
import dev.moe.runtime.report.HtmlReport;
import dev.moe.runtime.report.OutputsCsv;
import dev.moe.runtime.report.ReportWriter;
import dev.moe.runtime.io.OutputTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER, Main.EXIT_CLOSED_PIPE},
        footerHeading = "%nExamples:%n",
        // The first line is the one `moe --help` lists: it names both uses.
        description = {"Train a config's experts and combiner, and report the test accuracy of each expert, the baselines "
                        + "and the mixture; or, with -m, of a saved mixture on labelled rows.",
                "With -m FILE --data DATA.csv: evaluate a saved mixture (from `moe train`) on labelled rows instead, without training."},
        footer = {"  moe evaluate examples/seed-experiment.yaml --repeat 3 --html report.html",
                "  moe evaluate -m model.moe --data examples/data/wine.csv"})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "The experiment's YAML config (without -m). With -m, a labelled CSV is accepted here too, as --data.")
    Path config;

    // -i/--input as well: moe predict's name for its rows, so that a script switching between the two keeps its options.
    @Option(names = {"--data", "-i", "--input"}, paramLabel = "FILE",
            description = "With -m: the labelled CSV file (with the mixture's feature columns and its label column) to evaluate on.")
    Path data;

    @Option(names = "--repeat", paramLabel = "N", description = "Run N seeds and report mean ± std (default: the config's, else 1).")
    Integer repeat;

    @Option(names = "--seed", paramLabel = "N", description = "Base seed; repeat r uses seed + r (default: the config's, else 42).")
    Long seed;

    @Option(names = "--strategy", paramLabel = "NAME", completionCandidates = StrategyNames.class, description = "Routing strategy, overriding the config's (its params are kept only if the name is the same).")
    String strategy;

    @Option(names = "--json", paramLabel = "FILE", converter = OutputFile.class, description = "Also write the report as JSON (- for standard output, instead of the table).")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", converter = OutputFile.class, description = "Also write a self-contained HTML report with charts.")
    Path html;

    @Option(names = "--outputs", paramLabel = "FILE", converter = OutputFile.class,
            description = "Also write every repeat's rows as the combiner and the test saw them, as CSV: each expert's "
                    + "probabilities (out of fold on the combiner's rows), the features, the labels, the mixture's test "
                    + "probabilities and the combiner choice's folds and losses, to try another combiner on the same rows.")
    Path outputs;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "Evaluate this saved mixture (from `moe train`) on --data instead of training a config.")
    Path model;

    @Mixin
    PluginOptions pluginOptions;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() {
        // The progress line from the start: ND4J's backend alone takes seconds to load. Not for -m, which trains nothing.
        try (ConsoleProgress progress = ConsoleProgress.forTerminal(quiet || model != null)) {
            return run(progress);
        }
    }

    private Integer run(ConsoleProgress progress) {
        BackendNotice.logFallback(spec.commandLine().getErr());
        if (model != null) {
            if (outputs != null) {
                throw new dev.moe.runtime.MoeException("--outputs applies when a config is trained (moe evaluate CONFIG --outputs FILE): "
                        + "a saved mixture has no combiner's rows to write; moe predict -m writes its predictions");
            }
            return SavedMixtureEvaluation.run(spec, model, labelledData(), json, html, commandLine(), pluginOptions,
                    outputOptions.overwrite, repeat != null || seed != null || strategy != null);
        }
        if (data != null) {
            throw new dev.moe.runtime.MoeException("--data applies with -m (a saved mixture); to train and evaluate, give the config: "
                    + "moe evaluate CONFIG");
        }
        if (config == null) {
            throw new dev.moe.runtime.MoeException("give the config to train and evaluate (moe evaluate CONFIG), "
                    + "or a saved mixture and labelled data (moe evaluate -m FILE --data DATA.csv)");
        }
        MoeConfig c = ConfigLoader.load(config);
        if (repeat != null) {
            if (repeat < 1) {
                throw new dev.moe.runtime.MoeException("--repeat must be at least 1, got " + repeat);
            }
            c = c.withRepeat(repeat);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (strategy != null && !strategy.equals(c.routing().strategyOrDefault())) {
            c = c.withRouting(new MoeConfig.RoutingConfig(strategy, null));
        }
        CommandInputs.distinct(json, "--json", html, "--html");
        CommandInputs.distinct(json, "--json", outputs, "--outputs");
        CommandInputs.distinct(html, "--html", outputs, "--outputs");
        List<OutputTarget.Input> inputs = CommandInputs.ofConfig(config, c, pluginOptions.folder(c.baseDirectory()));
        // Every output is checked and locked before the run, so that a bad one fails before minutes of training.
        progress.repeats(c.repeatOrDefault());
        try (OutputTarget jsonTarget = json == null ? null : OutputTarget.claim(json, "JSON report", outputOptions.overwrite, inputs);
             OutputTarget htmlTarget = html == null ? null : OutputTarget.claim(html, "HTML report", outputOptions.overwrite, inputs);
             OutputTarget outputsTarget = outputs == null ? null : OutputTarget.claim(outputs, "outputs CSV", outputOptions.overwrite, inputs);
             CommandInputs.Claims saves = CommandInputs.claimSaves(c, outputOptions.overwrite, inputs)) {
            ProviderRegistry registry = pluginOptions.registry(c.baseDirectory());
            Main.checkStrategyOption(strategy, registry);
            EvaluationReport report;
            List<RepeatOutputs> repeatOutputs = new java.util.ArrayList<>();
            try {
                Injector injector = Guice.createInjector(new MoeModule(c, registry));
                Experiment experiment = injector.getInstance(Experiment.class);
                report = EvaluationReport.aggregate(c, experiment.strategy(), experiment.run(progress, outputs == null ? null : repeatOutputs::add))
                        .withUnlabelledRows(experiment.unlabelledRows());
                report = report.withNoticesFirst(java.util.stream.Stream.concat(experiment.notices().stream(),
                        AbsentLabels.notices(experiment.absentLabels(), report).stream()).toList());
            } catch (RuntimeException e) {
                throw Main.locatedIn(c, e);
            }
            progress.close(); // the line is cleared before the results are printed
            boolean tableToStdout = (jsonTarget == null || !jsonTarget.isStdout()) && (htmlTarget == null || !htmlTarget.isStdout())
                    && (outputsTarget == null || !outputsTarget.isStdout());
            if (tableToStdout) {
                spec.commandLine().getOut().print(ReportWriter.table(report, ConsoleProgress.stdoutColumns()));
                spec.commandLine().getOut().flush();
                if (!quiet && ConsoleProgress.stderrIsTerminal()) {
                    // A hint for a person at a terminal, on stderr: stdout stays the report alone.
                    spec.commandLine().getErr().print(explainHint(ConsoleProgress.stderrColumns()));
                    spec.commandLine().getErr().flush();
                }
            }
            if (json != null) {
                ReportWriter.writeJson(report, json);
            }
            if (html != null) {
                HtmlReport.write(report, config, html, commandLine());
            }
            if (outputs != null) {
                OutputsCsv.write(repeatOutputs, outputs);
            }
        }
        return 0;
    }

    /** How this command was typed, for the HTML report's header: moe and its arguments (the top-level ones), quoted where needed. */
    /**
     * The hint a person at a terminal gets after the table, wrapped at {@code columns} between words as the table's
     * sentences are (the terminal broke it mid-word below 72 columns: "'oracl" / "e accuracy'").
     */
    static String explainHint(int columns) {
        return ReportWriter.wrap("what a figure means: moe explain (or e.g. moe explain 'oracle accuracy')", columns);
    }

    private String commandLine() {
        StringBuilder b = new StringBuilder("moe");
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            b.append(' ').append(arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    /**
     * The labelled CSV for -m: {@code --data}, or the positional argument as before (kept for scripts). A config
     * there is the old mistake of reading the positional argument as a config: refused in one line.
     */
    private Path labelledData() {
        if (data != null && config != null) {
            throw new dev.moe.runtime.MoeException("give the labelled data once: --data " + data + " or " + config + ", not both");
        }
        if (data == null && config == null) {
            throw new dev.moe.runtime.MoeException("with -m, give the labelled CSV file to evaluate on: moe evaluate -m " + model + " --data DATA.csv");
        }
        Path csv = data != null ? data : config;
        if (csv.getFileName() != null && csv.getFileName().toString().matches("(?i).*\\.ya?ml")) {
            throw new dev.moe.runtime.MoeException(csv + ": with -m the argument is the labelled CSV to evaluate on, not a config "
                    + "(moe evaluate -m " + model + " --data DATA.csv)");
        }
        return csv;
    }
}
