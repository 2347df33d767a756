package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import java.util.List;
import java.util.Objects;

/**
 * A trained mixture: {@code P(y|x) = sum_k w_k(x) p_k(y|x)}, the weights from the gate's logits through
 * the routing strategy. An expert runs only on the rows whose weight for it is non-zero, so a sparse
 * strategy's cost follows k, not the number of experts. Immutable and safe for concurrent use.
 */
public final class MixtureModel {

    private final GateNetwork gate;
    private final RoutingStrategy strategy;
    private final List<AlignedExpert> experts;
    private final List<String> labelNames;

    public MixtureModel(GateNetwork gate, RoutingStrategy strategy, List<AlignedExpert> experts, List<String> labelNames) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.experts = List.copyOf(experts);
        this.labelNames = List.copyOf(labelNames);
        if (gate.network().outputSize() != this.experts.size()) {
            throw new IllegalArgumentException("gate has " + gate.network().outputSize() + " outputs for " + this.experts.size() + " experts");
        }
    }

    public GateNetwork gate() {
        return gate;
    }

    public RoutingStrategy strategy() {
        return strategy;
    }

    public List<AlignedExpert> experts() {
        return experts;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** The gate's routing weights for a block of rows (rows x experts). */
    public FloatMatrix weights(FloatMatrix rows) {
        return strategy.route(gate.logits(rows), false).weights();
    }

    public Prediction predict(FloatMatrix rows) {
        FloatMatrix weights = weights(rows);
        int n = rows.rows();
        int c = labelNames.size();
        int e = experts.size();
        float[] mixed = new float[n * c];
        float[] w = weights.values();
        for (int k = 0; k < e; k++) {
            int[] routed = rowsRoutedTo(w, n, e, k);
            if (routed.length == 0) {
                continue;
            }
            boolean allRows = routed.length == n;
            FloatMatrix p = experts.get(k).predict(allRows ? rows : rows.selectRows(routed));
            float[] pv = p.values();
            for (int i = 0; i < routed.length; i++) {
                int r = routed[i];
                float wk = w[r * e + k];
                for (int j = 0; j < c; j++) {
                    mixed[r * c + j] += wk * pv[i * c + j];
                }
            }
        }
        return new Prediction(new FloatMatrix(n, c, mixed), weights);
    }

    private static int[] rowsRoutedTo(float[] w, int n, int e, int k) {
        int count = 0;
        for (int r = 0; r < n; r++) {
            if (w[r * e + k] != 0f) {
                count++;
            }
        }
        int[] rows = new int[count];
        int i = 0;
        for (int r = 0; r < n; r++) {
            if (w[r * e + k] != 0f) {
                rows[i++] = r;
            }
        }
        return rows;
    }

    /** @param probabilities rows x labels; @param weights rows x experts */
    public record Prediction(FloatMatrix probabilities, FloatMatrix weights) { }
}
