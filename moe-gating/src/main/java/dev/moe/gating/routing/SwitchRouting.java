package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.nn.Softmax;

/**
 * Top-1 routing as in the Switch Transformer (Fedus et al. 2021): each row goes to the expert with the
 * largest logit (ties to the one listed first), with weight 1.
 *
 * <p>The Switch Transformer scales the chosen expert's output by its router probability {@code p_i}. Here
 * an expert's output is a probability row, which that scaling would stop from summing to 1; and under the
 * mixture's log-likelihood, {@code -log p_i} only pushes up whichever expert was chosen. So the weight is 1
 * and the gradient is straight-through: backward is that of {@code softmax(z)}, the router's probabilities,
 * so that the gate learns from every expert's answer although only one runs. (Plain {@code top-k} with k = 1
 * gives no gradient at all.)
 */
public final class SwitchRouting implements RoutingStrategy {

    public static final String NAME = "switch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "k=1";
    }

    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        int n = logits.rows();
        int e = logits.columns();
        float[] w = new float[n * e];
        for (int r = 0; r < n; r++) {
            w[r * e + logits.argMaxOfRow(r)] = 1f;
        }
        FloatMatrix weights = new FloatMatrix(n, e, w);
        FloatMatrix probabilities = Softmax.rows(logits);
        return new Routing() {
            @Override
            public FloatMatrix weights() {
                return weights;
            }

            @Override
            public FloatMatrix backward(FloatMatrix weightGradient) {
                return MaskedSoftmax.backward(probabilities, weightGradient, 1.0);
            }
        };
    }
}
