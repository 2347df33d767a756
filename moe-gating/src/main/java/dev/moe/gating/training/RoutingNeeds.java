package dev.moe.gating.training;

import dev.moe.api.RoutingStrategy;
import dev.moe.api.RowIndependentRouting;
import dev.moe.api.TrainingNoiseRouting;
import dev.moe.gating.routing.UniformRouting;

/**
 * What training needs to know of a routing strategy beyond its logits and weights. The one place in training that
 * asks a strategy for its type: the trainer and the objective read these fields instead.
 *
 * @param rowIndependent its weights are the same for every row: the gate trains only its output bias
 * @param noisyTopK      k of a training-noise strategy (noisy top-k), which trains on logits plus noise from a network of its own; 0 otherwise
 * @param ignoresLogits  its weights are the same whatever the logits (averaging): no epoch changes what it predicts
 */
record RoutingNeeds(boolean rowIndependent, int noisyTopK, boolean ignoresLogits) {

    static RoutingNeeds of(RoutingStrategy strategy) {
        return new RoutingNeeds(strategy instanceof RowIndependentRouting,
                strategy instanceof TrainingNoiseRouting noisy ? noisy.k() : 0, strategy instanceof UniformRouting);
    }

    boolean trainsWithNoise() {
        return noisyTopK > 0;
    }
}
