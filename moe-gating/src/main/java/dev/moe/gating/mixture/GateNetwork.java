package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Mlp;
import java.util.List;
import java.util.Objects;

/**
 * The gate: its inputs (the features, the experts' outputs, or both), standardised, into an MLP whose outputs
 * are one logit per expert.
 */
public record GateNetwork(FeatureScaler scaler, Mlp network, GateInputs inputs) {

    public GateNetwork {
        Objects.requireNonNull(scaler, "scaler");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(inputs, "inputs");
        if (scaler.columns() != network.inputSize()) {
            throw new IllegalArgumentException("scaler has " + scaler.columns() + " columns, network " + network.inputSize() + " inputs");
        }
    }

    /** A gate on the features. */
    public GateNetwork(FeatureScaler scaler, Mlp network) {
        this(scaler, network, GateInputs.FEATURES);
    }

    /** Logits of a gate on the features alone. */
    public FloatMatrix logits(FloatMatrix rows) {
        if (inputs.needsExperts()) {
            throw new IllegalStateException("this gate reads the experts' outputs (" + inputs.configName() + ")");
        }
        return network.predictLogits(scaler.apply(rows));
    }

    /** @param probabilities each expert's calibrated probabilities for the rows (ignored by a features gate) */
    public FloatMatrix logits(FloatMatrix rows, List<FloatMatrix> probabilities) {
        return network.predictLogits(scaler.apply(inputs.build(rows, probabilities)));
    }
}
