package dev.moe.cli;

import dev.moe.runtime.doctor.EnvironmentReport;
import dev.moe.runtime.plugins.ProviderRegistry;
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
        ProviderRegistry registry = pluginOptions.registry(here);
        spec.commandLine().getOut().printf(java.util.Locale.ROOT, "%-20s %s%n", "moe", dev.moe.runtime.MoeVersion.get());
        spec.commandLine().getOut().print(EnvironmentReport.render(registry, pluginOptions.folder(here)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
