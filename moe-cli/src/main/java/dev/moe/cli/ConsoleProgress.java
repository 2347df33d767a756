package dev.moe.cli;

import dev.moe.runtime.experiment.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Progress on stderr, only when stderr is a terminal (scripts and logs get clean output): one line, redrawn in place
 * (me.tongfei:progressbar) and never wider than the terminal, with the whole run's progress over every repeat and
 * stage, the time left, and the current stage's own bar: the experts' fits, the gate trainings of the combiner's
 * choice, the final gate's epochs. The line is cleared at the end, so only the results remain on screen.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {

    /** Units of the overall bar per repeat. */
    private static final int UNITS = 1000;

    /**
     * Where each stage of a repeat ends, as a share of the repeat: measured on examples/glass.yaml (10-fold
     * cross-fitting of 3 experts, a combiner chosen among 3), where the experts took 55% of a repeat, the combiner's
     * choice 35% and the evaluation 8%. Elsewhere the shares differ; the time left corrects itself over the repeats.
     */
    private static final double LOADED = 0.02;
    private static final double EXPERTS_DONE = 0.57;
    private static final double COMBINER_DONE = 0.92;

    private static final Pattern REPEAT = Pattern.compile("^repeat (\\d+)/(\\d+): ");
    private static final Pattern CANDIDATES = Pattern.compile("\\(([^;)]*); (\\d+)-fold");

    private final ProgressBar bar;
    // Read by the library's drawing thread.
    private volatile int repeats = 1;
    private volatile int repeat;
    private double stageStart;
    private double stageEnd = LOADED;
    /** Gate trainings expected in this stage (the combiner's cross-validation and the final one), and seen so far. */
    private int trainingsExpected = 1;
    private int trainingsSeen;
    private int lastEpoch;

    /** For tests: draws on {@code err} as on a terminal. */
    static ConsoleProgress drawingOn(PrintStream err) {
        return new ConsoleProgress(err);
    }

    private ConsoleProgress(PrintStream err) {
        this.bar = new ProgressBarBuilder().setTaskName("moe").setInitialMax(UNITS)
                .setConsumer(new TerminalLine(err)).setRenderer(new Renderer()).setUpdateIntervalMillis(250)
                .clearDisplayOnFinish().build();
        this.err = err;
        bar.setExtraMessage("starting (Java, ND4J)");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Run at exit only while the line is drawn: {@link #close} takes it away again (a JVM kept one per run before). */
    private final Thread onExit = new Thread(this::stopped, "moe-progress");

    private final PrintStream err;

    /**
     * The process ends while the line is still drawn (Ctrl-C): the line is cleared and says so. It stayed on screen,
     * "3:55 left" and all, as if the run went on; the results are written only after the run, so there are none.
     */
    synchronized void stopped() {
        if (bar != null && !closed) {
            closed = true;
            bar.close();
            err.println("moe: stopped before the end of the run; no results written");
            err.flush();
        }
    }

    /** A listener drawing on this process's stderr when it is a terminal; a silent one otherwise, or when {@code quiet}. */
    static ConsoleProgress forTerminal(boolean quiet) {
        if (quiet || !stderrIsTerminal()) {
            return new ConsoleProgress();
        }
        ConsoleProgress progress = new ConsoleProgress(System.err);
        // Log lines (a warning about missing cells) go on a line of their own, not after the drawn line.
        progress.previousErr = System.err;
        System.setErr(new PrintStream(progress.logsAround(), true, java.nio.charset.Charset.defaultCharset()));
        return progress;
    }

    /** System.err before {@link #forTerminal} routed it around the line, put back by {@link #close}; null if never. */
    private PrintStream previousErr;

    /**
     * A stream for other text on stderr (slf4j's log lines) that clears the drawn line before each of its lines: a
     * warning was written after the progress line, on the same row ("...starting (Java, ND4J)   WARN Experiment - ...").
     * The line is drawn again below it at the next redraw.
     */
    java.io.OutputStream logsAround() {
        return new java.io.OutputStream() {
            private boolean lineStart = true;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (len == 0) {
                    return;
                }
                synchronized (err) {
                    if (lineStart && !closed) {
                        err.print("\r" + " ".repeat(new TerminalLine(err).getMaxRenderedLength()) + "\r");
                    }
                    err.write(b, off, len);
                    lineStart = b[off + len - 1] == '\n';
                }
            }

            @Override
            public void flush() {
                err.flush();
            }
        };
    }

    /** Silent. */
    private ConsoleProgress() {
        this.bar = null;
        this.err = null;
    }

    /** The run has this many repeats (1 until said). */
    synchronized void repeats(int n) {
        repeats = Math.max(1, n);
        if (bar != null) {
            bar.maxHint((long) repeats * UNITS);
        }
    }

    /**
     * The launcher says whether stderr is a terminal ({@code [ -t 2 ]}); Java alone cannot tell, and its console is
     * there only when stdin and stdout are terminals too.
     */
    static boolean stderrIsTerminal() {
        String launcher = System.getenv("MOE_STDERR_TERMINAL");
        return launcher != null ? launcher.equals("1") : System.console() != null;
    }

    /**
     * Columns for the results table's sentences: the terminal's when stdout is one (the table wraps them at 100
     * at most), else no limit here. At 80 columns the terminal broke the 100-column lines again, mid-word.
     */
    static int stdoutColumns() {
        String launcher = System.getenv("MOE_STDOUT_TERMINAL");
        if (!(launcher != null ? launcher.equals("1") : System.console() != null)) {
            return Integer.MAX_VALUE;
        }
        int columns = new ConsoleProgressBarConsumer(System.out).getMaxRenderedLength();
        return columns >= 20 ? columns : Integer.MAX_VALUE;
    }

    /** Columns for a line on stderr, as the progress line has: the terminal's, else no limit here. */
    static int stderrColumns() {
        int columns = new ConsoleProgressBarConsumer(System.err).getMaxRenderedLength();
        return columns >= 20 ? columns : Integer.MAX_VALUE;
    }

    @Override
    public synchronized void step(String description) {
        if (bar == null) {
            return;
        }
        String text = description;
        Matcher m = REPEAT.matcher(text);
        if (m.find()) {
            repeat = Integer.parseInt(m.group(1)) - 1;
            text = text.substring(m.end());
        }
        if (text.startsWith("loading data")) {
            enter(0, LOADED);
        } else if (text.startsWith("building") || text.startsWith("cross-fitting")) {
            enter(LOADED, EXPERTS_DONE);
        } else if (text.startsWith("choosing") || text.startsWith("training the gate")) {
            enter(EXPERTS_DONE, COMBINER_DONE);
            Matcher c = CANDIDATES.matcher(text);
            // Each candidate that learns (all but uniform averaging) is trained once per fold, then the chosen one on every row.
            trainingsExpected = c.find() ? learning(c.group(1)) * Integer.parseInt(c.group(2)) + 1 : 1;
        } else if (text.startsWith("evaluating") || text.startsWith("training baseline")) {
            enter(Math.max(stageStart, COMBINER_DONE), 1.0);
        }
        bar.setExtraMessage(shorten(text));
        moveTo(0);
    }

    @Override
    public synchronized void expertFit(int done, int total) {
        if (bar == null) {
            return;
        }
        bar.setExtraMessage(String.format(Locale.ROOT, "experts %s %d/%d fits", miniBar(done, total), done, total));
        moveTo(total == 0 ? 1 : (double) done / total);
    }

    @Override
    public synchronized void gateEpoch(int epoch, int epochs, double loss) {
        if (bar == null) {
            return;
        }
        if (epoch <= lastEpoch || trainingsSeen == 0) {
            trainingsSeen++;
        }
        lastEpoch = epoch;
        int training = Math.min(trainingsSeen, trainingsExpected);
        double within = (training - 1 + (double) epoch / Math.max(1, epochs)) / trainingsExpected;
        String what = trainingsExpected > 1
                ? String.format(Locale.ROOT, "combiner: gate %d/%d", training, trainingsExpected)
                : "gate";
        bar.setExtraMessage(String.format(Locale.ROOT, "%s %s epoch %d/%d, loss %.3f", what, miniBar(epoch, epochs), epoch, epochs, loss));
        moveTo(within);
    }

    /** Clears the line: what stays on screen is the results. Closing again does nothing. */
    @Override
    public synchronized void close() {
        if (bar != null && !closed) {
            closed = true;
            bar.close();
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // The JVM is exiting already: the hook finds the line closed and does nothing.
            }
        }
        if (previousErr != null) {
            System.err.flush();
            System.setErr(previousErr);
            previousErr = null;
        }
    }

    private volatile boolean closed;

    private static int learning(String candidates) {
        int n = 0;
        for (String name : candidates.split(",")) {
            n += name.strip().equals("uniform") ? 0 : 1;
        }
        return n;
    }

    private void enter(double start, double end) {
        stageStart = start;
        stageEnd = end;
        trainingsExpected = 1;
        trainingsSeen = 0;
        lastEpoch = 0;
    }

    /** To {@code share} of the current stage of the current repeat; never backwards. */
    private void moveTo(double share) {
        double withinRepeat = stageStart + (stageEnd - stageStart) * Math.max(0, Math.min(1, share));
        long target = Math.round((repeat + withinRepeat) * UNITS);
        if (target > bar.getCurrent()) {
            bar.stepTo(Math.min(target, bar.getMax()));
        }
    }

    /** The runtime's step texts name the rows, folds and threads: on one line the first clause says enough. */
    private static String shorten(String text) {
        int cut = text.indexOf(" (");
        return cut > 0 ? text.substring(0, cut) : text;
    }

    static String miniBar(int done, int total) {
        int width = 8;
        int filled = total <= 0 ? width : (int) Math.round((double) width * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    /** "moe  42% [=====>    ] 1:10 left · repeat 3/10 · cross-fitting 3 experts [###-----] 13/33 fits", cut to fit. */
    private final class Renderer implements ProgressBarRenderer {
        @Override
        public String render(ProgressState state, int maxLength) {
            double done = state.getMax() == 0 ? 0 : (double) state.getCurrent() / state.getMax();
            Duration elapsed = state.getTotalElapsed();
            // Below 5% the rate says little yet (the first expert fits include the JIT's warm-up).
            String left = done < 0.05 ? "time left ?" : duration(elapsed.multipliedBy(Math.round((1 - done) * 1000)).dividedBy(Math.round(done * 1000))) + " left";
            String head = String.format(Locale.ROOT, "moe %3d%% ", (int) Math.floor(done * 100));
            String tail = " " + left + (repeats > 1 ? " · repeat " + (repeat + 1) + "/" + repeats : "") + " · " + state.getExtraMessage();
            // One bar width for the whole run, from the terminal's: the stage's text is cut instead.
            int width = Math.max(8, Math.min(30, maxLength / 7));
            int filled = (int) Math.floor(width * done);
            String line = head + "[" + "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "") + "]" + tail;
            // Padded to the full width: the line is redrawn over the last one, whose end would otherwise stay.
            return line.length() > maxLength ? line.substring(0, Math.max(0, maxLength - 1)) + "…"
                    : line + " ".repeat(maxLength - line.length());
        }

        private String duration(Duration d) {
            long s = d.getSeconds();
            return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }

    /**
     * The library's console line, one column short of the terminal: a line as wide as the terminal moves the cursor
     * to the next row on some terminals, and the redraw in place would then scroll.
     */
    static final class TerminalLine extends ConsoleProgressBarConsumer {
        TerminalLine(PrintStream out) {
            super(out);
        }

        @Override
        public int getMaxRenderedLength() {
            int width = super.getMaxRenderedLength();
            return width > 1 ? width - 1 : 79;
        }
    }
}
