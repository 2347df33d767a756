package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MlpTest {

    private static INDArray randomMatrix(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).castTo(DataType.FLOAT).reshape(rows, cols);
    }

    /** Loss = sum(logits * probe), summed in double: its gradient with respect to the logits is the probe itself. */
    private static double loss(Mlp mlp, INDArray x, INDArray probe, long dropoutSeed) {
        double[] logits = mlp.forward(x, true, new SplittableRandom(dropoutSeed)).logits().castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[] p = probe.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += logits[i] * p[i];
        }
        return sum;
    }

    /** d loss / d parameter i by a central difference, the dropout masks drawn as in the pass (seed 99). */
    private static double parameterDerivative(Mlp mlp, int i, double eps, INDArray x, INDArray probe) {
        INDArray params = mlp.parameters();
        double old = params.getDouble(0, i);
        params.putScalar(0, i, old + eps);
        double up = loss(mlp, x, probe, 99);
        params.putScalar(0, i, old - eps);
        double down = loss(mlp, x, probe, 99);
        params.putScalar(0, i, old);
        return (up - down) / (2 * eps);
    }

    /**
     * Central differences in single precision: with eps 2e-4, rounding (about 1e-7 relative on a loss of a few units)
     * stays under the 2e-3 tolerance; these networks are piecewise linear, so the differences are exact between kinks
     * (with eps 1e-3 one difference here crossed a ReLU's kink).
     */
    @ParameterizedTest
    @EnumSource(Kernels.class)
    void parameterGradientsMatchFiniteDifferences(Kernels kernels) {
        for (Activation activation : Activation.values()) {
            Mlp mlp = Mlp.initialise(new int[] {4, 6, 5, 3}, List.of(activation, Activation.LEAKY_RELU), 0.3, DataType.FLOAT, 7)
                    .withKernels(kernels);
            INDArray x = randomMatrix(8, 4, 1);
            INDArray probe = randomMatrix(8, 3, 2);
            Mlp.Pass pass = mlp.forward(x, true, new SplittableRandom(99));
            Mlp.Gradients g = mlp.backward(pass, probe);
            double eps = 2e-4;
            for (int i = 0; i < mlp.parameterCount(); i++) {
                double numeric = parameterDerivative(mlp, i, eps, x, probe);
                assertEquals(numeric, g.parameters().getDouble(0, i), 2e-3 * Math.max(1, Math.abs(numeric)),
                        kernels + " " + activation + " parameter " + i);
            }
            // and the input gradient
            for (int i = 0; i < x.length(); i++) {
                long r = i / 4;
                long c = i % 4;
                double old = x.getDouble(r, c);
                x.putScalar(r, c, old + eps);
                double up = loss(mlp, x, probe, 99);
                x.putScalar(r, c, old - eps);
                double down = loss(mlp, x, probe, 99);
                x.putScalar(r, c, old);
                assertEquals((up - down) / (2 * eps), g.input().getDouble(r, c), 2e-3, kernels + " " + activation + " input " + i);
            }
        }
    }

    @Test
    void directAndNd4jKernelsComputeTheSameNetwork() {
        Mlp direct = Mlp.initialise(new int[] {5, 64, 32, 4}, List.of(Activation.RELU, Activation.LEAKY_RELU), 0.2,
                DataType.FLOAT, 11).withKernels(Kernels.DIRECT);
        Mlp nd4j = direct.withKernels(Kernels.ND4J);
        INDArray x = randomMatrix(300, 5, 4);
        INDArray probe = randomMatrix(300, 4, 5);
        Mlp.Pass a = direct.forward(x, true, new SplittableRandom(3));
        Mlp.Pass b = nd4j.forward(x, true, new SplittableRandom(3));
        assertArrayEquals(b.logits().reshape(-1).toFloatVector(), a.logits().reshape(-1).toFloatVector(), 1e-4f);
        Mlp.Gradients ga = direct.backward(a, probe);
        Mlp.Gradients gb = nd4j.backward(b, probe);
        assertArrayEquals(gb.parameters().reshape(-1).toFloatVector(), ga.parameters().reshape(-1).toFloatVector(), 1e-3f);
        assertArrayEquals(gb.input().reshape(-1).toFloatVector(), ga.input().reshape(-1).toFloatVector(), 1e-4f);
        assertArrayEquals(nd4j.predictLogits(x).reshape(-1).toFloatVector(), direct.predictLogits(x).reshape(-1).toFloatVector(), 1e-4f);
    }

    /** Heap rows go through a reused input array: the same pass and gradients as an ND4J input, step after step. */
    @ParameterizedTest
    @EnumSource(Kernels.class)
    void aHeapInputGivesTheSamePassAsAnNd4jInput(Kernels kernels) {
        Mlp mlp = Mlp.initialise(new int[] {5, 16, 3}, List.of(Activation.RELU), 0.2, DataType.FLOAT, 14).withKernels(kernels);
        for (int step = 0; step < 3; step++) {
            INDArray x = randomMatrix(40, 5, 20 + step);
            INDArray probe = randomMatrix(40, 3, 30 + step);
            FloatMatrix heap = Nd4jMatrices.toFloatMatrix(x);
            float[] expectedLogits = mlp.forward(x, true, new SplittableRandom(step)).logits().reshape(-1).toFloatVector();
            float[] expectedGradient = mlp.backward(mlp.forward(x, true, new SplittableRandom(step)), probe)
                    .parameters().reshape(-1).toFloatVector();
            Mlp.Pass pass = mlp.forward(heap, true, new SplittableRandom(step));
            assertArrayEquals(expectedLogits, pass.logits().reshape(-1).toFloatVector());
            assertArrayEquals(expectedGradient, mlp.backward(pass, probe).parameters().reshape(-1).toFloatVector());
        }
        assertThrows(IllegalArgumentException.class, () -> mlp.forward(new FloatMatrix(2, 4, new float[8]), true, new SplittableRandom(1)));
    }

    /** Work handed to a forward pass runs once, beside it, and the pass is the pass without it, split in halves or not. */
    @ParameterizedTest
    @ValueSource(ints = {40, 400})
    void workBesideAForwardPassRunsOnceAndChangesNothing(int rows) {
        Mlp mlp = Mlp.initialise(new int[] {5, 128, 160, 4}, List.of(Activation.RELU, Activation.LEAKY_RELU), 0.2,
                DataType.FLOAT, 15).withKernels(Kernels.DIRECT);
        INDArray x = randomMatrix(rows, 5, 16);
        float[] expected = mlp.forward(x, true, new SplittableRandom(4)).logits().reshape(-1).toFloatVector();
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        float[] got = mlp.forward(x, true, new SplittableRandom(4), first::incrementAndGet, second::incrementAndGet)
                .logits().reshape(-1).toFloatVector();
        assertArrayEquals(expected, got);
        assertEquals(1, first.get());
        assertEquals(1, second.get());
    }

    /** One split layer, and two in a row (each half then goes through both without waiting for the other). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void layersSplitInTwoHalvesComputeTheSameNetwork(boolean twoInARow) {
        int[] sizes = twoInARow ? new int[] {5, 128, 160, 128, 4} : new int[] {5, 128, 160, 4};
        assertTrue(ParallelHalves.splits(200, 128, 160), "the middle layer must be large enough to be split");
        assertTrue(ParallelHalves.splits(200, 160, 128), "and the next one, for the run of two");
        List<Activation> activations = twoInARow ? List.of(Activation.RELU, Activation.LEAKY_RELU, Activation.LEAKY_RELU)
                : List.of(Activation.RELU, Activation.LEAKY_RELU);
        Mlp direct = Mlp.initialise(sizes, activations, 0, DataType.FLOAT, 12)
                .withKernels(Kernels.DIRECT);
        Mlp nd4j = direct.withKernels(Kernels.ND4J);
        INDArray x = randomMatrix(200, 5, 6);
        INDArray probe = randomMatrix(200, 4, 7);
        Mlp.Pass a = direct.forward(x, true, new SplittableRandom(3));
        Mlp.Pass b = nd4j.forward(x, true, new SplittableRandom(3));
        assertArrayEquals(b.logits().reshape(-1).toFloatVector(), a.logits().reshape(-1).toFloatVector(), 1e-4f);
        Mlp.Gradients expected = nd4j.backward(b, probe);
        Mlp.Gradients got = direct.backward(a, probe);
        assertArrayEquals(expected.parameters().reshape(-1).toFloatVector(), got.parameters().reshape(-1).toFloatVector(), 1e-3f);
        assertArrayEquals(expected.input().reshape(-1).toFloatVector(), got.input().reshape(-1).toFloatVector(), 1e-4f);
    }

    /** The split path with dropout: each half draws its own masks, and the gradients still match the loss. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void splitLayersWithDropoutHaveTheirLossesGradients(boolean twoInARow) {
        Mlp mlp = twoInARow
                ? Mlp.initialise(new int[] {5, 128, 160, 128, 4}, List.of(Activation.RELU, Activation.LEAKY_RELU,
                        Activation.LEAKY_RELU), 0.2, DataType.FLOAT, 13).withKernels(Kernels.DIRECT)
                : Mlp.initialise(new int[] {5, 128, 160, 4}, List.of(Activation.RELU, Activation.LEAKY_RELU), 0.2,
                        DataType.FLOAT, 13).withKernels(Kernels.DIRECT);
        INDArray x = randomMatrix(200, 5, 8);
        INDArray probe = randomMatrix(200, 4, 9).muli(0.05);
        Mlp.Pass pass = mlp.forward(x, true, new SplittableRandom(99));
        float[] g = mlp.backward(pass, probe).parameters().reshape(-1).toFloatVector();
        // The deeper network has more kinks: with eps 1e-3 one difference crossed one.
        double eps = twoInARow ? 2e-4 : 1e-3;
        SplittableRandom pick = new SplittableRandom(10);
        for (int t = 0; t < 40; t++) {
            int i = pick.nextInt(mlp.parameterCount());
            double numeric = parameterDerivative(mlp, i, eps, x, probe);
            // Gradients here are about 1e-2; rounding in the differences about 1e-4.
            assertEquals(numeric, g[i], 5e-4 + 0.02 * Math.abs(numeric), "parameter " + i);
        }
    }

    /** A mask drawn beforehand for the whole layer, then applied to its rows in two parts: the layer drawing its own. */
    @Test
    void aMaskDrawnBeforehandIsTheMaskTheLayerWouldDraw() {
        int rows = 333;
        INDArray input = randomMatrix(rows, 4, 60);
        INDArray w = randomMatrix(4, 50, 61);
        INDArray b = randomMatrix(1, 50, 62);
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, rows, 50);
        INDArray mask = Nd4j.createUninitialized(DataType.FLOAT, rows, 50);
        Kernels.DIRECT.layer(input, w, b, z, rows, Activation.LEAKY_RELU, mask, 0.3, new SplittableRandom(5));
        INDArray zParts = Nd4j.createUninitialized(DataType.FLOAT, rows, 50);
        INDArray maskParts = Nd4j.createUninitialized(DataType.FLOAT, rows, 50);
        Kernels.drawDropoutMask(maskParts, rows * 50, 0.3, new SplittableRandom(5));
        int half = 100;
        Kernels.DIRECT.layer(input, w, b, zParts, half, Activation.LEAKY_RELU, maskParts, 0.3, null);
        Kernels.DIRECT.layer(input.get(NDArrayIndex.interval(half, rows), NDArrayIndex.all()), w, b,
                zParts.get(NDArrayIndex.interval(half, rows), NDArrayIndex.all()), rows - half, Activation.LEAKY_RELU,
                maskParts.get(NDArrayIndex.interval(half, rows), NDArrayIndex.all()), 0.3, null);
        float[] drawn = mask.reshape(-1).toFloatVector();
        assertArrayEquals(drawn, maskParts.reshape(-1).toFloatVector());
        assertArrayEquals(z.reshape(-1).toFloatVector(), zParts.reshape(-1).toFloatVector());
        int dropped = 0;
        for (float m : drawn) {
            dropped += m == 0 ? 1 : 0;
        }
        assertTrue(dropped > 0.2 * drawn.length && dropped < 0.4 * drawn.length, dropped + " of " + drawn.length + " dropped");
    }

    /**
     * Backward and update in one call (the optimiser on the upper layers beside the first layer's products, the input's
     * gradient skipped; or, on rows enough to split a layer, the backward pass in row halves, the last half to finish
     * adding the two halves' gradients and updating) leaves the very parameters that backward then a whole Adam step leave, step after step.
     */
    @ParameterizedTest
    @EnumSource(Kernels.class)
    void backwardAndUpdateEqualsBackwardThenAStep(Kernels kernels) {
        assertTrue(!ParallelHalves.splits(120, 128, 160) && ParallelHalves.splits(240, 128, 160));
        for (int rows : new int[] {120, 240}) {
            backwardAndUpdateEqualsBackwardThenAStep(kernels, rows);
        }
    }

    private void backwardAndUpdateEqualsBackwardThenAStep(Kernels kernels, int rows) {
        for (int[] sizes : new int[][] {{4, 128, 160, 3}, {4, 16, 3}, {4, 3}}) {
            assertEquals(sizes.length == 4, Mlp.parameterCount(sizes) - (4 * sizes[1] + sizes[1]) >= Mlp.MIN_OVERLAPPED_PARAMETERS,
                    "the large network's upper layers are updated beside its first layer");
            List<Activation> activations = sizes.length == 4 ? List.of(Activation.RELU, Activation.LEAKY_RELU)
                    : sizes.length == 3 ? List.of(Activation.LEAKY_RELU) : List.of();
            Mlp separate = Mlp.initialise(sizes, activations, 0.1, DataType.FLOAT, 31).withKernels(kernels);
            Mlp together = Mlp.fromParameters(sizes, activations, 0.1, separate.parameterValues(), DataType.FLOAT)
                    .withKernels(kernels);
            AdamOptimizer separateAdam = new AdamOptimizer(separate.parameters(), 0.01, kernels);
            AdamOptimizer togetherAdam = new AdamOptimizer(together.parameters(), 0.01, kernels);
            AtomicInteger besides = new AtomicInteger();
            AtomicInteger secondBesides = new AtomicInteger();
            for (int step = 0; step < 3; step++) {
                INDArray x = randomMatrix(rows, 4, 40 + step);
                FloatMatrix probe = Nd4jMatrices.toFloatMatrix(randomMatrix(rows, sizes[sizes.length - 1], 50 + step));
                separateAdam.step(separate.backward(separate.forward(x, true, new SplittableRandom(step)), probe).parameters());
                togetherAdam.beginStep();
                // Other work beside the output layer (the trainer's fine-tuned experts) runs once and changes nothing here:
                // beside both halves, beside the first only, beside the second only (then the first half finishes the step).
                together.backwardAndUpdate(together.forward(x, true, new SplittableRandom(step)), probe, togetherAdam::update,
                        step == 2 ? null : besides::incrementAndGet, step == 1 ? null : secondBesides::incrementAndGet);
                assertArrayEquals(separate.parameterValues(), together.parameterValues(), kernels + " " + rows + " rows " + sizes.length + " step " + step);
                assertEquals(Math.min(step + 1, 2), besides.get());
                assertEquals(step == 2 ? 2 : 1, secondBesides.get());
            }
        }
    }

    /** A failure in the work beside the second half reaches the caller, after the step; nothing waits for ever. */
    @Test
    void aFailureBesideTheSecondHalfIsRethrown() {
        Mlp mlp = Mlp.initialise(new int[] {4, 128, 160, 3}, List.of(Activation.RELU, Activation.LEAKY_RELU), 0.1, DataType.FLOAT, 3);
        AdamOptimizer adam = new AdamOptimizer(mlp.parameters(), 0.01);
        INDArray x = randomMatrix(240, 4, 1);
        FloatMatrix probe = Nd4jMatrices.toFloatMatrix(randomMatrix(240, 3, 2));
        adam.beginStep();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mlp.backwardAndUpdate(
                mlp.forward(x, true, new SplittableRandom(1)), probe, adam::update, null, () -> {
                    throw new IllegalStateException("beside");
                }));
        assertEquals("beside", e.getMessage());
    }

    @Test
    void blockwiseInferenceEqualsTheWholeBatchForAnyRowCountAndThread() throws Exception {
        Mlp mlp = Mlp.initialise(new int[] {6, 40, 20, 3}, List.of(Activation.LEAKY_RELU, Activation.RELU), 0.1, DataType.FLOAT, 5);
        for (int rows : new int[] {0, 1, Mlp.INFERENCE_BLOCK - 1, Mlp.INFERENCE_BLOCK, 2 * Mlp.INFERENCE_BLOCK + 17}) {
            SplittableRandom random = new SplittableRandom(rows);
            float[] values = new float[rows * 6];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            FloatMatrix input = new FloatMatrix(rows, 6, values);
            float[] whole = rows == 0 ? new float[0]
                    : mlp.predictLogits(Nd4jMatrices.toNd4j(input, DataType.FLOAT)).reshape(-1).toFloatVector();
            assertArrayEquals(whole, mlp.predictLogits(input).values(), 1e-5f, rows + " rows");
            // Other threads have their own buffers: the same answers, concurrently.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> answers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    answers.add(pool.submit(() -> mlp.predictLogits(input).values()));
                }
                for (Future<float[]> answer : answers) {
                    assertArrayEquals(whole, answer.get(), 1e-5f, rows + " rows, another thread");
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void heapLogitsAndGradientsGiveTheSameStepAsNd4jArrays() {
        Mlp mlp = Mlp.initialise(new int[] {4, 16, 3}, List.of(Activation.RELU), 0, DataType.FLOAT, 21);
        INDArray x = randomMatrix(50, 4, 22);
        INDArray probe = randomMatrix(50, 3, 23);
        Mlp.Pass pass = mlp.forward(x, true, new SplittableRandom(1));
        assertArrayEquals(pass.logits().reshape(-1).toFloatVector(), pass.logitValues().values());
        float[] viaArray = mlp.backward(pass, probe).parameters().dup().reshape(-1).toFloatVector();
        float[] viaHeap = mlp.backward(pass, Nd4jMatrices.toFloatMatrix(probe)).parameters().reshape(-1).toFloatVector();
        assertArrayEquals(viaArray, viaHeap);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp.backward(pass, new FloatMatrix(50, 2, new float[100])));
        assertEquals("the logits are 50 x 3, their gradient 50 x 2", e.getMessage());
    }

    @Test
    void dropoutDropsItsShareAndKeepsTheExpectation() {
        float[] mask = new float[200_000];
        Kernels.fillDropoutMask(mask, mask.length, 0.1, new SplittableRandom(8));
        int dropped = 0;
        double sum = 0;
        for (float m : mask) {
            dropped += m == 0 ? 1 : 0;
            sum += m;
        }
        assertEquals(0.1, dropped / (double) mask.length, 0.003);
        assertEquals(1.0, sum / mask.length, 0.005);
    }

    @Test
    void refusesDoublePrecision() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mlp.initialise(new int[] {2, 2}, List.of(), 0, DataType.DOUBLE, 1));
        assertEquals("networks compute in single precision (FLOAT), got DOUBLE", e.getMessage());
    }

    @Test
    void layerWeightsAreViewsOfTheFlatParameters() {
        Mlp mlp = Mlp.initialise(new int[] {3, 4, 2}, List.of(Activation.IDENTITY), 0, DataType.FLOAT, 1);
        INDArray x = randomMatrix(5, 3, 3);
        INDArray before = mlp.predictLogits(x).dup();
        mlp.parameters().muli(2.0); // identity hidden activation: all weights and biases doubled
        INDArray after = mlp.predictLogits(x);
        assertNotEquals(before, after);
        // Doubling every weight and bias of a two-layer linear net: out = x(2W1)(2W2) + (2b1)(2W2) + 2b2.
        Mlp doubled = Mlp.fromParameters(new int[] {3, 4, 2}, List.of(Activation.IDENTITY), 0, mlp.parameterValues(), DataType.FLOAT);
        assertArrayEquals(after.reshape(-1).toDoubleVector(), doubled.predictLogits(x).reshape(-1).toDoubleVector(), 1e-5);
    }

    @Test
    void sameSeedSameNetwork() {
        Mlp a = Mlp.initialise(new int[] {4, 8, 3}, List.of(Activation.RELU), 0, DataType.FLOAT, 42);
        Mlp b = Mlp.initialise(new int[] {4, 8, 3}, List.of(Activation.RELU), 0, DataType.FLOAT, 42);
        Mlp c = Mlp.initialise(new int[] {4, 8, 3}, List.of(Activation.RELU), 0, DataType.FLOAT, 43);
        assertArrayEquals(a.parameterValues(), b.parameterValues());
        assertNotEquals(a.parameters(), c.parameters());
        // PyTorch's default init bound: 1/sqrt(fan-in) = 0.5 for the first layer.
        for (float v : a.parameterValues()) {
            assertEquals(0, v, 0.5 + 1e-6);
        }
    }

    @Test
    void rejectsWrongInputWidth() {
        Mlp mlp = Mlp.initialise(new int[] {4, 3}, List.of(), 0, DataType.FLOAT, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp.forward(Nd4j.zeros(DataType.FLOAT, 2, 5), false, new SplittableRandom(1)));
        assertEquals("expected rows x 4 input, got [2, 5]", e.getMessage());
    }

    @Test
    void adamFitsALinearMap() {
        // y = x A: a linear net trained with Adam on squared error gets close.
        INDArray x = randomMatrix(64, 3, 5).castTo(DataType.FLOAT);
        INDArray a = Nd4j.createFromArray(new float[][] {{1, -2}, {0.5f, 1}, {-1, 3}});
        INDArray y = x.mmul(a);
        Mlp mlp = Mlp.initialise(new int[] {3, 2}, List.of(), 0, DataType.FLOAT, 3);
        AdamOptimizer adam = new AdamOptimizer(mlp.parameters(), 0.05);
        for (int i = 0; i < 500; i++) {
            Mlp.Pass pass = mlp.forward(x, true, new SplittableRandom(0));
            INDArray d = pass.logits().sub(y).muli(2.0 / 64);
            adam.step(mlp.backward(pass, d).parameters());
        }
        double mse = mlp.predictLogits(x).sub(y).norm2Number().doubleValue();
        assertEquals(0, mse, 0.05);
    }
}
