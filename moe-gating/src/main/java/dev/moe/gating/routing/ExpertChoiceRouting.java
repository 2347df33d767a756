package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.nn.Softmax;
import java.util.Arrays;

/**
 * Expert-choice routing (Zhou et al. 2022): the experts choose the rows, not the rows the experts. With
 * {@code s = softmax(z)} per row, each expert takes the C rows of the batch with the largest {@code s} for it,
 * {@code C = ceil(capacity-factor * rows / experts)}; a row can so get no expert, one or several. Its weights
 * are {@code s} renormalised over the experts that took it (a softmax of z over those). A row no expert took
 * falls back to its best expert, so that every row has a prediction.
 *
 * <p>Which rows an expert takes depends on the other rows of the batch: this strategy is for training and
 * batch scoring. Every expert does the same amount of work by construction.
 */
public final class ExpertChoiceRouting implements RoutingStrategy {

    public static final String NAME = "expert-choice";

    private final double capacityFactor;

    public ExpertChoiceRouting(double capacityFactor) {
        if (!(capacityFactor > 0)) {
            throw new IllegalArgumentException("capacity factor must be positive, got " + capacityFactor);
        }
        this.capacityFactor = capacityFactor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "capacity-factor=" + capacityFactor;
    }

    /** Rows each expert takes from a batch of {@code rows}: at least 1, at most all of them. */
    public int capacity(int rows, int experts) {
        return (int) Math.min(rows, Math.max(1, Math.ceil(capacityFactor * rows / experts - 1e-9)));
    }

    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        int n = logits.rows();
        int e = logits.columns();
        float[] s = Softmax.rows(logits).values();
        boolean[] selected = new boolean[n * e];
        int capacity = capacity(n, e);
        long[] keys = new long[n];
        for (int j = 0; j < e; j++) {
            // Sort by descending s (non-negative floats order like their bits), then ascending row index.
            for (int r = 0; r < n; r++) {
                keys[r] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(s[r * e + j])) << 32) | r;
            }
            Arrays.sort(keys);
            for (int i = 0; i < capacity; i++) {
                selected[(int) keys[i] * e + j] = true;
            }
        }
        for (int r = 0; r < n; r++) {
            boolean any = false;
            for (int j = 0; j < e && !any; j++) {
                any = selected[r * e + j];
            }
            if (!any) {
                selected[r * e + logits.argMaxOfRow(r)] = true;
            }
        }
        return new MaskedSoftmax(logits, selected, 1.0);
    }
}
