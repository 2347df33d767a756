package dev.moe.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code moe completion bash|zsh}: the shell completion script picocli generates from moe's own commands and options. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Print a shell completion script for moe (commands, options, and files where an option takes one).",
                "bash: source it, e.g. from ~/.bashrc. zsh: the same script, loaded after "
                        + "`autoload -U +X compinit && compinit && autoload -U +X bashcompinit && bashcompinit`."},
        exitCodeListHeading = Main.EXIT_CODES, exitCodeList = {Main.EXIT_OK, Main.EXIT_INTERNAL, Main.EXIT_USER},
        footerHeading = "%nExamples:%n", footer = {"  moe completion bash > ~/.moe-completion.bash",
                "  echo 'source ~/.moe-completion.bash' >> ~/.bashrc"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("moe", spec.root().commandLine());
        PrintWriter out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            out.println("# moe completion for zsh: the bash script below, through zsh's bash completion emulation.");
            out.println("# Add to ~/.zshrc:  autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit;");
            out.println("#                   source <(moe completion zsh)");
            out.println("autoload -U +X compinit && compinit");
            out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        out.print(script);
        out.flush();
        return 0;
    }
}
