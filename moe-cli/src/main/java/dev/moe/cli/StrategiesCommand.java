package dev.moe.cli;

import dev.moe.api.RoutingStrategyProvider;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "strategies", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = "  moe strategies",
        description = "List the routing strategies a config can name in routing.strategy, with their parameters.")
final class StrategiesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginOptions pluginOptions;

    @Override
    public Integer call() {
        PluginOptions.Listing listing = pluginOptions.listing(Path.of("").toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        for (ProviderRegistry.Found<RoutingStrategyProvider> found : listing.registry().routingProviders().values()) {
            RoutingStrategyProvider p = found.provider();
            out.printf("%s  (%s)%n    %s%n", p.name(), found.describe(), p.description());
            for (Map.Entry<String, String> param : new TreeMap<>(p.parameters()).entrySet()) {
                out.printf("    %-14s %s%n", param.getKey(), param.getValue());
            }
        }
        return listing.finish(spec);
    }
}
