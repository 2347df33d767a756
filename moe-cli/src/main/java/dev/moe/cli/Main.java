package dev.moe.cli;

import dev.moe.api.ExpertException;
import dev.moe.api.ParameterException;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.Resources;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code moe} command. Exit status: 0 success, 2 a user error (one line on stderr naming the problem; also a
 * plugin whose code fails or does not link, naming its jar), 1 an internal error. {@code --debug} adds the stack trace.
 */
@Command(name = "moe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Mixtures of experts over pluggable, pretrained classifiers.",
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = Main.EXAMPLE, footer = "  moe evaluate examples/seed-experiment.yaml",
        subcommands = {InitCommand.class, EvaluateCommand.class, CompareCommand.class, ExpertsCommand.class, StrategiesCommand.class, DoctorCommand.class, TrainCommand.class, PredictCommand.class, InspectCommand.class, CompletionCommand.class, ExplainCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static final int USER_ERROR = 2;

    // Every command's help ends with its exit codes and one example (issue 16): a reader needs no guide.
    static final String EXIT_CODES = "%nExit codes:%n";
    static final String EXIT_OK = "0:success";
    static final String EXIT_INTERNAL = "1:an internal error, or the Java VM ran out of memory or stack (one line on stderr; --debug adds the stack trace)";
    static final String EXIT_USER = "2:a user error: a bad option, config, input or file (one line on stderr naming it)";
    static final String EXIT_CLOSED_PIPE = "141:standard output closed before the end (- as the output, piped into head): the reader had what it wanted";
    static final String EXAMPLE = "%nExample:%n";

    /** {@code moe --version}: the version the build has, the one a saved bundle records in createdBy. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"moe " + dev.moe.runtime.MoeVersion.get()};
        }
    }

    public static void main(String[] args) {
        ExitGuard.install();
        StandardOutput stdout = StandardOutput.install();
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(args, new PrintWriter(stdout.text(), true), err);
        ExitGuard.exit(stdout.finish(status, err));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Logging.configure(java.util.Arrays.asList(args));
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        PluginOptions.fitHelp(cli);
        // A mistyped option is a user error like any other: one line and exit 2, not the whole usage text.
        cli.setParameterExceptionHandler((e, args1) -> {
            CommandLine command = e.getCommandLine();
            String help = command == null || command.getCommandName().equals("moe") ? "moe --help" : "moe " + command.getCommandName() + " --help";
            err.println("moe: " + said(e, help, java.util.Arrays.asList(args1)));
            err.flush();
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            return report(e, err, debug);
        });
        try {
            return cli.execute(args);
        } catch (Error e) {
            // An Error passes picocli's handler (it takes Exceptions): out of memory or stack, a broken library.
            return report(e, err, java.util.Arrays.asList(args).contains("--debug"));
        }
    }

    /** The status of a process ended by a closed pipe (SIGPIPE), as a shell reports it. */
    static final int CLOSED_PIPE = 141;

    static int report(Throwable e, PrintWriter err, boolean debug) {
        Throwable userError = userErrorIn(e);
        if (userError instanceof dev.moe.runtime.io.OutputTarget.StandardOutputClosed) {
            return CLOSED_PIPE; // `moe predict ... --output - | head`: the reader has what it wanted
        }
        VirtualMachineError exhausted = Resources.exhausted(e);
        java.nio.file.Path plugin = userError == null && exhausted == null ? ProviderRegistry.pluginOf(e) : null;
        LinkageError broken = plugin != null ? linkageErrorIn(e) : null;
        if (userError != null) {
            err.println("moe: " + userError.getMessage());
        } else if (exhausted != null) {
            // Named when it ran out inside a plugin's code (its recursion, its allocation): whose code to look at.
            java.nio.file.Path where = ProviderRegistry.pluginOf(exhausted);
            err.println("moe: " + (where == null ? "" : "plugin " + where + ": ") + Resources.describe(exhausted));
        } else if (broken != null) {
            err.println("moe: plugin " + plugin + ": " + describe(broken));
        } else if (plugin != null) {
            // The plugin's own code failed (its train, load or predict threw): the installation's problem, as a plugin that
            // does not link is, not a bug in moe; the user's way out is the plugin's authors, or moving it out.
            err.println("moe: plugin " + plugin + " failed: " + firstLine(String.valueOf(e)) + " (an error in the plugin's code"
                    + (debug ? ")" : "; run with --debug for the stack trace)"));
        } else {
            err.println("moe: internal error: " + firstLine(String.valueOf(e)) + (debug ? "" : " (run with --debug for the stack trace)"));
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return userError != null || plugin != null ? USER_ERROR : 1;
    }

    private static LinkageError linkageErrorIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LinkageError linkage) {
                return linkage;
            }
        }
        return null;
    }

    /** A plugin that does not link is an installation to fix (a jar left out of its folder), not a bug of moe's. */
    private static String describe(LinkageError e) {
        String spi = ProviderRegistry.missingFromSpi(e);
        if (spi != null) {
            return spi;
        }
        if (e instanceof UnsupportedClassVersionError version) {
            return ProviderRegistry.builtForNewerJava(version); // a library jar of the plugin's, loaded once used
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof NoClassDefFoundError && !message.contains(" ")) {
            return "class " + message.replace('/', '.') + " is in none of the plugin's jars nor in moe: a jar it needs"
                    + " is missing from its folder (a plugin with libraries is a folder of jars, e.g. its target/plugin/)";
        }
        String cause = e.getCause() != null ? ", caused by " + firstLine(String.valueOf(e.getCause())) : "";
        return "cannot run its code: " + firstLine(String.valueOf(e)) + cause + " (a jar it needs is missing from its folder, or is"
                + " of another version than the one it was built against)";
    }

    /**
     * A command-line mistake in a new user's words: what is missing with what it is for (taken from its help, so the
     * two never differ), an unknown command or option with the nearest name; picocli's own sentence otherwise.
     */
    static String said(CommandLine.ParameterException e, String help, java.util.List<String> args) {
        String said = problem(e, args);
        return said + (said.startsWith("name a command") ? " (" + help + " says what each does)" : " (" + help + " lists the options)");
    }

    private static String problem(CommandLine.ParameterException e, java.util.List<String> typed) {
        CommandLine command = e.getCommandLine();
        String name = command == null ? "moe" : command.getCommandName();
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
            java.util.List<CommandLine.Model.ArgSpec> args = missing.getMissing();
            if (args.size() == 1 && String.valueOf(e.getMessage()).startsWith("Missing required parameter for option")) {
                // "--repeat" typed at the end of the line, without its N.
                return shown(args.get(0)).replace(" ", " needs its value ") + purpose(args.get(0));
            }
            if (args.size() == 1) {
                return name + " needs " + shown(args.get(0)) + purpose(args.get(0));
            }
            java.util.List<String> shown = args.stream().map(Main::shown).toList();
            return name + " needs " + String.join(", ", shown.subList(0, shown.size() - 1)) + " and " + shown.get(shown.size() - 1);
        }
        if (command != null && name.equals("moe") && !command.getSubcommands().isEmpty()
                && String.valueOf(e.getMessage()).startsWith("Missing required subcommand")) {
            return "name a command: " + commands(command) + "; e.g. moe evaluate examples/seed-experiment.yaml";
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (name.equals("evaluate") && first.matches("-o|--output(=.*)?|-o.+")) {
                // picocli's nearest name here is --overwrite; the user wants the report in a file.
                return "evaluate: unknown option '" + first + "': the report goes to --json FILE or --html FILE (-o is where"
                        + " moe train saves a mixture and moe predict its predictions)";
            }
            if (first.startsWith("-") && name.equals("moe")) {
                // `moe --verbose evaluate x.yaml`: the command's options go after the command.
                String after = typed.stream().filter(command.getSubcommands()::containsKey).findFirst().orElse("COMMAND");
                return "unknown option '" + first + "' before the command: options go after it (moe " + after + " ... " + first + ")";
            }
            if (first.startsWith("-")) {
                return name + ": unknown option '" + first + "'" + didYouMean(e);
            }
            if (name.equals("moe")) {
                return "unknown command '" + first + "'" + didYouMean(e) + "; the commands: " + commands(command);
            }
            return name + ": unexpected argument '" + first + "'" + didYouMean(e);
        }
        return firstLine(String.valueOf(e.getMessage())) + didYouMean(e);
    }

    /** "-o FILE" (an option by its shortest name), "CONFIG" (a parameter). */
    private static String shown(CommandLine.Model.ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec option
                ? java.util.Arrays.stream(option.names()).min(java.util.Comparator.comparingInt(String::length)).orElseThrow()
                        + " " + arg.paramLabel()
                : arg.paramLabel();
    }

    /** ": where to save the mixture, e.g. model.moe": the first sentence of the argument's help, or nothing. */
    private static String purpose(CommandLine.Model.ArgSpec arg) {
        String[] description = arg.description();
        if (description.length == 0 || description[0].isBlank()) {
            return "";
        }
        // The first sentence: up to a full stop before a capital ("e.g. model.moe" goes on).
        String first = description[0].strip().split("\\.\\s+(?=\\p{Lu})", 2)[0];
        first = first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
        return ": " + Character.toLowerCase(first.charAt(0)) + first.substring(1);
    }

    /** The commands a user can run, as {@code moe --help} lists them (picocli's own {@code help} left out). */
    private static String commands(CommandLine top) {
        return top.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).collect(java.util.stream.Collectors.joining(", "));
    }

    /** picocli's nearest name for a mistyped command or option ({@code evalute}, {@code --repat}), else nothing. */
    static String didYouMean(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            return " (did you mean '" + unmatched.getSuggestions().get(0) + "'?)"; // picocli lists the closest first
        }
        return "";
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * A user's error found while running a config (a provider's parameter, a baseline's), with the config's file and
     * the key's line in front when its message names a key path; {@code e} otherwise.
     */
    static RuntimeException locatedIn(dev.moe.runtime.config.MoeConfig config, RuntimeException e) {
        Throwable user = userErrorIn(e);
        RuntimeException unlocated = e;
        if (user == null && e instanceof IllegalArgumentException && e.getMessage() != null
                && e.getMessage().startsWith("a validation fraction of")) {
            // GateTrainer's check of gate.validation-fraction against the rows the data gave: an option error, not a bug.
            unlocated = new MoeException(config.source() + ": gate.validation-fraction: " + e.getMessage() + "; lower it", e);
            user = unlocated;
        }
        if (user instanceof RuntimeException r && config.source() != null) {
            RuntimeException located = dev.moe.runtime.config.ConfigLoader.locations(config).locate(r);
            return located == r ? unlocated : located;
        }
        return unlocated;
    }

    /**
     * A {@code --strategy} no provider offers, refused before the run: the config then holds that name, and the
     * error must name the option rather than the config's {@code routing.strategy} line.
     */
    static void checkStrategyOption(String strategy, dev.moe.runtime.plugins.ProviderRegistry registry) {
        if (strategy != null && !registry.routingProviders().containsKey(strategy)) {
            throw dev.moe.runtime.experiment.RoutingStrategies.unknown("--strategy", strategy, registry.routingProviders().keySet());
        }
    }

    /** The user's error behind {@code e}, also when a framework (Guice) wrapped it; null for a bug. */
    static Throwable userErrorIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MoeException || t instanceof ExpertException || t instanceof ParameterException) {
                return t;
            }
        }
        return null;
    }
}
