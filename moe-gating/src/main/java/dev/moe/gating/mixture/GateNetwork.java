package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Mlp;
import java.util.Objects;

/** The gate: standardised features into an MLP whose outputs are one logit per expert. */
public record GateNetwork(FeatureScaler scaler, Mlp network) {

    public GateNetwork {
        Objects.requireNonNull(scaler, "scaler");
        Objects.requireNonNull(network, "network");
        if (scaler.columns() != network.inputSize()) {
            throw new IllegalArgumentException("scaler has " + scaler.columns() + " columns, network " + network.inputSize() + " inputs");
        }
    }

    public FloatMatrix logits(FloatMatrix rows) {
        return network.predictLogits(scaler.apply(rows));
    }
}
