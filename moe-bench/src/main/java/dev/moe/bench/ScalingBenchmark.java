package dev.moe.bench;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.experts.nd4j.MlpExpert;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.TopKRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How inference cost grows with the number of experts: E MLP experts (64 -> 256 -> 10) under a linear gate,
 * rows/s for softmax-dense and top-k (k = 1, 2), and the GFLOP/s the experts' products achieve, against
 * ND4J's 2048 x 2048 sgemm on this machine. Prints a table; the NumPy peak comes from bench/numpy_sgemm.py.
 *
 * <p>Usage: ScalingBenchmark [rows]
 */
public final class ScalingBenchmark {

    static final int FEATURES = 64;
    static final int HIDDEN = 256;
    static final int CLASSES = 10;
    /** Multiply-adds of one expert on one row, times 2. */
    static final double FLOPS_PER_EXPERT_ROW = 2.0 * (FEATURES * HIDDEN + HIDDEN * CLASSES);

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 32_768;
        double peak = peakGflops();
        FloatMatrix x = gaussian(rows, FEATURES, 1);
        List<String> features = new ArrayList<>();
        for (int j = 0; j < FEATURES; j++) {
            features.add("f" + j);
        }
        List<String> labels = new ArrayList<>();
        for (int j = 0; j < CLASSES; j++) {
            labels.add("c" + j);
        }
        System.out.printf(Locale.ROOT, "%-4s %-16s %12s %10s %8s %9s%n", "E", "strategy", "rows/s", "GFLOP/s", "vs dense", "of peak");
        for (int e : new int[] {4, 8, 16, 32}) {
            List<AlignedExpert> experts = new ArrayList<>();
            for (int k = 0; k < e; k++) {
                Mlp net = Mlp.initialise(new int[] {FEATURES, HIDDEN, CLASSES}, List.of(Activation.RELU), 0, DataType.FLOAT, k);
                MlpExpert expert = new MlpExpert("e" + k, features, labels, Map.of(), FeatureScaler.identity(FEATURES), net);
                experts.add(AlignedExpert.align(expert, features, labels));
            }
            GateNetwork gate = new GateNetwork(FeatureScaler.identity(FEATURES),
                    Mlp.initialise(new int[] {FEATURES, e}, List.of(), 0, DataType.FLOAT, 99));
            double dense = 0;
            for (RoutingStrategy s : List.of(new SoftmaxDenseRouting(1), new TopKRouting(1, 1), new TopKRouting(2, 1))) {
                MixtureModel model = new MixtureModel(gate, s, experts, labels);
                SeedBenchmark.predictAll(model, x.selectRows(SeedBenchmark.range(8192))); // warm-up
                long start = System.nanoTime();
                SeedBenchmark.predictAll(model, x);
                double seconds = (System.nanoTime() - start) / 1e9;
                double rowsPerSecond = rows / seconds;
                int active = s instanceof TopKRouting t ? t.k() : e;
                if (s instanceof SoftmaxDenseRouting) {
                    dense = rowsPerSecond;
                }
                double gflops = rowsPerSecond * active * FLOPS_PER_EXPERT_ROW / 1e9;
                System.out.printf(Locale.ROOT, "%-4d %-16s %12.0f %10.1f %7.1fx %8.1f%%%n", e, s.name() + " " + s.describe(),
                        rowsPerSecond, gflops, rowsPerSecond / dense, 100 * gflops / peak);
            }
        }
    }

    /**
     * The machine's matrix-multiply peak as ND4J reaches it: the better of its 2048 x 2048 sgemm on one OpenBLAS
     * thread and on one per core (printed); the thread count is restored afterwards.
     */
    static double peakGflops() {
        int cores = Runtime.getRuntime().availableProcessors();
        int before = Nd4j.factory().blas().getMaxThreads();
        double peak = 0;
        for (int threads : new int[] {1, cores}) {
            Nd4j.factory().blas().setMaxThreads(threads);
            double gflops = sgemmGflops(2048);
            peak = Math.max(peak, gflops);
            System.out.printf(Locale.ROOT, "nd4j sgemm 2048x2048, %d openblas thread(s): %.1f GFLOP/s%n", threads, gflops);
        }
        Nd4j.factory().blas().setMaxThreads(before);
        return peak;
    }

    /** Best of five 2048 x 2048 single-precision products through ND4J. */
    static double sgemmGflops(int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.zeros(DataType.FLOAT, n, n);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    static FloatMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(rows, cols, v);
    }
}
