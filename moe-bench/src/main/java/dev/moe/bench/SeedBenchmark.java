package dev.moe.bench;

import com.google.inject.Guice;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.evaluation.TribuoEvaluation;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The seed experiment timed inside one JVM, the way bench/seed_pytorch.py times PyTorch: seconds to train
 * the three experts and the gate (one seed, after one warm-up run), inference rows/s of the trained mixture
 * on fresh rows in batches of 8192 (the first pass after a warm-up batch, and warm: the fastest of ten more), and
 * test accuracy. Prints one JSON line. With {@code seeds} above 1 it also
 * trains with the next seeds and adds the accuracy's mean and standard deviation over all of them, and each seed's.
 *
 * <p>Usage: SeedBenchmark CONFIG [inferRows [seeds]]
 */
public final class SeedBenchmark {

    public static void main(String[] args) {
        MoeConfig config = ConfigLoader.load(Path.of(args[0])).withRepeat(1);
        int inferRows = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Experiment experiment = Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()))
                .getInstance(Experiment.class);
        experiment.train(config.seedOrDefault() + 1000, "", ProgressListener.SILENT); // warm-up: JIT, ND4J init

        long start = System.nanoTime();
        Experiment.TrainedRun run = experiment.train(config.seedOrDefault(), "", ProgressListener.SILENT);
        double trainSeconds = (System.nanoTime() - start) / 1e9;

        MixtureModel model = run.model();
        Dataset test = run.data().subset(run.plan().testRows());
        double accuracy = TribuoEvaluation.evaluate(model.predict(test.features()).probabilities(), test.labels(), test.labelNames()).accuracy();

        FloatMatrix rows = SyntheticSeedSource.generate(inferRows, 7).features();
        predictAll(model, rows.selectRows(range(Math.min(8192, inferRows)))); // warm-up
        double inferSeconds = timedPass(model, rows);
        // Warm: the fastest of ten more passes. The first pass runs mostly code the JIT has not compiled yet (C2
        // compiles the inference path during the first and second passes), which is the figure above.
        double warmSeconds = Double.POSITIVE_INFINITY;
        for (int pass = 0; pass < 10; pass++) {
            warmSeconds = Math.min(warmSeconds, timedPass(model, rows));
        }

        String spread = "";
        if (seeds > 1) {
            double[] accuracies = new double[seeds];
            accuracies[0] = accuracy;
            for (int i = 1; i < seeds; i++) {
                Experiment.TrainedRun other = experiment.train(config.seedOrDefault() + i, "", ProgressListener.SILENT);
                Dataset otherTest = other.data().subset(other.plan().testRows());
                accuracies[i] = TribuoEvaluation.evaluate(other.model().predict(otherTest.features()).probabilities(), otherTest.labels(),
                        otherTest.labelNames()).accuracy();
            }
            double mean = java.util.Arrays.stream(accuracies).average().orElse(Double.NaN);
            double std = Math.sqrt(java.util.Arrays.stream(accuracies).map(a -> (a - mean) * (a - mean)).sum() / (seeds - 1));
            // Each seed's accuracy too, for paired comparisons of two builds (bench/seed-accuracy-ab.sh).
            String each = java.util.Arrays.stream(accuracies).mapToObj(a -> String.format(Locale.ROOT, "%.4f", a))
                    .collect(java.util.stream.Collectors.joining(", "));
            spread = String.format(Locale.ROOT, ", \"seeds\": %d, \"accuracy_mean\": %.4f, \"accuracy_std\": %.4f, \"accuracies\": [%s]",
                    seeds, mean, std, each);
        }
        System.out.printf(Locale.ROOT, "{\"engine\": \"moe\", \"config\": \"%s\", \"train_seconds\": %.3f, "
                        + "\"infer_rows_per_second\": %d, \"infer_warm_rows_per_second\": %d, \"accuracy\": %.4f%s}%n",
                args[0], trainSeconds, Math.round(inferRows / inferSeconds), Math.round(inferRows / warmSeconds), accuracy, spread);
    }

    /** Seconds to predict all the rows in batches of 8192. */
    static double timedPass(MixtureModel model, FloatMatrix rows) {
        long start = System.nanoTime();
        predictAll(model, rows);
        return (System.nanoTime() - start) / 1e9;
    }

    static void predictAll(MixtureModel model, FloatMatrix rows) {
        for (int start = 0; start < rows.rows(); start += 8192) {
            int end = Math.min(rows.rows(), start + 8192);
            int[] batch = new int[end - start];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = start + i;
            }
            model.predict(rows.selectRows(batch));
        }
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
