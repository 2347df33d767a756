package dev.moe.api;

import java.util.List;
import java.util.Optional;

/**
 * A baseline that {@code moe evaluate} puts beside the mixture: the same experts combined some other way, to answer
 * "was the gate worth it". Found by {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/dev.moe.api.BaselineProvider}), so that a baseline tied to one kind of expert lives with
 * that expert's provider.
 */
public interface BaselineProvider {

    /** {@return the baseline's row in reports, e.g. {@code tribuo-ensemble}} */
    String name();

    /**
     * The baseline's probabilities on {@code rows}, or empty when it does not apply to these experts.
     *
     * @param experts      the mixture's experts, in its order (as their providers made them)
     * @param rows         rows x features, the columns named by {@code featureNames}
     * @param featureNames the names of {@code rows}' columns, in order; select an expert's own columns by name
     * @param labelNames   the data set's labels: the columns of the result, in this order
     * @return rows x labels
     */
    Optional<FloatMatrix> predict(List<Expert> experts, FloatMatrix rows, List<String> featureNames, List<String> labelNames);

    /**
     * When the baseline applies, as the end of a sentence, so that a report that leaves its row out can say why,
     * e.g. {@code "needs at least two experts that are Tribuo models, with the same features and labels"}.
     *
     * @return a phrase starting with a verb
     */
    default String requirement() {
        return "applies only to some experts";
    }
}
