package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RowIndependentRouting;
import dev.moe.api.RoutingStrategy;

/**
 * One learned weight per expert, the same for every row: {@code w = softmax(b)}, where the gate trainer
 * keeps the gate's logits at its learned output bias {@code b}. This is a weighted soft vote, what Tribuo's
 * {@code WeightedEnsembleModel} with a {@code FullyWeightedVotingCombiner} does, with the weights fitted to the
 * mixture's likelihood on the gate rows.
 */
public final class ConstantRouting implements RowIndependentRouting {

    public static final String NAME = "constant";

    private final RoutingStrategy softmax = new SoftmaxDenseRouting(1.0);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "one learned weight per expert";
    }

    /** The softmax of each row's logits: the trainer makes every row's logits the same. */
    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        return softmax.route(logits, training);
    }
}
