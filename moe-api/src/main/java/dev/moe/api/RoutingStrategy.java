package dev.moe.api;

/**
 * Turns gate logits into per-row expert weights, and carries gradients back through that step.
 *
 * <p>Plain Java over small matrices (rows x experts): a strategy plugin needs no numeric library.
 * A sparse strategy leaves zeros for the experts it did not choose; the mixture then never runs those
 * experts on those rows.
 */
public interface RoutingStrategy {

    /** {@return the name the config uses, e.g. {@code top-k}} */
    String name();

    /** {@return the parameters in force, as {@code key=value} for reports} */
    String describe();

    /**
     * Each row's weights over the experts.
     *
     * @param logits   rows x experts, the gate's raw outputs
     * @param training true while the gate is being trained (strategies with training-only noise use it)
     * @return the weights (rows x experts, each row non-negative and summing to 1) and their backward step
     */
    Routing route(FloatMatrix logits, boolean training);

    /** The result of routing one batch. */
    interface Routing {

        /** {@return rows x experts; a zero means the expert does not run on that row} */
        FloatMatrix weights();

        /**
         * Back-propagates {@code dLoss/dWeights} to {@code dLoss/dLogits}.
         *
         * @param weightGradient rows x experts
         * @return rows x experts
         */
        FloatMatrix backward(FloatMatrix weightGradient);
    }
}
