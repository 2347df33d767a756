package dev.moe.gating.nn;

import java.lang.ref.WeakReference;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Single-precision products and element access on ND4J arrays' own memory, without ND4J's op machinery.
 *
 * <p>{@link #gemm} calls OpenBLAS's {@code cblas_sgemm} (the library ND4J itself loads) directly: on the gate's
 * shapes ND4J's {@code gemm} on row-major arrays reached about half the direct call's GFLOP/s here (moe-bench's
 * KernelBenchmarks). The direct call checks nothing, so this class checks shapes, type and layout itself.
 */
public final class Blas {

    private Blas() {
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c}, where {@code op} transposes when asked. All three are float matrices;
     * {@code a} and {@code b} are copied first if they are not dense row-major, {@code c} must be.
     */
    public static void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c,
                            float alpha, float beta) {
        a = dense(a);
        b = dense(b);
        requireDense(c, "the product's output");
        long m = transposeA ? a.columns() : a.rows();
        long k = transposeA ? a.rows() : a.columns();
        long kb = transposeB ? b.columns() : b.rows();
        long n = transposeB ? b.rows() : b.columns();
        if (k != kb || c.rows() != m || c.columns() != n) {
            throw new IllegalArgumentException("cannot multiply " + shape(a, transposeA) + " by " + shape(b, transposeB)
                    + " into " + Arrays.toString(c.shape()));
        }
        sgemm(a, transposeA, b, transposeB, c, (int) m, alpha, beta);
    }

    /**
     * {@code c = a b + beta c} on the first {@code rows} rows of {@code a} and {@code c} only: lets fixed-size buffers
     * serve a smaller block without views.
     */
    public static void gemmRows(INDArray a, INDArray b, INDArray c, int rows, float beta) {
        requireDense(a, "the left factor");
        b = dense(b);
        requireDense(c, "the product's output");
        if (rows < 0 || rows > a.rows() || rows > c.rows() || a.columns() != b.rows() || c.columns() != b.columns()) {
            throw new IllegalArgumentException("cannot multiply " + rows + " rows of " + shape(a, false) + " by "
                    + shape(b, false) + " into " + Arrays.toString(c.shape()));
        }
        sgemm(a, false, b, false, c, rows, 1f, beta);
    }

    /** The checked call: {@code m} rows of {@code c}, the product's other sizes read off {@code b}. */
    private static void sgemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, int m,
                              float alpha, float beta) {
        int n = (int) (transposeB ? b.rows() : b.columns());
        int k = (int) (transposeB ? b.columns() : b.rows());
        if (m == 0 || n == 0) {
            return;
        }
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, pointer(a), (int) Math.max(1, a.columns()),
                pointer(b), (int) Math.max(1, b.columns()), beta, pointer(c), (int) Math.max(1, c.columns()));
    }

    /**
     * Writes the column sums of the dense row-major matrix {@code a} into the 1 x columns {@code into}, as the product
     * {@code a^T ones} (sgemv): a bias's gradient. {@code ones} holds at least {@code a.rows()} ones.
     */
    public static void columnSums(INDArray a, INDArray ones, INDArray into) {
        requireDense(a, "the summed matrix");
        requireDense(into, "the sums");
        if (into.length() != a.columns() || ones.length() < a.rows()) {
            throw new IllegalArgumentException("cannot sum the columns of " + Arrays.toString(a.shape()) + " into "
                    + Arrays.toString(into.shape()) + " with " + ones.length() + " ones");
        }
        if (a.rows() == 0) {
            floats(into).put(0, new float[(int) a.columns()]);
            return;
        }
        openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans, (int) a.rows(),
                (int) a.columns(), 1f, pointer(a), (int) Math.max(1, a.columns()), pointer(ones), 1, 0f, pointer(into), 1);
    }

    /**
     * The array's elements in row-major order as a buffer over its own memory (no copy; writes go to the array).
     * The array must be a dense row-major float array, as everything {@link Mlp} allocates is.
     */
    public static FloatBuffer floats(INDArray a) {
        requireDense(a, "the array");
        return RECENT_POINTERS.get().buffer(a).duplicate();
    }

    /** {@link #floats} as the bit patterns of the floats: for writing floats made by int arithmetic. */
    static IntBuffer ints(INDArray a) {
        requireDense(a, "the array");
        long length = a.length();
        return new IntPointer(a.data().addressPointer()).position(0).capacity(length).limit(length).asBuffer();
    }

    /**
     * Checks the BLAS kernel in use on this processor: products of several odd shapes (every transpose, sizes that
     * exercise the kernels' edge cases) against a plain double-precision product. A kernel chosen for the wrong
     * processor gives wrong numbers or crashes here, not later in a model.
     *
     * @return the largest error seen, relative to the largest product value
     */
    public static double selfCheck() {
        SplittableRandom random = new SplittableRandom(1);
        double worst = 0;
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 65}, {64, 128, 256}, {129, 31, 257}, {1000, 4, 128}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                float[] av = new float[m * k];
                float[] bv = new float[k * n];
                for (int i = 0; i < av.length; i++) {
                    av[i] = (float) random.nextGaussian();
                }
                for (int i = 0; i < bv.length; i++) {
                    bv[i] = (float) random.nextGaussian();
                }
                // Stored as op's inverse: a is m x k as used, stored k x m when transposed.
                INDArray a = Nd4j.create(av, ta ? new long[] {k, m} : new long[] {m, k}, 'c');
                INDArray b = Nd4j.create(bv, tb ? new long[] {n, k} : new long[] {k, n}, 'c');
                INDArray c = Nd4j.zeros(DataType.FLOAT, m, n);
                gemm(a, ta, b, tb, c, 1f, 0f);
                FloatBuffer got = floats(c);
                double scale = 0;
                double error = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            double x = ta ? av[p * m + i] : av[i * k + p];
                            double y = tb ? bv[j * k + p] : bv[p * n + j];
                            sum += x * y;
                        }
                        scale = Math.max(scale, Math.abs(sum));
                        error = Math.max(error, Math.abs(sum - got.get(i * n + j)));
                    }
                }
                worst = Math.max(worst, error / Math.max(scale, 1e-30));
            }
        }
        return worst;
    }

    /** {@code a} itself when it is a dense row-major float matrix, else such a copy. */
    static INDArray dense(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            a = a.castTo(DataType.FLOAT);
        }
        return isDense(a) ? a : a.dup('c');
    }

    private static boolean isDense(INDArray a) {
        return a.rank() == 2 && a.dataType() == DataType.FLOAT && a.ordering() == 'c'
                && (a.length() == 0 || (a.stride(1) == 1 && a.stride(0) == a.columns()) || a.rows() == 1 && a.stride(1) == 1);
    }

    private static void requireDense(INDArray a, String what) {
        if (!isDense(a)) {
            throw new IllegalArgumentException(what + " must be a dense row-major float matrix, got " + a.dataType() + " "
                    + Arrays.toString(a.shape()) + " order " + a.ordering() + " strides " + Arrays.toString(a.stride()));
        }
    }

    /** The address of the array's first element (ND4J's address pointer already includes a view's offset). */
    private static FloatPointer pointer(INDArray a) {
        return RECENT_POINTERS.get().pointer(a);
    }

    /**
     * Each thread's pointers to the arrays it used last. ND4J's {@code addressPointer} is a native call and a new
     * JavaCPP pointer, about a microsecond (4% of gate training's samples), and a training step asks for about 150,
     * mostly of the same reused arrays (with fine-tuned experts, over a hundred of them a thread). An array's memory
     * does not move while it lives; the arrays are held weakly.
     */
    private static final ThreadLocal<RecentPointers> RECENT_POINTERS = ThreadLocal.withInitial(RecentPointers::new);

    /** A table indexed by the array's identity hash, one entry a slot: a new array takes its slot over. */
    private static final class RecentPointers {
        private static final int SLOTS = 512;
        @SuppressWarnings("unchecked")
        private final WeakReference<INDArray>[] arrays = new WeakReference[SLOTS];
        private final FloatPointer[] pointers = new FloatPointer[SLOTS];
        /** A buffer over each array's memory, made on first use (JavaCPP makes it by a native call too). */
        private final FloatBuffer[] buffers = new FloatBuffer[SLOTS];

        FloatPointer pointer(INDArray a) {
            return pointers[slot(a)];
        }

        FloatBuffer buffer(INDArray a) {
            int i = slot(a);
            if (buffers[i] == null) {
                buffers[i] = pointers[i].asBuffer();
            }
            return buffers[i];
        }

        private int slot(INDArray a) {
            int h = System.identityHashCode(a);
            int i = (h ^ (h >>> 16)) & (SLOTS - 1);
            WeakReference<INDArray> known = arrays[i];
            if (known == null || known.get() != a) {
                long length = a.length();
                arrays[i] = new WeakReference<>(a);
                pointers[i] = new FloatPointer(a.data().addressPointer()).position(0).capacity(length).limit(length);
                buffers[i] = null;
            }
            return i;
        }
    }

    private static String shape(INDArray a, boolean transposed) {
        return transposed ? "(" + a.rows() + " x " + a.columns() + ")^T" : a.rows() + " x " + a.columns();
    }
}
