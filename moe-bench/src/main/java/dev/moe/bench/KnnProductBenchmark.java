package dev.moe.bench;

import dev.moe.gating.nn.Blas;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The kNN scorer's distance product ({@code -2 Q T} for a block of 64 query rows against every training row) three
 * ways, side by side in one JVM, one thread: the Java loop moe-expert-tribuo uses (training rows in per-chunk,
 * per-feature arrays of 1024, which C2 vectorises; the same loop as {@code KnnScorer.lowerBounds}), OpenBLAS's
 * sgemm called directly ({@code Blas.gemm}, row-major, the output block written to memory), and ND4J's
 * {@code Nd4j.gemm} on column-major arrays. Shapes: letter (16 features, 14,000 training rows) and satellite
 * (36 features, 3,200 rows). Prints GFLOP/s of the product alone, medians of 9 rounds. The scorer also scans
 * the products for candidates, which no BLAS does for it.
 *
 * <p>Usage (with bin/native-env.sh's settings): KnnProductBenchmark
 */
public final class KnnProductBenchmark {

    private static final int QUERIES = 64;
    private static final int CHUNK = 1024;

    public static void main(String[] args) {
        for (int[] shape : new int[][] {{16, 14_000}, {36, 3_200}}) {
            run(shape[0], shape[1]);
        }
    }

    private static void run(int dims, int n) {
        SplittableRandom random = new SplittableRandom(dims);
        float[] training = new float[n * dims];
        float[] queries = new float[QUERIES * dims];
        for (int i = 0; i < training.length; i++) {
            training[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < queries.length; i++) {
            queries[i] = -2f * (float) random.nextGaussian();
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        float[][][] t = new float[chunks][dims][];
        for (int ch = 0; ch < chunks; ch++) {
            int len = Math.min(CHUNK, n - ch * CHUNK);
            for (int f = 0; f < dims; f++) {
                t[ch][f] = new float[len];
                for (int i = 0; i < len; i++) {
                    t[ch][f][i] = training[(ch * CHUNK + i) * dims + f];
                }
            }
        }
        float[] s = new float[CHUNK];
        INDArray q = Nd4j.create(queries, new long[] {QUERIES, dims}, 'c');
        INDArray tr = Nd4j.create(training, new long[] {n, dims}, 'c');
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {QUERIES, n}, 'c');
        INDArray qf = q.dup('f');
        INDArray tf = tr.transpose().dup('f');
        INDArray outF = Nd4j.create(DataType.FLOAT, new long[] {QUERIES, n}, 'f');
        double flops = 2.0 * QUERIES * n * dims;
        String[] names = {"java loop (moe-expert-tribuo)", "OpenBLAS sgemm direct (Blas.gemm)", "Nd4j.gemm, 'f' order"};
        double[][] rates = new double[3][9];
        float sink = 0;
        for (int round = -2; round < 9; round++) {
            for (int v = 0; v < 3; v++) {
                int reps = 20;
                long start = System.nanoTime();
                for (int rep = 0; rep < reps; rep++) {
                    if (v == 0) {
                        for (int r = 0; r < QUERIES; r++) {
                            for (int ch = 0; ch < chunks; ch++) {
                                product(queries, r * dims, dims, t[ch], t[ch][0].length, s);
                                sink += s[0];
                            }
                        }
                    } else if (v == 1) {
                        Blas.gemm(q, false, tr, true, out, 1f, 0f);
                    } else {
                        Nd4j.gemm(qf, tf, outF, false, false, 1.0, 0.0);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round >= 0) {
                    rates[v][round] = reps * flops / seconds / 1e9;
                }
            }
        }
        for (int v = 0; v < 3; v++) {
            Arrays.sort(rates[v]);
            System.out.printf(Locale.ROOT, "{\"shape\": \"%d queries x %d features x %d training rows\", \"how\": \"%s\", "
                    + "\"gflops_median\": %.1f, \"min\": %.1f, \"max\": %.1f}%n", QUERIES, dims, n, names[v],
                    rates[v][4], rates[v][0], rates[v][8]);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** {@code s[i] = sum_f a_f t[f][i]}: KnnScorer's loop (there s starts at the norms, not at 0). */
    private static void product(float[] q, int qOffset, int dims, float[][] tc, int len, float[] s) {
        Arrays.fill(s, 0, len, 0f);
        int f = 0;
        for (; f + 3 < dims; f += 4) {
            float a0 = q[qOffset + f];
            float a1 = q[qOffset + f + 1];
            float a2 = q[qOffset + f + 2];
            float a3 = q[qOffset + f + 3];
            float[] t0 = tc[f];
            float[] t1 = tc[f + 1];
            float[] t2 = tc[f + 2];
            float[] t3 = tc[f + 3];
            for (int i = 0; i < len; i++) {
                s[i] += a0 * t0[i] + a1 * t1[i] + a2 * t2[i] + a3 * t3[i];
            }
        }
        for (; f < dims; f++) {
            float a = q[qOffset + f];
            float[] t0 = tc[f];
            for (int i = 0; i < len; i++) {
                s[i] += a * t0[i];
            }
        }
    }
}
