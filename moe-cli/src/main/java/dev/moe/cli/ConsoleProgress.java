package dev.moe.cli;

import dev.moe.runtime.experiment.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on stderr, only when stderr is a terminal (scripts and logs get clean output): a line per step,
 * and a progress bar with the loss while the gate trains.
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintStream err;
    private ProgressBar bar;

    private ConsoleProgress(PrintStream err) {
        this.err = err;
    }

    /** A listener for this process's stderr, or a silent one when stderr is not a terminal. */
    static ProgressListener forTerminal() {
        return System.console() == null ? ProgressListener.SILENT : new ConsoleProgress(System.err);
    }

    @Override
    public void step(String description) {
        closeBar();
        err.println("... " + description);
    }

    @Override
    public void gateEpoch(int epoch, int epochs, double loss) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("gate").setInitialMax(epochs).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(200).build();
        }
        bar.stepTo(epoch);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
        if (epoch >= epochs) {
            closeBar();
        }
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

}
