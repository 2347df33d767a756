package dev.moe.api;

import java.util.List;
import java.util.Map;

/**
 * A classifier that maps feature rows to class probabilities: one member of a mixture.
 *
 * <p>Batch first: {@link #predict} takes a block of rows. The columns of that block are this expert's
 * {@link #featureNames()} in that order; the runtime selects and orders the data set's columns by name
 * before calling. The columns of the result are this expert's {@link #labelNames()} in that order; the
 * runtime aligns them to the data set's labels (labels an expert never saw get probability 0).
 *
 * <p>Implementations must be safe for concurrent calls to {@code predict}. Extend {@link AbstractExpert} to get
 * the id, names and provenance from an {@link ExpertSignature} and write {@code predict} only.
 *
 * <p>Capabilities the runtime looks for: {@link FineTunableExpert} (trained further with the gate).
 */
public interface Expert extends AutoCloseable {

    /** {@return the id the config gave this expert; it names the expert in reports} */
    String id();

    /** {@return the features this expert reads, in the order {@link #predict} expects them as columns} */
    List<String> featureNames();

    /** {@return the labels this expert predicts, in the order of {@link #predict}'s columns} */
    List<String> labelNames();

    /**
     * {@return where this expert came from (provider, file, hyperparameters, data): shown in reports, saved with
     * models}
     */
    Map<String, String> provenance();

    /**
     * Class probabilities for a block of rows. Called from several threads at once, with any number of rows (a fold,
     * the test rows, a block of a file). The runtime checks the result: a null, another shape, a value that is NaN,
     * infinite or negative, or a row whose sum is off 1 by more than 0.001 stops the run, naming this expert, its
     * class and its jar.
     *
     * @param features rows x {@code featureNames().size()}, read-only (the array may be shared)
     * @return a new matrix, rows x {@code labelNames().size()}, each value finite and non-negative, each row summing to 1
     */
    FloatMatrix predict(FloatMatrix features);

    /**
     * Frees what the expert holds outside the Java heap (native memory, files, threads). Called once the mixture
     * that uses it is done; an expert must not be used after. The default does nothing: heap-only experts need
     * nothing here.
     */
    @Override
    default void close() {
    }
}
