package dev.moe.cli;

import dev.moe.runtime.experiment.ProgressListener;
import java.io.PrintWriter;

/** Progress on stderr: one line per step, and only when stderr is a terminal (scripts get clean output). */
final class ConsoleProgress implements ProgressListener {

    private final PrintWriter err;
    private final boolean terminal;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    @Override
    public void step(String description) {
        if (terminal) {
            err.println("... " + description);
            err.flush();
        }
    }
}
