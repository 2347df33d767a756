package dev.moe.api;

/**
 * A capability: a strategy whose weights are the same for every row (plain averaging, one learned weight per
 * expert). The gate trainer gives it a linear gate whose input weights stay 0, so the logits are the output bias
 * alone, and never runs the experts just to feed the gate; a saved mixture then needs nothing beyond that gate.
 */
public interface RowIndependentRouting extends RoutingStrategy {
}
