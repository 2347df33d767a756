package dev.moe.gating.nn;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The few operations an {@link Mlp} is made of, in two implementations: {@link #DIRECT} (OpenBLAS called directly,
 * Java loops over the arrays' memory; the CPU backend) and {@link #ND4J} (ND4J's ops; any backend, e.g. CUDA, whose
 * arrays' memory Java cannot simply read). Both compute the same functions; tests hold them to each other.
 *
 * <p>Why two: on the seed experiment's gate, ND4J's element-wise ops and row-major products took most of the
 * training time; the direct kernels cut a gate epoch several times over (README, "Performance").
 */
public enum Kernels {
    DIRECT {
        @Override
        void affine(INDArray input, INDArray weights, INDArray bias, INDArray z) {
            affineRows(input, weights, bias, z, (int) input.rows());
        }

        @Override
        void activate(Activation activation, INDArray z) {
            activation.apply(Blas.floats(z), (int) z.length());
        }

        @Override
        void dropout(INDArray a, double probability, SplittableRandom random, INDArray mask) {
            FloatBuffer m = Blas.floats(mask);
            int n = (int) a.length();
            fillDropoutMask(m, n, probability, random);
            multiplyInPlace(Blas.floats(a), m, n);
        }

        @Override
        void backprop(Activation activation, INDArray gradient, INDArray output, INDArray maskOrNull) {
            FloatBuffer g = Blas.floats(gradient);
            int n = (int) gradient.length();
            if (maskOrNull != null) {
                multiplyInPlace(g, Blas.floats(maskOrNull), n);
            }
            activation.backprop(g, Blas.floats(output), n);
        }

        @Override
        void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, float beta) {
            Blas.gemm(a, transposeA, b, transposeB, c, 1f, beta);
        }

        @Override
        void columnSums(INDArray d, INDArray into) {
            int rows = (int) d.rows();
            int columns = (int) d.columns();
            FloatBuffer values = Blas.floats(d);
            float[] sums = new float[columns];
            int rowsPerChunk = Math.max(1, Activation.CHUNK / Math.max(1, columns));
            float[] chunk = new float[rowsPerChunk * columns];
            for (int first = 0; first < rows; first += rowsPerChunk) {
                int count = Math.min(rowsPerChunk, rows - first);
                values.get(first * columns, chunk, 0, count * columns);
                for (int r = 0; r < count; r++) {
                    int base = r * columns;
                    for (int j = 0; j < columns; j++) {
                        sums[j] += chunk[base + j];
                    }
                }
            }
            Blas.floats(into).put(0, sums);
        }
    },

    ND4J {
        @Override
        void affine(INDArray input, INDArray weights, INDArray bias, INDArray z) {
            // The bias rows as a rank-1 product: ND4J's addiRowVector crashed natively (SIGSEGV in its TAD code) under
            // concurrent predictions here; GEMM never did.
            Nd4j.gemm(Nd4j.ones(DataType.FLOAT, input.rows(), 1), bias, z, false, false, 1.0, 0.0);
            Nd4j.gemm(input, weights, z, false, false, 1.0, 1.0);
        }

        @Override
        void activate(Activation activation, INDArray z) {
            activation.applyNd4j(z);
        }

        @Override
        void dropout(INDArray a, double probability, SplittableRandom random, INDArray mask) {
            float[] values = new float[(int) a.length()];
            fillDropoutMask(FloatBuffer.wrap(values), values.length, probability, random);
            mask.assign(Nd4j.create(values, new long[] {a.rows(), a.columns()}, 'c'));
            a.muli(mask);
        }

        @Override
        void backprop(Activation activation, INDArray gradient, INDArray output, INDArray maskOrNull) {
            if (maskOrNull != null) {
                gradient.muli(maskOrNull);
            }
            activation.backpropNd4j(gradient, output);
        }

        @Override
        void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, float beta) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, beta);
        }

        @Override
        void columnSums(INDArray d, INDArray into) {
            into.assign(d.sum(true, 0));
        }
    };

    /** The kernels for the backend ND4J runs on: direct ones on the CPU, ND4J's ops elsewhere. */
    public static Kernels forBackend() {
        return ForBackend.KERNELS;
    }

    /** Writes {@code input W + b} into {@code z} (rows x out). */
    abstract void affine(INDArray input, INDArray weights, INDArray bias, INDArray z);

    abstract void activate(Activation activation, INDArray z);

    /** Zeroes each value of {@code a} with the probability, scales the rest by 1/(1-p); writes the mask used. */
    abstract void dropout(INDArray a, double probability, SplittableRandom random, INDArray mask);

    /** Multiplies {@code gradient} in place by the dropout mask (if any) and the activation's derivative. */
    abstract void backprop(Activation activation, INDArray gradient, INDArray output, INDArray maskOrNull);

    /** {@code c = op(a) op(b) + beta c}. */
    abstract void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, float beta);

    /** Writes the column sums of {@code d} into the 1 x columns {@code into}. */
    abstract void columnSums(INDArray d, INDArray into);

    /**
     * Fills {@code mask} with 0 (probability p) or 1/(1-p). Four 16-bit draws per random long: drawing a double per
     * value cost more than the products of the layer it masks. The probability is rounded to a multiple of 1/65536.
     */
    static void fillDropoutMask(FloatBuffer mask, int n, double probability, SplittableRandom random) {
        int threshold = (int) Math.round(probability * 65536);
        float[] values = {(float) (1.0 / (1.0 - probability)), 0f}; // kept, dropped: chosen without a branch
        float[] chunk = new float[Math.min(Activation.CHUNK, n)];
        for (int start = 0; start < n; start += Activation.CHUNK) {
            int length = Math.min(Activation.CHUNK, n - start);
            long bits = 0;
            for (int i = 0; i < length; i++) {
                if ((i & 3) == 0) {
                    bits = random.nextLong();
                }
                chunk[i] = values[((int) (bits & 0xFFFF) - threshold) >>> 31];
                bits >>>= 16;
            }
            mask.put(start, chunk, 0, length);
        }
    }

    private static void multiplyInPlace(FloatBuffer a, FloatBuffer factors, int n) {
        float[] chunk = new float[Math.min(Activation.CHUNK, n)];
        float[] f = new float[chunk.length];
        for (int start = 0; start < n; start += Activation.CHUNK) {
            int length = Math.min(Activation.CHUNK, n - start);
            a.get(start, chunk, 0, length);
            factors.get(start, f, 0, length);
            for (int i = 0; i < length; i++) {
                chunk[i] *= f[i];
            }
            a.put(start, chunk, 0, length);
        }
    }

    /** {@code input W + b} on the first {@code rows} rows of {@code input} into those of {@code z} (direct kernels). */
    static void affineRows(INDArray input, INDArray weights, INDArray bias, INDArray z, int rows) {
        int out = (int) bias.columns();
        FloatBuffer zs = Blas.floats(z);
        FloatBuffer b = Blas.floats(bias);
        for (int r = 0; r < rows; r++) {
            zs.put(r * out, b, 0, out); // each row starts as the bias; the product is added onto it (beta = 1)
        }
        Blas.gemmRows(input, weights, z, rows, 1f);
    }

    /** Decided once: the backend does not change while the JVM runs. */
    private static final class ForBackend {
        static final Kernels KERNELS = Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu") ? DIRECT : ND4J;
    }
}
