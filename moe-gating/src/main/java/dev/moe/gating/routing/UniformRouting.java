package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RowIndependentRouting;

/** Plain averaging: weight 1/E for every expert on every row, whatever the logits; nothing to learn. */
public final class UniformRouting implements RowIndependentRouting {

    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "weight 1/experts";
    }

    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        int e = logits.columns();
        float[] w = new float[logits.values().length];
        java.util.Arrays.fill(w, 1f / e);
        FloatMatrix weights = new FloatMatrix(logits.rows(), e, w);
        return new Routing() {
            @Override
            public FloatMatrix weights() {
                return weights;
            }

            /** The weights do not depend on the logits. */
            @Override
            public FloatMatrix backward(FloatMatrix weightGradient) {
                return FloatMatrix.zeros(weightGradient.rows(), weightGradient.columns());
            }
        };
    }
}
