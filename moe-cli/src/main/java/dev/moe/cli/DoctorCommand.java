package dev.moe.cli;

import dev.moe.runtime.doctor.EnvironmentReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = "  moe doctor --plugins plugins/",
        description = "Report Java, the ND4J backend and BLAS, threads, the OpenBLAS kernel, memory, and every provider and strategy found.")
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginOptions pluginOptions;

    @Override
    public Integer call() {
        Path here = Path.of("").toAbsolutePath();
        // A plugin that cannot load is what a doctor is asked about: the machine and the rest, then the plugin's error.
        PluginOptions.Listing listing = pluginOptions.listing(here);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(java.util.Locale.ROOT, "%-20s %s%n", "moe", dev.moe.runtime.MoeVersion.get());
        Path folder;
        try {
            folder = pluginOptions.folder(here);
        } catch (dev.moe.runtime.MoeException e) {
            folder = Path.of(System.getenv("MOE_PLUGINS")); // names no folder: the listing's error, last, says so
        }
        out.print(EnvironmentReport.render(listing.registry(), folder));
        return listing.finish(spec);
    }
}
