package dev.moe.runtime.experiment;

/** What a long run reports while it works; the CLI draws it on stderr. */
public interface ProgressListener {

    /** A new step starts, e.g. "repeat 2/10: training expert1". */
    default void step(String description) {
    }

    /** The gate finished an epoch. */
    default void gateEpoch(int epoch, int epochs, double loss) {
    }

    ProgressListener SILENT = new ProgressListener() { };
}
