package dev.moe.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.moe.runtime.MoeModule;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.report.EvaluationReport;
import dev.moe.runtime.report.HtmlReport;
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
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = "  moe evaluate examples/seed-experiment.yaml --repeat 3 --html report.html",
        description = "Train the configured experts and gate, and report test accuracy of each expert and the mixture.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The experiment's YAML config.")
    Path config;

    @Option(names = "--repeat", paramLabel = "N", description = "Run N seeds and report mean ± std (default: the config's, else 1).")
    Integer repeat;

    @Option(names = "--seed", paramLabel = "N", description = "Base seed; repeat r uses seed + r (default: the config's, else 42).")
    Long seed;

    @Option(names = "--strategy", paramLabel = "NAME", description = "Routing strategy, overriding the config's (its params are kept only if the name is the same).")
    String strategy;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON (- for standard output, instead of the table).")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with charts.")
    Path html;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "Evaluate this saved mixture (from `moe train`) instead of training: CONFIG is then a labelled CSV file.")
    Path model;

    @Mixin
    PluginOptions pluginOptions;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() {
        BackendNotice.logFallback(spec.commandLine().getErr());
        if (model != null) {
            if (html != null) {
                throw new dev.moe.runtime.MoeException("--html applies to training a config; with -m, use --json");
            }
            return SavedMixtureEvaluation.run(spec, model, config, json, pluginOptions, outputOptions.overwrite,
                    repeat != null || seed != null || strategy != null);
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
        List<OutputTarget.Input> inputs = CommandInputs.ofConfig(config, c, pluginOptions.folder(c.baseDirectory()));
        // Both outputs are checked and locked before the run, so that a bad one fails before minutes of training.
        try (OutputTarget jsonTarget = json == null ? null : OutputTarget.claim(json, "JSON report", outputOptions.overwrite, inputs);
             OutputTarget htmlTarget = html == null ? null : OutputTarget.claim(html, "HTML report", outputOptions.overwrite, inputs);
             CommandInputs.Claims saves = CommandInputs.claimSaves(c, outputOptions.overwrite, inputs)) {
            ProviderRegistry registry = pluginOptions.registry(c.baseDirectory());
            EvaluationReport report;
            try {
                Injector injector = Guice.createInjector(new MoeModule(c, registry));
                Experiment experiment = injector.getInstance(Experiment.class);
                report = experiment.run(quiet ? ProgressListener.SILENT : ConsoleProgress.forTerminal());
            } catch (RuntimeException e) {
                throw Main.locatedIn(c, e);
            }
            boolean tableToStdout = (jsonTarget == null || !jsonTarget.isStdout()) && (htmlTarget == null || !htmlTarget.isStdout());
            if (tableToStdout) {
                spec.commandLine().getOut().print(ReportWriter.table(report));
                spec.commandLine().getOut().flush();
            }
            if (json != null) {
                ReportWriter.writeJson(report, json);
            }
            if (html != null) {
                HtmlReport.write(report, config, html);
            }
        }
        return 0;
    }
}
