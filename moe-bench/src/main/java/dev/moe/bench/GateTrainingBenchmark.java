package dev.moe.bench;

import dev.moe.api.FloatMatrix;
import dev.moe.experts.nd4j.MlpExpert;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.training.GateOptions;
import dev.moe.gating.training.GateTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The article's gate (4 -> 128 -> 256 -> 128 -> 3, dropout 0.1) trained by {@link GateTrainer} on full batches of
 * 2000 rows, as in the seed experiment, against the machine's matrix-multiply peak measured in the same process:
 * ND4J's 2048 x 2048 sgemm with one OpenBLAS thread and with one per core. Training runs with each thread count too.
 * The GFLOP/s count the products only (forward, weight gradients, input gradients but the first layer's); the time is
 * the median of five trainings after a warm-up one.
 *
 * <p>Usage: GateTrainingBenchmark [rows [epochs]]
 */
public final class GateTrainingBenchmark {

    static final int[] SIZES = {4, 128, 256, 128, 3};

    /** The benchmark's rows (Gaussian features, random labels), three small MLP experts and the article's gate options. */
    record Setup(FloatMatrix x, int[] labels, List<String> labelNames, List<AlignedExpert> experts, GateOptions options) {

        static Setup article(int rows, int epochs) {
            FloatMatrix x = ScalingBenchmark.gaussian(rows, SIZES[0], 1);
            int[] labels = new int[rows];
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < rows; i++) {
                labels[i] = random.nextInt(3);
            }
            List<String> features = List.of("f0", "f1", "f2", "f3");
            List<String> labelNames = List.of("0", "1", "2");
            List<AlignedExpert> experts = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                Mlp net = Mlp.initialise(new int[] {4, 32, 3}, List.of(Activation.RELU), 0, DataType.FLOAT, k);
                experts.add(AlignedExpert.align(new MlpExpert("e" + k, features, labelNames, Map.of(),
                        FeatureScaler.identity(4), net), features, labelNames));
            }
            GateOptions options = GateOptions.article(7).toBuilder().epochs(epochs).build();
            return new Setup(x, labels, labelNames, experts, options);
        }

        GateTrainer.TrainedMixture train(GateOptions with) {
            return new GateTrainer().train(x, labels, labelNames, experts, new SoftmaxDenseRouting(1), with,
                    GateTrainer.EpochListener.NONE);
        }
    }

    /** Products per epoch: forward, weight gradients, input gradients but the first layer's. */
    static double flopsPerEpoch(int rows) {
        double flops = 0;
        for (int layer = 0; layer + 1 < SIZES.length; layer++) {
            flops += 2.0 * rows * SIZES[layer] * SIZES[layer + 1] * (layer == 0 ? 2 : 3);
        }
        return flops;
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int cores = Runtime.getRuntime().availableProcessors();
        int startThreads = Nd4j.factory().blas().getMaxThreads();
        double peak = ScalingBenchmark.peakGflops();
        double flopsPerEpoch = flopsPerEpoch(rows);
        Setup setup = Setup.article(rows, epochs);
        FloatMatrix x = setup.x();
        int[] labels = setup.labels();
        List<String> labelNames = setup.labelNames();
        List<AlignedExpert> experts = setup.experts();
        GateOptions options = setup.options();
        for (int threads : new int[] {1, cores}) {
            Nd4j.factory().blas().setMaxThreads(threads);
            GateTrainer trainer = new GateTrainer();
            trainer.train(x, labels, labelNames, experts, new SoftmaxDenseRouting(1), options, GateTrainer.EpochListener.NONE);
            double[] runs = new double[5];
            for (int run = 0; run < runs.length; run++) {
                long start = System.nanoTime();
                trainer.train(x, labels, labelNames, experts, new SoftmaxDenseRouting(1), options, GateTrainer.EpochListener.NONE);
                runs[run] = (System.nanoTime() - start) / 1e9;
            }
            java.util.Arrays.sort(runs);
            double seconds = runs[runs.length / 2];
            double gflops = flopsPerEpoch * epochs / seconds / 1e9;
            System.out.printf(Locale.ROOT, "gate training, %d rows, %d epochs, %d openblas thread(s): %.2f s (median of 5), %.1f GFLOP/s,"
                    + " %.0f%% of the %.1f GFLOP/s peak%n", rows, epochs, threads, seconds, gflops, 100 * gflops / peak, peak);
        }
        Nd4j.factory().blas().setMaxThreads(startThreads);
    }
}
