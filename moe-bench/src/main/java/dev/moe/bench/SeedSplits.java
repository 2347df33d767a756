package dev.moe.bench;

import com.google.inject.Guice;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.experiment.ExpertSubsets;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.evaluation.TribuoEvaluation;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * For a paired accuracy comparison with the PyTorch reference: runs the experiment for seeds 0..n-1 after the
 * config's seed and, for each, writes the exact rows moe used (each expert's training rows, the gate's rows, the
 * test rows) as CSVs under DIR/SEED/, and prints moe's test accuracy on them as one JSON line per seed.
 * bench/seed_pytorch.py --split-dir DIR/SEED trains its models on the same rows.
 *
 * <p>Usage: SeedSplits CONFIG SEEDS DIR
 */
public final class SeedSplits {

    public static void main(String[] args) {
        MoeConfig config = ConfigLoader.load(Path.of(args[0])).withRepeat(1);
        int seeds = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        Experiment experiment = Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()))
                .getInstance(Experiment.class);
        for (int i = 0; i < seeds; i++) {
            long seed = config.seedOrDefault() + i;
            Experiment.TrainedRun run = experiment.train(seed, "", ProgressListener.SILENT);
            Dataset data = run.data();
            Path out = dir.resolve(Long.toString(seed));
            List<int[]> subsets = ExpertSubsets.select(data, run.plan().expertPool(), config.experts(),
                    config.split().balanceExpertsOrDefault(), seed);
            for (int e = 0; e < subsets.size(); e++) {
                write(data.subset(subsets.get(e)), out.resolve("expert" + (e + 1) + ".csv"));
            }
            write(data.subset(run.plan().gateRows()), out.resolve("gate.csv"));
            Dataset test = data.subset(run.plan().testRows());
            write(test, out.resolve("test.csv"));
            double accuracy = TribuoEvaluation.evaluate(run.model().predict(test.features()).probabilities(), test.labels(),
                    data.labelNames()).accuracy();
            System.out.printf(Locale.ROOT, "{\"engine\": \"moe\", \"seed\": %d, \"accuracy\": %.4f}%n", seed, accuracy);
        }
    }

    /** Features then the label's index, with a header; floats written exactly (shortest round-trip form). */
    static void write(Dataset d, Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                w.write(String.join(",", d.featureNames()) + ",label\n");
                for (int r = 0; r < d.features().rows(); r++) {
                    StringBuilder line = new StringBuilder();
                    for (int j = 0; j < d.features().columns(); j++) {
                        line.append(d.features().get(r, j)).append(',');
                    }
                    w.write(line.append(d.labels()[r]).append('\n').toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
