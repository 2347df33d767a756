package dev.moe.gating.training;

import java.util.function.Supplier;

/**
 * One term of the gate's training loss on a batch, as Tribuo's {@code LabelObjective} is the loss apart from
 * {@code AbstractSGDTrainer}'s loop: it gives its value and adds its gradient to the batch's arrays. Where the
 * gradient enters depends on what the term is a function of: the routed weights (before the routing's backward
 * step) or the logits and the noise (after it).
 */
interface ObjectiveTerm {

    enum Target { WEIGHTS, LOGITS }

    Target target();

    /** The term's value on the batch (a mean over its rows); its gradient is added to the batch's arrays. */
    double addGradient(GateBatch batch);

    /**
     * Called before each epoch with the weights of every training row under that epoch's routing (computed only
     * when asked for): EM refreshes its responsibilities here.
     */
    default void startEpoch(int epoch, Supplier<float[]> trainingWeights) {
    }
}
