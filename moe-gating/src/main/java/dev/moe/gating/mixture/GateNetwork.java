package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.nn.Nd4jMatrices;
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
        return Nd4jMatrices.toFloatMatrix(network.predictLogits(Nd4jMatrices.toNd4j(scaler.apply(rows), network.dataType())));
    }
}
