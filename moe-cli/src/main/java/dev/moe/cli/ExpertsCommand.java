package dev.moe.cli;

import dev.moe.api.ExpertProvider;
import dev.moe.api.ParameterSpec;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "experts", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = "  moe experts --plugins plugins/",
        description = "List every expert provider found on the class path and in the plugins folder, with the parameters each declares.")
final class ExpertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginOptions pluginOptions;

    @Override
    public Integer call() {
        PluginOptions.Listing listing = pluginOptions.listing(Path.of("").toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        for (ProviderRegistry.Found<ExpertProvider> found : listing.registry().expertProviders().values()) {
            ExpertProvider p = found.provider();
            out.printf("%s  (%s; from %s)%n    %s%n", p.name(), abilities(p), found.describe(), p.description());
            List<ParameterSpec> parameters = p.parameters();
            int width = parameters.stream().mapToInt(s -> s.name().length() + s.type().label().length()).max().orElse(0) + 3;
            for (ParameterSpec s : parameters) {
                String nameAndType = s.name() + " (" + s.type().label() + ")";
                out.printf("      %-" + width + "s  %s%s%s%n", nameAndType, s.description(),
                        s.choices().isEmpty() ? "" : "; one of " + String.join(" | ", s.choices()),
                        s.defaultValue() == null ? "" : "; default " + s.defaultValue());
            }
        }
        return listing.finish(spec);
    }

    private static String abilities(ExpertProvider p) {
        if (p.canLoad() && p.canTrain()) {
            return "loads and trains";
        }
        return p.canTrain() ? "trains" : "loads";
    }
}
