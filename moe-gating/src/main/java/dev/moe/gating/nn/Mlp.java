package dev.moe.gating.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A fully connected network: dense layers, an activation and optional dropout after each hidden layer,
 * and a linear output layer (logits). Used for the gate and for the nd4j-mlp experts.
 *
 * <p>All weights and biases live in one flat parameter vector, each layer's matrices being views into it,
 * so that the optimizer updates every parameter with one fused call and saving is one array copy.
 * The gradients use the same layout.
 */
public final class Mlp {

    private final int[] sizes;
    private final List<Activation> activations;
    private final double dropout;
    private final INDArray parameters;
    private final INDArray[] weights;
    private final INDArray[] biases;

    private Mlp(int[] sizes, List<Activation> activations, double dropout, INDArray parameters) {
        this.sizes = sizes.clone();
        this.activations = List.copyOf(activations);
        this.dropout = dropout;
        this.parameters = parameters;
        this.weights = new INDArray[layerCount()];
        this.biases = new INDArray[layerCount()];
        viewsInto(parameters, weights, biases);
    }

    /**
     * A new network with PyTorch's default initialisation of linear layers (uniform in ±1/sqrt(fan-in)),
     * drawn from {@code seed}.
     *
     * @param sizes       input size, each hidden layer's size, output size
     * @param activations one per hidden layer
     * @param dropout     drop probability after each hidden layer while training; 0 for none
     */
    public static Mlp initialise(int[] sizes, List<Activation> activations, double dropout, DataType dataType, long seed) {
        validate(sizes, activations, dropout);
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[parameterCount(sizes)];
        int offset = 0;
        for (int layer = 0; layer + 1 < sizes.length; layer++) {
            double bound = 1.0 / Math.sqrt(sizes[layer]);
            int count = sizes[layer] * sizes[layer + 1] + sizes[layer + 1];
            for (int i = 0; i < count; i++) {
                values[offset + i] = (random.nextDouble() * 2 - 1) * bound;
            }
            offset += count;
        }
        return new Mlp(sizes, activations, dropout, Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length));
    }

    /** A network with the given flat parameters (as {@link #parameterValues()} returns them). */
    public static Mlp fromParameters(int[] sizes, List<Activation> activations, double dropout, float[] values, DataType dataType) {
        validate(sizes, activations, dropout);
        if (values.length != parameterCount(sizes)) {
            throw new IllegalArgumentException("layer sizes " + Arrays.toString(sizes) + " need "
                    + parameterCount(sizes) + " parameters, got " + values.length);
        }
        return new Mlp(sizes, activations, dropout, Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length));
    }

    private static void validate(int[] sizes, List<Activation> activations, double dropout) {
        Objects.requireNonNull(activations, "activations");
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output size");
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive: " + Arrays.toString(sizes));
            }
        }
        if (activations.size() != sizes.length - 2) {
            throw new IllegalArgumentException((sizes.length - 2) + " hidden layers but " + activations.size() + " activations");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    static int parameterCount(int[] sizes) {
        int n = 0;
        for (int layer = 0; layer + 1 < sizes.length; layer++) {
            n = Math.addExact(n, Math.addExact(Math.multiplyExact(sizes[layer], sizes[layer + 1]), sizes[layer + 1]));
        }
        return n;
    }

    private void viewsInto(INDArray flat, INDArray[] w, INDArray[] b) {
        long offset = 0;
        for (int layer = 0; layer < layerCount(); layer++) {
            int in = sizes[layer];
            int out = sizes[layer + 1];
            w[layer] = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + (long) in * out)).reshape('c', in, out);
            offset += (long) in * out;
            b[layer] = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + out)).reshape('c', 1, out);
            offset += out;
        }
    }

    public int layerCount() {
        return sizes.length - 1;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    public List<Activation> activations() {
        return activations;
    }

    public double dropout() {
        return dropout;
    }

    public DataType dataType() {
        return parameters.dataType();
    }

    public int parameterCount() {
        return (int) parameters.length();
    }

    /** The flat parameter vector (1 x n), live: optimizers update it in place. */
    public INDArray parameters() {
        return parameters;
    }

    /** A copy of the flat parameters as floats, for saving. */
    public float[] parameterValues() {
        return parameters.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** An independent copy (own parameters), e.g. to fine-tune without touching the original. */
    public Mlp copy() {
        return new Mlp(sizes, activations, dropout, parameters.dup('c'));
    }

    /** Logits for inference: no dropout, nothing kept for a backward pass. */
    public INDArray predictLogits(INDArray input) {
        INDArray a = input;
        for (int layer = 0; layer < layerCount(); layer++) {
            INDArray z = affine(a, layer);
            a = layer + 1 < layerCount() ? activations.get(layer).applyInPlace(z) : z;
        }
        return a;
    }

    /**
     * Forward pass that keeps what {@link #backward} needs.
     *
     * @param random draws the dropout masks while training; unused when {@code training} is false
     */
    public Pass forward(INDArray input, boolean training, SplittableRandom random) {
        checkInput(input);
        INDArray[] layerInputs = new INDArray[layerCount()];
        INDArray[] masks = new INDArray[layerCount()];
        INDArray a = input;
        for (int layer = 0; layer < layerCount(); layer++) {
            layerInputs[layer] = a;
            INDArray z = affine(a, layer);
            if (layer + 1 < layerCount()) {
                a = activations.get(layer).applyInPlace(z);
                if (training && dropout > 0) {
                    masks[layer] = dropoutMask(a.rows(), a.columns(), random);
                    a.muli(masks[layer]);
                }
            } else {
                a = z;
            }
        }
        return new Pass(a, layerInputs, masks);
    }

    /**
     * {@code a W + b} as two products: the bias rows come from {@code ones(rows) x b}, then {@code a W} is added
     * by the same GEMM. ND4J's row-vector broadcast ({@code addiRowVector}) crashed natively (SIGSEGV in its
     * TAD code) under concurrent predictions here; GEMM alone never did, and costs about the same.
     */
    private INDArray affine(INDArray a, int layer) {
        INDArray z = Nd4j.createUninitialized(dataType(), a.rows(), biases[layer].columns());
        Nd4j.gemm(Nd4j.ones(dataType(), a.rows(), 1), biases[layer], z, false, false, 1.0, 0.0);
        Nd4j.gemm(a, weights[layer], z, false, false, 1.0, 1.0);
        return z;
    }

    private void checkInput(INDArray input) {
        if (input.rank() != 2 || input.columns() != inputSize()) {
            throw new IllegalArgumentException("expected rows x " + inputSize() + " input, got " + Arrays.toString(input.shape()));
        }
    }

    private INDArray dropoutMask(long rows, long columns, SplittableRandom random) {
        float keepScale = (float) (1.0 / (1.0 - dropout));
        float[] mask = new float[Math.toIntExact(rows * columns)];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() < dropout ? 0f : keepScale;
        }
        return Nd4j.create(mask, new long[] {rows, columns}, 'c').castTo(dataType());
    }

    /**
     * Back-propagates {@code dLoss/dLogits} through the pass.
     *
     * @return the gradient with respect to the parameters (1 x n, same layout as {@link #parameters()})
     *         and with respect to the input
     */
    public Gradients backward(Pass pass, INDArray logitGradient) {
        INDArray gradient = Nd4j.zeros(dataType(), 1, parameterCount());
        INDArray[] dW = new INDArray[layerCount()];
        INDArray[] dB = new INDArray[layerCount()];
        viewsInto(gradient, dW, dB);
        INDArray d = logitGradient;
        for (int layer = layerCount() - 1; layer >= 0; layer--) {
            INDArray in = pass.layerInputs[layer];
            Nd4j.gemm(in, d, dW[layer], true, false, 1.0, 0.0);
            dB[layer].assign(d.sum(true, 0));
            d = d.mmul(weights[layer].transpose());
            if (layer > 0) {
                if (pass.masks[layer - 1] != null) {
                    d.muli(pass.masks[layer - 1]);
                }
                activations.get(layer - 1).backpropInPlace(d, in);
            }
        }
        return new Gradients(gradient, d);
    }

    /** What a forward pass keeps for the backward pass. */
    public static final class Pass {
        private final INDArray logits;
        private final INDArray[] layerInputs;
        private final INDArray[] masks;

        private Pass(INDArray logits, INDArray[] layerInputs, INDArray[] masks) {
            this.logits = logits;
            this.layerInputs = layerInputs;
            this.masks = masks;
        }

        public INDArray logits() {
            return logits;
        }
    }

    /** @param parameters 1 x n, the layout of {@link Mlp#parameters()}; @param input rows x inputSize */
    public record Gradients(INDArray parameters, INDArray input) { }
}
