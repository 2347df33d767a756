package dev.moe.gating.nn;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The few operations an {@link Mlp} is made of, in two implementations: {@link #DIRECT} (OpenBLAS called directly,
 * Java loops over the arrays' memory; the CPU backend) and {@link #ND4J} (ND4J's ops; any backend, e.g. CUDA, whose
 * arrays' memory Java cannot simply read). Both compute the same functions; tests hold them to each other.
 *
 * <p>Why two: on the seed experiment's gate, ND4J's element-wise ops, new arrays and row-major products took most
 * of the training time. The direct kernels make one pass over a layer's output after its product (activation and
 * dropout together, in heap chunks the JIT vectorises) and one pass per layer going back.
 */
public enum Kernels {
    DIRECT {
        @Override
        void layer(INDArray input, INDArray weights, INDArray bias, INDArray z, int rows, Activation activation,
                   INDArray maskOrNull, double dropout, SplittableRandom random) {
            int out = (int) bias.columns();
            FloatBuffer values = Blas.floats(z);
            // Each row starts as the bias and the product is added onto it (beta = 1). The bias is repeated on the
            // heap for a chunk of rows and copied a chunk at a time: a copy per row cost a third of a small
            // network's step.
            int rowsPerChunk = Math.max(1, Math.min(rows, CHUNK / Math.max(1, out)));
            float[] biasRows = new float[rowsPerChunk * out];
            Blas.floats(bias).get(0, biasRows, 0, out);
            for (int r = 1; r < rowsPerChunk; r++) {
                System.arraycopy(biasRows, 0, biasRows, r * out, out);
            }
            for (int first = 0; first < rows; first += rowsPerChunk) {
                values.put(first * out, biasRows, 0, Math.min(rowsPerChunk, rows - first) * out);
            }
            Blas.gemmRows(input, weights, z, rows, 1f);
            if (activation == Activation.IDENTITY && maskOrNull == null) {
                return;
            }
            // Activation and dropout in one pass over heap chunks.
            FloatBuffer mask = maskOrNull == null ? null : Blas.floats(maskOrNull);
            // The mask is written as bit patterns through an int view of its memory and read back as floats: C2 does
            // not vectorise an int-to-float step in Java 17, so this took 2-4 ns a value, int work about 0.1.
            // Without a random, the mask was drawn beforehand (drawDropoutMask) and is only applied here.
            boolean draw = mask != null && random != null;
            IntBuffer maskBits = draw ? Blas.ints(maskOrNull) : null;
            DropoutDraws draws = draw ? new DropoutDraws(dropout, random) : null;
            int n = rows * out;
            float[] chunk = new float[Math.min(CHUNK, n)];
            float[] factors = mask == null ? null : new float[chunk.length];
            int[] bits = draw ? new int[chunk.length] : null;
            for (int start = 0; start < n; start += CHUNK) {
                int length = Math.min(CHUNK, n - start);
                values.get(start, chunk, 0, length);
                if (mask != null) {
                    if (draw) {
                        draws.nextBits(bits, length);
                        maskBits.put(start, bits, 0, length);
                    }
                    mask.get(start, factors, 0, length);
                    activation.apply(chunk, factors, length);
                } else {
                    activation.apply(chunk, length);
                }
                values.put(start, chunk, 0, length);
            }
        }

        @Override
        void backprop(Activation activation, INDArray gradient, INDArray output, INDArray maskOrNull) {
            FloatBuffer g = Blas.floats(gradient);
            FloatBuffer out = Blas.floats(output);
            FloatBuffer mask = maskOrNull == null ? null : Blas.floats(maskOrNull);
            int n = (int) gradient.length();
            float[] gs = new float[Math.min(CHUNK, n)];
            float[] outs = new float[gs.length];
            float[] factors = mask == null ? null : new float[gs.length];
            for (int start = 0; start < n; start += CHUNK) {
                int length = Math.min(CHUNK, n - start);
                g.get(start, gs, 0, length);
                out.get(start, outs, 0, length);
                if (mask != null) {
                    mask.get(start, factors, 0, length);
                    activation.backprop(gs, outs, factors, length);
                } else {
                    activation.backprop(gs, outs, length);
                }
                g.put(start, gs, 0, length);
            }
        }

        @Override
        void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, float beta) {
            Blas.gemm(a, transposeA, b, transposeB, c, 1f, beta);
        }

        @Override
        void columnSums(INDArray d, INDArray ones, INDArray into) {
            Blas.columnSums(Blas.dense(d), ones, into);
        }
    },

    ND4J {
        @Override
        void layer(INDArray input, INDArray weights, INDArray bias, INDArray z, int rows, Activation activation,
                   INDArray maskOrNull, double dropout, SplittableRandom random) {
            if (rows != input.rows() || rows != z.rows()) {
                throw new IllegalArgumentException("ND4J's kernels compute whole arrays: " + rows + " of " + input.rows() + " rows");
            }
            // The bias rows as a rank-1 product: ND4J's addiRowVector crashed natively (SIGSEGV in its TAD code) under
            // concurrent predictions here; GEMM never did.
            Nd4j.gemm(Nd4j.ones(DataType.FLOAT, rows, 1), bias, z, false, false, 1.0, 0.0);
            Nd4j.gemm(input, weights, z, false, false, 1.0, 1.0);
            activation.applyNd4j(z);
            if (maskOrNull != null) {
                float[] values = new float[(int) z.length()];
                fillDropoutMask(values, values.length, dropout, random);
                maskOrNull.assign(Nd4j.create(values, new long[] {z.rows(), z.columns()}, 'c'));
                z.muli(maskOrNull);
            }
        }

        @Override
        void backprop(Activation activation, INDArray gradient, INDArray output, INDArray maskOrNull) {
            activation.backpropNd4j(gradient, output);
            if (maskOrNull != null) {
                gradient.muli(maskOrNull);
            }
        }

        @Override
        void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, float beta) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, beta);
        }

        @Override
        void columnSums(INDArray d, INDArray ones, INDArray into) {
            into.assign(d.sum(true, 0));
        }
    };

    /** Values per heap chunk in the Java loops: small enough for the L1 cache. */
    static final int CHUNK = 2048;

    /** The kernels for the backend ND4J runs on: direct ones on the CPU, ND4J's ops elsewhere. */
    public static Kernels forBackend() {
        return ForBackend.KERNELS;
    }

    /**
     * One dense layer on the first {@code rows} rows of {@code input}: {@code z = activation(input W + b)}, then, with
     * a mask array, dropout with the given probability (the mask used is written into it). With the direct kernels a
     * null {@code random} means the mask holds one already ({@link #drawDropoutMask}), which is applied as it is.
     */
    abstract void layer(INDArray input, INDArray weights, INDArray bias, INDArray z, int rows, Activation activation,
                        INDArray maskOrNull, double dropout, SplittableRandom random);

    /** Multiplies {@code gradient} in place by the activation's derivative (read off its output) and the mask, if any. */
    abstract void backprop(Activation activation, INDArray gradient, INDArray output, INDArray maskOrNull);

    /** {@code c = op(a) op(b) + beta c}. */
    abstract void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, float beta);

    /** Writes the column sums of {@code d} into the 1 x columns {@code into}; {@code ones}: at least rows ones. */
    abstract void columnSums(INDArray d, INDArray ones, INDArray into);

    /** {@code into += add} on elements {@code from..to-1} of two dense float arrays (the direct kernels' memory). */
    static void addInto(INDArray into, INDArray add, int from, int to) {
        FloatBuffer target = Blas.floats(into);
        FloatBuffer source = Blas.floats(add);
        float[] sums = new float[Math.min(CHUNK, Math.max(0, to - from))];
        float[] addends = new float[sums.length];
        for (int start = from; start < to; start += CHUNK) {
            int length = Math.min(CHUNK, to - start);
            target.get(start, sums, 0, length);
            source.get(start, addends, 0, length);
            for (int i = 0; i < length; i++) {
                sums[i] += addends[i];
            }
            target.put(start, sums, 0, length);
        }
    }

    /**
     * Writes into the first {@code n} values of the dense float array {@code mask} the mask that {@link #layer} would
     * draw there from {@code random} (the direct kernels' layout): so that a layer's rows can be computed in parts
     * with the very mask the whole layer would have drawn.
     */
    static void drawDropoutMask(INDArray mask, int n, double dropout, SplittableRandom random) {
        IntBuffer maskBits = Blas.ints(mask);
        DropoutDraws draws = new DropoutDraws(dropout, random);
        int[] bits = new int[Math.min(CHUNK, n)];
        for (int start = 0; start < n; start += CHUNK) {
            int length = Math.min(CHUNK, n - start);
            draws.nextBits(bits, length);
            maskBits.put(start, bits, 0, length);
        }
    }

    /** Fills {@code mask} with 0 (probability p) or 1/(1-p), as {@link #layer} draws them. */
    static void fillDropoutMask(float[] mask, int n, double probability, SplittableRandom random) {
        DropoutDraws draws = new DropoutDraws(probability, random);
        int[] bits = new int[CHUNK];
        for (int start = 0; start < n; start += CHUNK) {
            int length = Math.min(CHUNK, n - start);
            draws.nextBits(bits, length);
            for (int i = 0; i < length; i++) {
                mask[start + i] = Float.intBitsToFloat(bits[i]);
            }
        }
    }

    /**
     * Dropout masks from {@link #CHUNK} xorshift32 generators run side by side, seeded from the caller's random for each
     * layer: the JIT vectorises the side-by-side steps, where a 64-bit draw per four values cost about 0.8 ns a value.
     * Each value compares 16 random bits with the probability, which is thereby rounded to a multiple of 1/65536.
     */
    private static final class DropoutDraws {
        private final int[] lanes = new int[CHUNK];
        private final int threshold;
        /** The bits of the float 1/(1-p). */
        private final int keptBits;

        DropoutDraws(double probability, SplittableRandom random) {
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = random.nextInt() | 1; // xorshift's state must not be 0
            }
            threshold = (int) Math.round(probability * 65536);
            keptBits = Float.floatToRawIntBits((float) (1.0 / (1.0 - probability)));
        }

        /** The next {@code length} mask values, as the bits of the floats 0 or 1/(1-p). */
        void nextBits(int[] mask, int length) {
            int[] s = lanes;
            for (int i = 0; i < length; i++) {
                int x = s[i];
                x ^= x << 13;
                x ^= x >>> 17;
                x ^= x << 5;
                s[i] = x;
            }
            for (int i = 0; i < length; i++) {
                int dropped = ((s[i] >>> 16) - threshold) >> 31; // all ones when the 16 bits fall below the threshold
                mask[i] = keptBits & ~dropped;
            }
        }
    }

    /** Decided once: the backend does not change while the JVM runs. */
    private static final class ForBackend {
        static final Kernels KERNELS = choose();

        /**
         * The direct kernels want one OpenBLAS thread per product (they use a second core per layer themselves:
         * {@link ParallelHalves}); ND4J gives OpenBLAS one per core unless told otherwise. So unless the user set
         * OMP_NUM_THREADS or OPENBLAS_NUM_THREADS, OpenBLAS gets one thread here, as ./moe would give it: seed training
         * took 3.3 s instead of 2.3 s without this in a JVM not started by ./moe.
         */
        private static Kernels choose() {
            if (!Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu")) {
                return ND4J;
            }
            if (System.getenv("OMP_NUM_THREADS") == null && System.getenv("OPENBLAS_NUM_THREADS") == null) {
                Nd4j.factory().blas().setMaxThreads(1);
            }
            return DIRECT;
        }
    }
}
