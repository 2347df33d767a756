package dev.moe.runtime.experiment;

/** What a long run reports while it works; the CLI draws it on stderr. */
public interface ProgressListener {

    /** A new step starts, e.g. "repeat 2/10: training expert1". */
    default void step(String description) {
    }

    /** Of the experts' fits of this step (cross-fitting: K folds and the final one per expert), {@code done} are done. */
    default void expertFit(int done, int total) {
    }

    /** A gate finished an epoch: while the combiner is chosen, a candidate on one fold; then the final gate. */
    default void gateEpoch(int epoch, int epochs, double loss) {
    }

    ProgressListener SILENT = new ProgressListener() { };
}
