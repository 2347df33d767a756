package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;

/**
 * Keeps each row's k largest logits and takes the softmax over those (as Mixtral does); the other
 * experts get weight 0 and are not run on that row. Ties go to the expert listed first.
 *
 * <p>With k = 1 the one weight is always 1, so no gradient reaches the gate: train such a gate with
 * {@code gate.dense-warmup-epochs} (dense softmax first, then top-1).
 */
public final class TopKRouting implements RoutingStrategy {

    public static final String NAME = "top-k";

    private final int k;
    private final double temperature;

    public TopKRouting(int k, double temperature) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        this.k = k;
        this.temperature = temperature;
    }

    public int k() {
        return k;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "k=" + k + (temperature == 1.0 ? "" : ", temperature=" + temperature);
    }

    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        if (k > logits.columns()) {
            throw new IllegalArgumentException("top-k with k=" + k + " but only " + logits.columns() + " experts");
        }
        return new MaskedSoftmax(logits, largest(logits, k), temperature);
    }

    /** rows x experts, true at each row's k largest logits (ties to the expert listed first). */
    static boolean[] largest(FloatMatrix logits, int k) {
        int n = logits.rows();
        int e = logits.columns();
        float[] z = logits.values();
        boolean[] selected = new boolean[z.length];
        for (int r = 0; r < n; r++) {
            int base = r * e;
            // k is small: k passes of "largest not yet chosen" beat sorting each row.
            for (int pick = 0; pick < k; pick++) {
                int best = -1;
                for (int j = 0; j < e; j++) {
                    if (!selected[base + j] && (best < 0 || z[base + j] > z[base + best])) {
                        best = j;
                    }
                }
                selected[base + best] = true;
            }
        }
        return selected;
    }
}
