package dev.moe.gating.nn;

import dev.moe.api.FloatMatrix;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>Single precision only ({@link DataType#FLOAT}): the direct BLAS kernels are {@code sgemm}. The work itself is
 * done by {@link Kernels#forBackend()}.
 */
public final class Mlp {

    /** Rows per block in {@link #predictLogits(FloatMatrix)}. */
    static final int INFERENCE_BLOCK = 1024;

    private final int[] sizes;
    private final List<Activation> activations;
    private final double dropout;
    private final INDArray parameters;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final Kernels kernels;
    private final ThreadLocal<InferenceBuffers> inferenceBuffers = ThreadLocal.withInitial(InferenceBuffers::new);
    /** By row count, the two most recently used (see {@link TrainingBuffers}). */
    private final Map<Long, TrainingBuffers> trainingBuffers = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TrainingBuffers> eldest) {
            return size() > 2;
        }
    };

    private Mlp(int[] sizes, List<Activation> activations, double dropout, INDArray parameters) {
        this(sizes, activations, dropout, parameters, Kernels.forBackend());
    }

    private Mlp(int[] sizes, List<Activation> activations, double dropout, INDArray parameters, Kernels kernels) {
        this.sizes = sizes.clone();
        this.activations = List.copyOf(activations);
        this.dropout = dropout;
        this.parameters = parameters;
        this.weights = new INDArray[layerCount()];
        this.biases = new INDArray[layerCount()];
        this.kernels = kernels;
        viewsInto(parameters, weights, biases);
    }

    /** The same network (same parameter memory) computed by the given kernels: for tests that compare them. */
    Mlp withKernels(Kernels other) {
        return new Mlp(sizes, activations, dropout, parameters, other);
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
        validate(sizes, activations, dropout, dataType);
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
        validate(sizes, activations, dropout, dataType);
        if (values.length != parameterCount(sizes)) {
            throw new IllegalArgumentException("layer sizes " + Arrays.toString(sizes) + " need "
                    + parameterCount(sizes) + " parameters, got " + values.length);
        }
        return new Mlp(sizes, activations, dropout, Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length));
    }

    private static void validate(int[] sizes, List<Activation> activations, double dropout, DataType dataType) {
        Objects.requireNonNull(activations, "activations");
        if (dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("networks compute in single precision (FLOAT), got " + dataType);
        }
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

    /**
     * The logits a network gives every row when it has no hidden layer and all its input weights are 0, as the gate
     * of a row-independent strategy (constant, product) is trained: its output bias. Null for any other network.
     * Reads the flat layout of {@link #fromParameters} (weights, then bias, per layer) without creating an array.
     */
    public static float[] constantLogits(int[] sizes, float[] values) {
        if (sizes.length != 2 || values.length != parameterCount(sizes)) {
            return null;
        }
        int weights = sizes[0] * sizes[1];
        for (int i = 0; i < weights; i++) {
            if (values[i] != 0f) {
                return null;
            }
        }
        return Arrays.copyOfRange(values, weights, values.length);
    }

    /** How many flat parameters a network of these layer sizes has. */
    public static int parameterCount(int[] sizes) {
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

    /**
     * Logits for inference (no dropout), block by block through the calling thread's own fixed buffers: memory stays
     * the same whatever the row count, and nothing is allocated per call but the result. From two blocks on, half of
     * them run on a second core ({@link ParallelHalves}). Safe from several threads.
     */
    public FloatMatrix predictLogits(FloatMatrix input) {
        if (input.columns() != inputSize()) {
            throw new IllegalArgumentException("expected rows x " + inputSize() + " input, got " + input.rows() + " x "
                    + input.columns());
        }
        if (kernels != Kernels.DIRECT) {
            return Nd4jMatrices.toFloatMatrix(predictLogits(Nd4jMatrices.toNd4j(input, DataType.FLOAT)));
        }
        float[] logits = new float[Math.multiplyExact(input.rows(), outputSize())];
        int blocks = (input.rows() + INFERENCE_BLOCK - 1) / INFERENCE_BLOCK;
        if (blocks >= 2) {
            // Two or more blocks: half of them on the second core, each thread with its own buffers.
            int half = blocks / 2;
            ParallelHalves.run(() -> predictBlocks(input, half, blocks, logits), () -> predictBlocks(input, 0, half, logits));
        } else {
            predictBlocks(input, 0, blocks, logits);
        }
        return new FloatMatrix(input.rows(), outputSize(), logits);
    }

    /** Blocks {@code from..to-1} of the input through the network into their rows of {@code logits}. */
    private void predictBlocks(FloatMatrix input, int from, int to, float[] logits) {
        InferenceBuffers buffers = inferenceBuffers.get();
        int in = inputSize();
        int out = outputSize();
        FloatBuffer first = Blas.floats(buffers.input);
        for (int block = from; block < to; block++) {
            int start = block * INFERENCE_BLOCK;
            int rows = Math.min(INFERENCE_BLOCK, input.rows() - start);
            first.put(0, input.values(), start * in, rows * in);
            INDArray a = buffers.input;
            for (int layer = 0; layer < layerCount(); layer++) {
                INDArray z = buffers.outputs[layer];
                kernels.layer(a, weights[layer], biases[layer], z, rows, activation(layer), null, 0, null);
                a = z;
            }
            Blas.floats(a).get(0, logits, start * out, rows * out);
        }
    }

    /**
     * One thread's inference arrays, {@link #INFERENCE_BLOCK} rows each. Blocks rather than whole batches: a block's
     * activations stay in the cache, and new ND4J arrays (zero-filled) cost about a third of inference time here.
     */
    private final class InferenceBuffers {
        final INDArray input = Nd4j.createUninitialized(DataType.FLOAT, INFERENCE_BLOCK, inputSize());
        final INDArray[] outputs = new INDArray[layerCount()];

        InferenceBuffers() {
            for (int layer = 0; layer < layerCount(); layer++) {
                outputs[layer] = Nd4j.createUninitialized(DataType.FLOAT, INFERENCE_BLOCK, sizes[layer + 1]);
            }
        }
    }

    /** Logits for inference: no dropout, nothing kept for a backward pass; safe to call from several threads. */
    public INDArray predictLogits(INDArray input) {
        checkInput(input);
        INDArray a = Blas.dense(input);
        for (int layer = 0; layer < layerCount(); layer++) {
            INDArray z = Nd4j.createUninitialized(DataType.FLOAT, input.rows(), sizes[layer + 1]);
            kernels.layer(a, weights[layer], biases[layer], z, (int) input.rows(), activation(layer), null, 0, null);
            a = z;
        }
        return a;
    }

    /**
     * Forward pass that keeps what {@link #backward} needs. Training is one thread's work: the pass lives in arrays
     * this network reuses, valid until its next {@code forward} with as many rows.
     *
     * @param random draws the dropout masks while training; unused when {@code training} is false
     */
    public Pass forward(INDArray input, boolean training, SplittableRandom random) {
        return forward(input, training, random, null, null);
    }

    /**
     * {@link #forward(INDArray, boolean, SplittableRandom)} with independent work (other networks' passes, say) run
     * beside it, each part (either may be null) on its own core after one row half of the pass when the pass is split
     * in halves, or beside the pass: one hand-off for all of it, and each core busy until it is done.
     */
    public Pass forward(INDArray input, boolean training, SplittableRandom random, Runnable besideFirst,
                        Runnable besideSecond) {
        checkInput(input);
        TrainingBuffers buffers = buffersFor(input.rows());
        INDArray[] layerInputs = new INDArray[layerCount()];
        INDArray[] masks = new INDArray[layerCount()];
        INDArray a = Blas.dense(input);
        int rows = (int) input.rows();
        for (int layer = 0; layer < layerCount(); layer++) {
            layerInputs[layer] = layer == 0 ? a : buffers.outputs[layer - 1];
            masks[layer] = training ? buffers.masks[layer] : null; // null for the output layer and without dropout
        }
        if (kernels == Kernels.DIRECT && anyLayerSplits(rows)) {
            // Rows are independent: each half goes through every layer without waiting for the other, one hand-off a
            // pass. The masks are those the layers draw one after the other: a layer too small to split draws its
            // whole mask here first (the halves then apply it), a split one gets a dropout stream per half.
            SplittableRandom[] firstRandoms = new SplittableRandom[layerCount()];
            SplittableRandom[] secondRandoms = new SplittableRandom[layerCount()];
            for (int l = 0; l < layerCount(); l++) {
                if (masks[l] != null && !splits(rows, l)) {
                    Kernels.drawDropoutMask(masks[l], rows * sizes[l + 1], dropout, random);
                } else if (masks[l] != null) {
                    firstRandoms[l] = random.split();
                    secondRandoms[l] = random.split();
                }
            }
            int half = rows / 2;
            ParallelHalves.run(() -> {
                forwardRows(layerInputs, masks, buffers, 1, half, rows, secondRandoms);
                runIfAny(besideSecond);
            }, () -> {
                forwardRows(layerInputs, masks, buffers, 0, 0, half, firstRandoms);
                runIfAny(besideFirst);
            });
        } else {
            Runnable pass = () -> {
                for (int layer = 0; layer < layerCount(); layer++) {
                    kernels.layer(layerInputs[layer], weights[layer], biases[layer], buffers.outputs[layer], rows,
                            activation(layer), masks[layer], dropout, random);
                }
                runIfAny(besideFirst);
            };
            if (besideSecond != null) {
                ParallelHalves.run(besideSecond, pass);
            } else {
                pass.run();
            }
        }
        return new Pass(buffers.outputs[layerCount() - 1], layerInputs, masks, buffers);
    }

    private static void runIfAny(Runnable work) {
        if (work != null) {
            work.run();
        }
    }

    /** Whether some layer on {@code rows} rows is large enough to split in two row halves: then every layer is. */
    private boolean anyLayerSplits(long rows) {
        for (int layer = 0; layer < layerCount(); layer++) {
            if (splits(rows, layer)) {
                return true;
            }
        }
        return false;
    }

    /** Whether layer {@code layer} on {@code rows} rows is large enough to split in two row halves. */
    private boolean splits(long rows, int layer) {
        return ParallelHalves.splits(rows, sizes[layer], sizes[layer + 1]);
    }

    /**
     * Rows {@code from..to-1} (half {@code side} of them) through every layer of a forward pass whose arrays are set up;
     * a null random with a mask applies the mask drawn already.
     */
    private void forwardRows(INDArray[] layerInputs, INDArray[] masks, TrainingBuffers buffers, int side, int from, int to,
                             SplittableRandom[] randoms) {
        for (int l = 0; l < layerCount(); l++) {
            kernels.layer(buffers.half(layerInputs[l], side), weights[l], biases[l], buffers.half(buffers.outputs[l], side),
                    to - from, activation(l), buffers.half(masks[l], side), dropout, randoms[l]);
        }
    }

    /**
     * {@link #forward(INDArray, boolean, SplittableRandom)} on rows from the heap, copied into an input array this
     * network reuses with the direct kernels: a training step then allocates no ND4J memory (a new ND4J array is
     * zero-filled native memory, and cost more than a small expert's products).
     */
    public Pass forward(FloatMatrix input, boolean training, SplittableRandom random) {
        if (kernels != Kernels.DIRECT) {
            return forward(Nd4jMatrices.toNd4j(input, DataType.FLOAT), training, random);
        }
        if (input.columns() != inputSize()) {
            throw new IllegalArgumentException("expected rows x " + inputSize() + " input, got " + input.rows() + " x "
                    + input.columns());
        }
        INDArray reused = buffersFor(input.rows()).input();
        Blas.floats(reused).put(0, input.values(), 0, input.rows() * inputSize());
        return forward(reused, training, random);
    }

    private TrainingBuffers buffersFor(long rows) {
        synchronized (trainingBuffers) {
            TrainingBuffers buffers = trainingBuffers.get(rows);
            if (buffers == null) {
                buffers = new TrainingBuffers(rows);
                trainingBuffers.put(rows, buffers);
            }
            return buffers;
        }
    }

    /**
     * The arrays a training step writes, kept for the next step with as many rows: allocating them every step cost
     * more than the products here (ND4J zero-fills new memory). Full batches and a smaller last batch alternate, so
     * two sizes are kept.
     */
    private final class TrainingBuffers {
        final INDArray[] outputs = new INDArray[layerCount()];
        final INDArray[] masks = new INDArray[layerCount()];
        /** The gradient with respect to each layer's input. */
        final INDArray[] inputGradients = new INDArray[layerCount()];
        final INDArray gradient = Nd4j.createUninitialized(DataType.FLOAT, 1, parameterCount());
        final INDArray[] weightGradients = new INDArray[layerCount()];
        final INDArray[] biasGradients = new INDArray[layerCount()];
        /**
         * The second row half's share of the gradient when the backward pass runs in two row halves (the first half's
         * goes into {@link #gradient}, then this is added to it); made on first use.
         */
        private INDArray secondGradient;
        final INDArray[] secondWeightGradients = new INDArray[layerCount()];
        final INDArray[] secondBiasGradients = new INDArray[layerCount()];
        /** A column of ones: the bias gradients are the products {@code d^T ones}. */
        final INDArray ones;
        /** The logits' gradient when it comes as a heap matrix. */
        final INDArray logitGradient;
        private final long rows;
        /** The input when it comes as a heap matrix; made on first use. */
        private INDArray input;
        /**
         * Views of the first and second row halves of these arrays, made once: a view costs microseconds, and a step
         * takes about twenty. Read by both halves' threads, written only while the buffers are made.
         */
        private final Map<INDArray, INDArray[]> halves = new IdentityHashMap<>();

        INDArray input() {
            if (input == null) {
                input = Nd4j.createUninitialized(DataType.FLOAT, rows, inputSize());
                addHalves(input);
            }
            return input;
        }

        TrainingBuffers(long rows) {
            this.rows = rows;
            ones = Nd4j.ones(DataType.FLOAT, rows, 1);
            logitGradient = Nd4j.createUninitialized(DataType.FLOAT, rows, outputSize());
            addHalves(logitGradient);
            for (int layer = 0; layer < layerCount(); layer++) {
                outputs[layer] = Nd4j.createUninitialized(DataType.FLOAT, rows, sizes[layer + 1]);
                inputGradients[layer] = Nd4j.createUninitialized(DataType.FLOAT, rows, sizes[layer]);
                addHalves(outputs[layer]);
                addHalves(inputGradients[layer]);
                if (layer + 1 < layerCount() && dropout > 0) {
                    masks[layer] = Nd4j.createUninitialized(DataType.FLOAT, rows, sizes[layer + 1]);
                    addHalves(masks[layer]);
                }
            }
            viewsInto(gradient, weightGradients, biasGradients);
        }

        INDArray secondGradient() {
            if (secondGradient == null) {
                secondGradient = Nd4j.createUninitialized(DataType.FLOAT, 1, parameterCount());
                viewsInto(secondGradient, secondWeightGradients, secondBiasGradients);
            }
            return secondGradient;
        }

        private void addHalves(INDArray a) {
            if (rows >= 2) {
                halves.put(a, new INDArray[] {rowRange(a, 0, (int) (rows / 2)), rowRange(a, (int) (rows / 2), (int) rows)});
            }
        }

        /** Rows 0..rows/2-1 ({@code side} 0) or rows/2.. (side 1) of an array with these rows; null for null. */
        INDArray half(INDArray a, int side) {
            if (a == null) {
                return null;
            }
            INDArray[] made = halves.get(a);
            if (made != null) {
                return made[side];
            }
            int half = (int) (a.rows() / 2);
            return side == 0 ? rowRange(a, 0, half) : rowRange(a, half, (int) a.rows());
        }
    }

    /** Rows {@code from..to-1} of a dense row-major matrix, as a view (dense too). */
    private static INDArray rowRange(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** The hidden layer's activation; the output layer's logits are linear. */
    private Activation activation(int layer) {
        return layer + 1 < layerCount() ? activations.get(layer) : Activation.IDENTITY;
    }

    private void checkInput(INDArray input) {
        if (input.rank() != 2 || input.columns() != inputSize()) {
            throw new IllegalArgumentException("expected rows x " + inputSize() + " input, got " + Arrays.toString(input.shape()));
        }
    }

    /**
     * What to do with a part of the parameters' gradient as soon as the backward pass has finished it: typically the
     * optimiser's step on those parameters. Parts are disjoint ranges {@code from..to-1} of the flat layout of
     * {@link #parameters()}; two of them may be handled at once on different threads.
     */
    @FunctionalInterface
    public interface ParameterUpdate {
        void update(INDArray gradient, int from, int to);
    }

    /** Below this many parameters above the first layer, updating them is not worth a hand-off to a second core. */
    static final int MIN_OVERLAPPED_PARAMETERS = 8192;

    /**
     * {@link #backward(Pass, INDArray)} with the logits' gradient as a heap matrix (rows x outputs), copied into an
     * array this network reuses rather than a new ND4J array each step.
     */
    public Gradients backward(Pass pass, FloatMatrix logitGradient) {
        return backward(pass, logitArray(pass, logitGradient), true, null, null, null);
    }

    /**
     * Back-propagates {@code dLoss/dLogits} through the pass.
     *
     * @return the gradient with respect to the parameters (1 x n, same layout as {@link #parameters()})
     *         and with respect to the input, in arrays this network reuses (see {@link Gradients})
     */
    public Gradients backward(Pass pass, INDArray logitGradient) {
        return backward(pass, logitGradient, true, null, null, null);
    }

    /**
     * A training step's backward pass and update: the parameters' gradient as {@link #backward} computes it, handed to
     * {@code update} in parts as they are finished; the input's gradient, which training does not use, is skipped.
     * With the direct kernels the update of every layer above the first runs on a second core beside the first
     * layer's products (that layer is too small to split, and its products left the other core idle).
     */
    public void backwardAndUpdate(Pass pass, FloatMatrix logitGradient, ParameterUpdate update) {
        backwardAndUpdate(pass, logitGradient, update, null, null);
    }

    /**
     * {@link #backwardAndUpdate(Pass, FloatMatrix, ParameterUpdate)} with independent work (e.g. other networks'
     * steps; either part may be null) run beside it: each part after one row half of the backward pass when it is
     * split in halves, otherwise both on a second core beside this network's output layer.
     */
    public void backwardAndUpdate(Pass pass, FloatMatrix logitGradient, ParameterUpdate update, Runnable besideFirst,
                                  Runnable besideSecond) {
        Objects.requireNonNull(update, "update");
        backward(pass, logitArray(pass, logitGradient), false, update, besideFirst, besideSecond);
    }

    /** The logits' gradient in the pass's reused array (direct kernels) or a new ND4J array. */
    private INDArray logitArray(Pass pass, FloatMatrix logitGradient) {
        if (kernels != Kernels.DIRECT) {
            return Nd4jMatrices.toNd4j(logitGradient, DataType.FLOAT);
        }
        INDArray logits = pass.logits;
        if (logitGradient.rows() != logits.rows() || logitGradient.columns() != logits.columns()) {
            throw new IllegalArgumentException("the logits are " + logits.rows() + " x " + logits.columns()
                    + ", their gradient " + logitGradient.rows() + " x " + logitGradient.columns());
        }
        Blas.floats(pass.buffers.logitGradient).put(0, logitGradient.values());
        return pass.buffers.logitGradient;
    }

    private Gradients backward(Pass pass, INDArray logitGradient, boolean inputGradientWanted, ParameterUpdate updateOrNull,
                               Runnable besideFirst, Runnable besideSecond) {
        TrainingBuffers buffers = pass.buffers;
        INDArray d = Blas.dense(logitGradient);
        if (kernels == Kernels.DIRECT && anyLayerSplits(d.rows())) {
            return backwardInHalves(pass, d, inputGradientWanted, updateOrNull, besideFirst, besideSecond);
        }
        Runnable besideOrNull = besideFirst == null ? besideSecond : besideSecond == null ? besideFirst : () -> {
            besideFirst.run();
            besideSecond.run();
        };
        int top = layerCount() - 1;
        boolean besideTop = besideOrNull != null && kernels == Kernels.DIRECT && top > 0;
        if (besideOrNull != null && !besideTop) {
            besideOrNull.run();
        }
        // Every weight and bias gradient is written below (products with beta 0, column sums): no zeroing needed.
        int upperParameters = parameterCount() - (sizes[0] * sizes[1] + sizes[1]);
        for (int layer = layerCount() - 1; layer >= 0; layer--) {
            INDArray in = pass.layerInputs[layer];
            INDArray above = d;
            INDArray below = buffers.inputGradients[layer];
            int l = layer;
            Runnable parameterGradients = () -> {
                kernels.gemm(in, true, above, false, buffers.weightGradients[l], 0f);
                kernels.columnSums(above, buffers.ones, buffers.biasGradients[l]);
            };
            Runnable inputGradient = () -> {
                kernels.gemm(above, false, weights[l], true, below, 0f);
                if (l > 0) {
                    kernels.backprop(activations.get(l - 1), below, in, pass.masks[l - 1]);
                }
            };
            if (layer == 0 && !inputGradientWanted) {
                if (updateOrNull != null && kernels == Kernels.DIRECT && upperParameters >= MIN_OVERLAPPED_PARAMETERS) {
                    // The first layer's products leave the second core to the optimiser's step on the layers above.
                    int first = parameterCount() - upperParameters;
                    ParallelHalves.run(() -> updateOrNull.update(buffers.gradient, first, parameterCount()), parameterGradients);
                    updateOrNull.update(buffers.gradient, 0, first);
                    return new Gradients(buffers.gradient, null);
                }
                parameterGradients.run();
                d = null;
            } else if (layer == top && besideTop) {
                ParallelHalves.run(besideOrNull, () -> {
                    parameterGradients.run();
                    inputGradient.run();
                });
                d = below;
            } else {
                parameterGradients.run();
                inputGradient.run();
                d = below;
            }
        }
        if (updateOrNull != null) {
            updateOrNull.update(buffers.gradient, 0, parameterCount());
        }
        return new Gradients(buffers.gradient, d);
    }

    /**
     * The backward pass of a network with a layer large enough to split, in two row halves: each half goes down every
     * layer for its rows without waiting for the other, as on the way forward, and sums its rows' share of the
     * parameters' gradient into its own array; the half that finishes last adds the two and updates the parameters
     * (or the first half, when the second has work beside; the sums' order, not the core count or the timing, decides
     * the result). One hand-off a backward pass instead of
     * one per layer, and even halves (a layer's weight gradient beside its input gradient and derivative pass was not).
     */
    private Gradients backwardInHalves(Pass pass, INDArray d, boolean inputGradientWanted, ParameterUpdate updateOrNull,
                                       Runnable besideFirst, Runnable besideSecond) {
        TrainingBuffers buffers = pass.buffers;
        INDArray second = buffers.secondGradient();
        int n = parameterCount();
        Runnable finish = () -> {
            Kernels.addInto(buffers.gradient, second, 0, n);
            if (updateOrNull != null) {
                updateOrNull.update(buffers.gradient, 0, n);
            }
        };
        if (besideSecond != null) {
            // Work beside the second half (callers give it the larger part, say two fine-tuned experts against one):
            // the first half, once done with its own work beside, finishes the step, so that the optimiser's step does
            // not lengthen the busier core's share. It waits for the second half's rows only, not its work beside.
            CountDownLatch secondRowsDone = new CountDownLatch(1);
            AtomicBoolean secondRowsFailed = new AtomicBoolean(true);
            ParallelHalves.run(() -> {
                try {
                    backwardRows(pass, d, 1, buffers.secondWeightGradients, buffers.secondBiasGradients, inputGradientWanted);
                    secondRowsFailed.set(false);
                } finally {
                    secondRowsDone.countDown(); // also on a failure, which ParallelHalves rethrows: the first half never hangs
                }
                besideSecond.run();
            }, () -> {
                backwardRows(pass, d, 0, buffers.weightGradients, buffers.biasGradients, inputGradientWanted);
                runIfAny(besideFirst);
                ParallelHalves.awaitUninterruptibly(secondRowsDone);
                if (!secondRowsFailed.get()) {
                    finish.run();
                }
            });
            return new Gradients(buffers.gradient, inputGradientWanted ? buffers.inputGradients[0] : null);
        }
        AtomicInteger halvesLeft = new AtomicInteger(2);
        // The last half to finish its rows sees the other's gradient (the decrement orders their writes) and finishes the
        // step, while the other core goes on to its work beside: no further hand-off.
        Runnable finishIfLast = () -> {
            if (halvesLeft.decrementAndGet() == 0) {
                finish.run();
            }
        };
        ParallelHalves.run(() -> {
            backwardRows(pass, d, 1, buffers.secondWeightGradients, buffers.secondBiasGradients, inputGradientWanted);
            finishIfLast.run();
            runIfAny(besideSecond);
        }, () -> {
            backwardRows(pass, d, 0, buffers.weightGradients, buffers.biasGradients, inputGradientWanted);
            finishIfLast.run();
            runIfAny(besideFirst);
        });
        return new Gradients(buffers.gradient, inputGradientWanted ? buffers.inputGradients[0] : null);
    }

    /** Row half {@code side} of a backward pass, its share of the parameters' gradient written into the given views. */
    private void backwardRows(Pass pass, INDArray logitGradient, int side, INDArray[] weightGradients,
                              INDArray[] biasGradients, boolean inputGradientWanted) {
        TrainingBuffers buffers = pass.buffers;
        INDArray above = buffers.half(logitGradient, side);
        for (int l = layerCount() - 1; l >= 0; l--) {
            INDArray in = buffers.half(pass.layerInputs[l], side);
            kernels.gemm(in, true, above, false, weightGradients[l], 0f);
            kernels.columnSums(above, buffers.ones, biasGradients[l]);
            if (l == 0 && !inputGradientWanted) {
                return;
            }
            INDArray below = buffers.half(buffers.inputGradients[l], side);
            kernels.gemm(above, false, weights[l], true, below, 0f);
            if (l > 0) {
                kernels.backprop(activations.get(l - 1), below, in, buffers.half(pass.masks[l - 1], side));
            }
            above = below;
        }
    }

    /** What a forward pass keeps for the backward pass. */
    public static final class Pass {
        private final INDArray logits;
        private final INDArray[] layerInputs;
        private final INDArray[] masks;
        private final TrainingBuffers buffers;

        private Pass(INDArray logits, INDArray[] layerInputs, INDArray[] masks, TrainingBuffers buffers) {
            this.logits = logits;
            this.layerInputs = layerInputs;
            this.masks = masks;
            this.buffers = buffers;
        }

        public INDArray logits() {
            return logits;
        }

        /** A heap copy of the logits. */
        public FloatMatrix logitValues() {
            if (Kernels.forBackend() == Kernels.DIRECT) { // Java can read the buffer's memory: one bulk copy
                float[] values = new float[(int) logits.length()];
                Blas.floats(logits).get(0, values);
                return new FloatMatrix((int) logits.rows(), (int) logits.columns(), values);
            }
            return Nd4jMatrices.toFloatMatrix(logits);
        }
    }

    /**
     * Both live in the network's reused arrays, like the pass: valid until its next {@code backward} with as many rows.
     *
     * @param parameters 1 x n, the layout of {@link Mlp#parameters()}; @param input rows x inputSize (null from
     *                   {@link Mlp#backwardAndUpdate}, which skips it)
     */
    public record Gradients(INDArray parameters, INDArray input) { }
}
