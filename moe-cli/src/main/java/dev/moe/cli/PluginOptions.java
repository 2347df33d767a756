package dev.moe.cli;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --plugins DIR}: the plugins folder, else {@code MOE_PLUGINS}, else {@code plugins/} beside the config (for a
 * config only: a saved mixture loads only the plugins it records, from a folder the user named).
 */
final class PluginOptions {

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "Folder of plugin jars and sub-folders (default: $MOE_PLUGINS).")
    Path plugins;

    @Option(names = "--debug", description = "Log at debug level on stderr, and print stack traces of errors.")
    boolean debug;

    /** Read by {@link Logging} from the arguments, before any logger exists; here for help and parsing. */
    @Option(names = "--verbose", description = "Log what moe does on stderr (info level).")
    boolean verbose;

    @Option(names = "--allow-referenced-files",
            description = "Let a saved mixture's experts stored by reference read files their parameters name outside any plugin "
                    + "(refused by default: a bundle from elsewhere could name any file).")
    boolean allowReferencedFiles;

    /**
     * Fits the shared options' help to each command: where {@code --plugins} defaults to differs (beside the config,
     * the current folder, or nowhere for a saved mixture), and {@code --allow-referenced-files} means something only
     * to the commands that read a saved mixture (elsewhere it is still accepted, and hidden).
     */
    static void fitHelp(picocli.CommandLine cli) {
        for (picocli.CommandLine sub : cli.getSubcommands().values()) {
            picocli.CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            String name = spec.name();
            picocli.CommandLine.Model.OptionSpec plugins = spec.findOption("--plugins");
            String where = switch (name) {
                case "train" -> "Folder of plugin jars and sub-folders (default: $MOE_PLUGINS, else plugins/ beside the config).";
                case "evaluate" -> "Folder of plugin jars and sub-folders (default: $MOE_PLUGINS, else plugins/ beside the config). "
                        + "With -m, the jars the saved mixture records are loaded from here or $MOE_PLUGINS only, never from beside the bundle.";
                case "predict" -> "Folder holding the plugin jars the saved mixture records (default: $MOE_PLUGINS); "
                        + "only those jars are loaded, and never from a folder beside the bundle.";
                case "inspect" -> "Folder in which to check the plugin jars the saved mixture records, as predict would "
                        + "(default: $MOE_PLUGINS); none of their code is loaded.";
                case "experts", "strategies", "doctor" -> "Folder of plugin jars and sub-folders (default: $MOE_PLUGINS, else plugins/ in the current folder).";
                default -> null;
            };
            if (plugins != null && where != null) {
                spec.remove(plugins);
                spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(plugins).description(where).build());
            }
            // What --verbose adds differs too: predict trains nothing, inspect runs no code at all.
            picocli.CommandLine.Model.OptionSpec verbose = spec.findOption("--verbose");
            String logs = switch (name) {
                case "train", "evaluate" -> "Log what moe does on stderr: plugins loaded, each expert trained (rows, time), "
                        + "the combiner chosen with every candidate's log-loss.";
                case "predict" -> "Log what moe does on stderr: the plugins loaded.";
                case "inspect" -> "Log at info level on stderr (inspect loads no provider or plugin code: it adds little).";
                case "experts", "strategies", "doctor" -> "Log what moe does on stderr: plugins loaded, ND4J's backend.";
                default -> null;
            };
            if (verbose != null && logs != null) {
                spec.remove(verbose);
                spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(verbose).description(logs).build());
            }
            picocli.CommandLine.Model.OptionSpec referenced = spec.findOption("--allow-referenced-files");
            if (referenced != null && !name.equals("predict") && !name.equals("evaluate")) {
                spec.remove(referenced);
                spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(referenced).hidden(true).build());
            }
        }
    }

    /**
     * A saved mixture, with exactly the plugins it records (checked by SHA-256), from {@code --plugins} or
     * {@code $MOE_PLUGINS}: never from a folder that merely sits beside the bundle, never a jar it does not name.
     */
    SavedMixture readBundle(Path model) {
        return BundleReader.withPluginConsent(folder(null), Main.class.getClassLoader())
                .allowingReferencedFiles(allowReferencedFiles).read(model);
    }

    ProviderRegistry registry(Path configFolder) {
        return ProviderRegistry.discover(Main.class.getClassLoader(), folder(configFolder));
    }

    /**
     * What a listing command (doctor, experts, strategies) reports: every provider found, or, when the plugins folder
     * does not load, the class path's with the plugins' error. A list of the rest helps more than the error alone.
     */
    Listing listing(Path configFolder) {
        try {
            return new Listing(registry(configFolder), null);
        } catch (MoeException e) {
            return new Listing(ProviderRegistry.fromClassPath(), e);
        }
    }

    /** @param pluginError why the plugins folder did not load; null when it did (or there is none) */
    record Listing(ProviderRegistry registry, MoeException pluginError) {

        /** After the listing: a line saying the plugins are missing from it, the error on stderr, and the exit code. */
        int finish(CommandSpec spec) {
            PrintWriter out = spec.commandLine().getOut();
            if (pluginError != null) {
                out.printf(java.util.Locale.ROOT, "%-20s %s%n", "plugins NOT loaded", "(the providers above are the class path's only)");
            }
            out.flush();
            if (pluginError == null) {
                return 0;
            }
            spec.commandLine().getErr().println("moe: " + pluginError.getMessage());
            spec.commandLine().getErr().flush();
            return Main.USER_ERROR;
        }
    }

    /** The plugins folder in force, or null for none. */
    Path folder(Path configFolder) {
        return folder(plugins, System.getenv("MOE_PLUGINS"), configFolder);
    }

    /**
     * {@code --plugins}, else {@code $MOE_PLUGINS}, else {@code plugins/} beside the config. A variable set long ago
     * is easily forgotten: when it names no folder, the error says it came from there.
     */
    static Path folder(Path option, String environment, Path configFolder) {
        Path folder = option;
        if (folder == null && environment != null && !environment.isBlank()) {
            folder = Path.of(environment);
            if (!Files.isDirectory(folder)) {
                throw new MoeException("$MOE_PLUGINS: plugins folder not found: " + folder
                        + " (point it at a folder of plugin jars, or unset it)");
            }
        }
        if (folder == null && configFolder != null) {
            Path beside = configFolder.resolve("plugins");
            folder = Files.isDirectory(beside) ? beside : null;
        }
        return folder;
    }
}
