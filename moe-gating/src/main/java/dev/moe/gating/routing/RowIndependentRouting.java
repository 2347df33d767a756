package dev.moe.gating.routing;

import dev.moe.api.RoutingStrategy;

/**
 * A strategy whose weights are the same for every row: a baseline beside the learned gate. The gate
 * trainer gives such a strategy a linear gate whose input weights stay 0, so the logits are the output
 * bias alone, one learned value per expert; a saved mixture then needs nothing beyond its gate network.
 */
public interface RowIndependentRouting extends RoutingStrategy {
}
