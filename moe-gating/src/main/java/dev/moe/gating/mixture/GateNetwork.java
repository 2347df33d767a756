package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.nn.Mlp;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gate: its inputs (the features, the experts' outputs, or both), standardised, into an MLP whose outputs
 * are one logit per expert.
 *
 * <p>A row-independent gate (uniform, constant, the product's exponents) is that MLP with one layer and input
 * weights 0: its logits are its output bias on every row. Such a gate is kept {@link #constant as those logits},
 * computed in plain Java, so that a mixture of experts that need no ND4J never starts ND4J's backend (about 0.7 s
 * of CPU per command). It is the same gate: the same logits, and the same sizes and parameters in a saved bundle.
 */
public final class GateNetwork {

    private final FeatureScaler scaler;
    private final GateInputs inputs;
    /** The network; null for a constant gate. */
    private final Mlp network;
    /** A constant gate's logits for every row; null for a network. */
    private final float[] constantLogits;

    private GateNetwork(FeatureScaler scaler, Mlp network, float[] constantLogits, GateInputs inputs) {
        this.scaler = Objects.requireNonNull(scaler, "scaler");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.network = network;
        this.constantLogits = constantLogits;
    }

    public GateNetwork(FeatureScaler scaler, Mlp network, GateInputs inputs) {
        this(scaler, Objects.requireNonNull(network, "network"), null, inputs);
        if (scaler.columns() != network.inputSize()) {
            throw new IllegalArgumentException("scaler has " + scaler.columns() + " columns, network " + network.inputSize() + " inputs");
        }
    }

    /** A gate on the features. */
    public GateNetwork(FeatureScaler scaler, Mlp network) {
        this(scaler, network, GateInputs.FEATURES);
    }

    /**
     * A gate on the features whose logits are {@code logits} on every row: the one-layer network with input weights
     * 0 and {@code logits} as its bias, without ND4J.
     */
    public static GateNetwork constant(FeatureScaler scaler, float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("a gate needs at least one output");
        }
        return new GateNetwork(scaler, null, logits.clone(), GateInputs.FEATURES);
    }

    /**
     * The gate a one-layer network's parameters describe: {@link #constant} when its input weights are all +0 (the
     * bias alone sets the logits), else the network. The sizes and parameters are as {@link #sizes} and
     * {@link #parameterValues} give them.
     */
    public static GateNetwork of(FeatureScaler scaler, int[] sizes, List<Activation> activations, double dropout,
                                 float[] parameters, GateInputs inputs) {
        if (sizes.length == 2 && activations.isEmpty() && dropout == 0 && inputs == GateInputs.FEATURES
                && sizes[0] == scaler.columns() && parameters.length == (sizes[0] + 1) * sizes[1]
                && allPositiveZero(parameters, sizes[0] * sizes[1])) {
            return constant(scaler, Arrays.copyOfRange(parameters, sizes[0] * sizes[1], parameters.length));
        }
        return new GateNetwork(scaler, Mlp.fromParameters(sizes, activations, dropout, parameters, DataType.FLOAT), inputs);
    }

    /** +0 exactly (not -0): what a row-independent gate's input weights are, so that the bytes saved stay the same. */
    private static boolean allPositiveZero(float[] values, int count) {
        for (int i = 0; i < count; i++) {
            if (Float.floatToRawIntBits(values[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    public FeatureScaler scaler() {
        return scaler;
    }

    public GateInputs inputs() {
        return inputs;
    }

    /** Whether the logits are the same on every row (kept without a network). */
    public boolean isConstant() {
        return constantLogits != null;
    }

    /** The gate as a network; for a constant gate a new one on each call (this starts ND4J). */
    public Mlp network() {
        return network != null ? network : Mlp.fromParameters(sizes(), List.of(), 0, parameterValues(), DataType.FLOAT);
    }

    public int inputSize() {
        return scaler.columns();
    }

    public int outputSize() {
        return network != null ? network.outputSize() : constantLogits.length;
    }

    /** The network's layer sizes, input first. */
    public int[] sizes() {
        return network != null ? network.sizes() : new int[] {inputSize(), outputSize()};
    }

    public List<Activation> activations() {
        return network != null ? network.activations() : List.of();
    }

    public double dropout() {
        return network != null ? network.dropout() : 0;
    }

    /** The network's flat parameters (per layer: weights row-major, then bias). */
    public float[] parameterValues() {
        if (network != null) {
            return network.parameterValues();
        }
        int weights = inputSize() * outputSize();
        float[] values = new float[weights + outputSize()];
        System.arraycopy(constantLogits, 0, values, weights, outputSize());
        return values;
    }

    /** Logits of a gate on the features alone. */
    public FloatMatrix logits(FloatMatrix rows) {
        if (inputs.needsExperts()) {
            throw new IllegalStateException("this gate reads the experts' outputs (" + inputs.configName() + ")");
        }
        return constantLogits != null ? constantLogits(rows) : network.predictLogits(scaler.apply(rows));
    }

    /** @param probabilities each expert's calibrated probabilities for the rows (ignored by a features gate) */
    public FloatMatrix logits(FloatMatrix rows, List<FloatMatrix> probabilities) {
        if (constantLogits != null) {
            return constantLogits(rows);
        }
        return network.predictLogits(scaler.apply(inputs.build(rows, probabilities)));
    }

    private FloatMatrix constantLogits(FloatMatrix rows) {
        if (rows.columns() != inputSize()) {
            throw new IllegalArgumentException("expected rows x " + inputSize() + " input, got " + rows.rows() + " x "
                    + rows.columns());
        }
        int e = constantLogits.length;
        float[] logits = new float[Math.multiplyExact(rows.rows(), e)];
        for (int r = 0; r < rows.rows(); r++) {
            System.arraycopy(constantLogits, 0, logits, r * e, e);
        }
        return new FloatMatrix(rows.rows(), e, logits);
    }
}
