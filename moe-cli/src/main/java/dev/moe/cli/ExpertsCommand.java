package dev.moe.cli;

import dev.moe.api.ExpertProvider;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "experts", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = "  moe experts --plugins plugins/",
        description = "List every expert provider found on the class path and in the plugins folder.")
final class ExpertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginOptions pluginOptions;

    @Override
    public Integer call() {
        ProviderRegistry registry = pluginOptions.registry(Path.of("").toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        for (ProviderRegistry.Found<ExpertProvider> found : registry.expertProviders().values()) {
            ExpertProvider p = found.provider();
            out.printf("%s  (%s; from %s)%n    %s%n", p.name(), p.canTrain() ? "loads and trains" : "loads", found.origin(),
                    p.description());
        }
        out.flush();
        return 0;
    }
}
