package dev.moe.cli;

import com.google.inject.Guice;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SaveRequest;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = "  moe train examples/seed-experiment.yaml -o model.moe",
        description = {"Train the configured experts and gate on one seed and save the mixture as a bundle "
                + "(a zip: manifest, gate, experts), for `moe predict` and `moe evaluate -m`.",
                "An existing file is replaced only with --overwrite, atomically: an interrupted run leaves the previous one intact."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The experiment's YAML config.")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", converter = OutputFile.class, required = true, description = "Where to save the mixture, e.g. model.moe.")
    Path output;

    @Option(names = "--seed", paramLabel = "N", description = "The seed to train with (default: the config's, else 42); the config's repeat is ignored.")
    Long seed;

    @Option(names = "--strategy", paramLabel = "NAME", completionCandidates = StrategyNames.class, description = "Routing strategy, overriding the config's (its params are kept only if the name is the same).")
    String strategy;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr and no summary on stdout.")
    boolean quiet;

    @Mixin
    PluginOptions pluginOptions;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() {
        BackendNotice.logFallback(spec.commandLine().getErr());
        MoeConfig c = ConfigLoader.load(config);
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (strategy != null && !strategy.equals(c.routing().strategyOrDefault())) {
            c = c.withRouting(new MoeConfig.RoutingConfig(strategy, null));
        }
        // Checked and locked before hours of training, not after: a writable file, not an input, not another's.
        List<OutputTarget.Input> inputs = CommandInputs.ofConfig(config, c, pluginOptions.folder(c.baseDirectory()));
        try (OutputTarget target = OutputTarget.claim(output, "model bundle", outputOptions.overwrite, inputs);
             CommandInputs.Claims saves = CommandInputs.claimSaves(c, outputOptions.overwrite, inputs)) {
            if (target.kind() != OutputTarget.Kind.FILE) {
                throw new MoeException(output + ": a model bundle is a zip file; give a file name for it");
            }
            String configText = readConfig();
            ProviderRegistry registry = pluginOptions.registry(c.baseDirectory());
            Main.checkStrategyOption(strategy, registry);
            new BundleWriter(registry).refuseNeverSaved(c.experts(), output);
            Experiment.TrainedRun run;
            try (ConsoleProgress progress = ConsoleProgress.forTerminal(quiet)) {
                Experiment experiment = Guice.createInjector(new MoeModule(c, registry)).getInstance(Experiment.class);
                run = experiment.train(c.seedOrDefault(), "", progress);
            } catch (RuntimeException e) {
                throw Main.locatedIn(c, e);
            }
            try (MixtureModel trained = run.model()) {
                BundleManifest manifest = new BundleWriter(registry).write(run.saveRequest(c, registry, configText), output);
                if (!quiet) {
                    summary(spec.commandLine().getOut(), run, manifest);
                }
            }
        }
        return 0;
    }

    private String readConfig() {
        try {
            return Files.readString(config);
        } catch (IOException e) {
            throw new MoeException("cannot read config file " + config + ": " + e.getMessage());
        }
    }

    private void summary(PrintWriter out, Experiment.TrainedRun run, BundleManifest manifest) {
        StringBuilder experts = new StringBuilder();
        for (BundleManifest.ExpertEntry e : manifest.experts()) {
            experts.append(experts.length() == 0 ? "" : ", ").append(e.id()).append(" (").append(e.provider())
                    .append(BundleFormat.REFERENCE.equals(e.storage()) ? ", by reference" : "")
                    .append(')');
        }
        long size;
        try {
            size = Files.size(output);
        } catch (IOException e) {
            size = -1;
        }
        out.printf(Locale.ROOT, "saved %s (%s): %d experts: %s%n", output, size < 0 ? "?" : humanSize(size),
                run.model().experts().size(), experts);
        out.printf(Locale.ROOT, "strategy %s (%s); %d features, %d labels; seed %d%n", manifest.strategy().name(),
                manifest.strategy().description(), manifest.featureNames().size(), manifest.labelNames().size(), run.seed());
        if (!run.gate().candidates().isEmpty()) {
            out.printf(Locale.ROOT, "combiner %s, chosen by cross-validation on the training rows among %s%n",
                    run.gate().chosen(), String.join(", ", run.gate().candidates().stream()
                            .map(dev.moe.gating.training.GateSelection.Score::candidate).toList()));
        }
        BundleManifest.Provenance p = manifest.provenance();
        if (p.testAccuracy() != null) {
            out.printf(Locale.ROOT, "test accuracy %.3f on %d held-out rows of %s%n", p.testAccuracy(), p.testRows(), p.data());
        }
        out.flush();
    }

    static String humanSize(long bytes) {
        if (bytes < 10_000) {
            return bytes + " bytes";
        }
        return bytes < 10_000_000 ? (bytes + 512) / 1024 + " KiB" : (bytes + (1 << 19)) / (1 << 20) + " MiB";
    }
}
