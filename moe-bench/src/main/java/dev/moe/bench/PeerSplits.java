package dev.moe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.data.DataSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.experiment.SplitPlan;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For a comparison with other libraries on the very rows moe used (bench/peers.sh): for each config and each of
 * its repeats' seeds, the training rows (under cross-fitting they train both the experts and the gate) and the test
 * rows that {@code moe evaluate} uses, as DIR/NAME/SEED/train.csv and test.csv (features, then the label's index),
 * and DIR/NAME/config.json with what the other side needs of the config: per seed the label names in the indices'
 * order and the cross-fitting folds, and the experts (id, provider, params, subset labels). Nothing is trained: the
 * rows come from the same data loading (a {@code data: rows:} sample included) and split plan as the experiment's.
 * Categorical columns are written encoded as moe's experts see them (levels from the training rows).
 *
 * <p>Usage: PeerSplits DIR NAME=CONFIG...
 */
public final class PeerSplits {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            write(ConfigLoader.load(Path.of(args[i].substring(eq + 1))), dir.resolve(args[i].substring(0, eq)));
        }
    }

    /**
     * One config's repeats (seeds {@code seed .. seed + repeat - 1}, {@code repeat} the system property
     * {@code moe.repeat} where set, else the config's), as the class comment says.
     */
    static void write(MoeConfig config, Path out) {
        if (!config.split().crossFits()) {
            // A three-way split's experts and gate train on different rows: one training set would not be the same rows.
            throw new IllegalArgumentException(config.source() + ": PeerSplits reads cross-fitted configs only");
        }
        Map<String, DataSource> sources = Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()))
                .getInstance(Key.get(new TypeLiteral<Map<String, DataSource>>() { }));
        DataSource source = sources.get(config.data().source());
        List<Map<String, Object>> repeats = new ArrayList<>();
        // bench/peers.sh passes REPEAT as moe.repeat, as bench/benchmark.sh gives it to moe evaluate --repeat.
        int count = Integer.getInteger("moe.repeat", config.repeatOrDefault());
        for (int r = 0; r < count; r++) {
            long seed = config.seedOrDefault() + r;
            Dataset data = source.load(config.data(), config.baseDirectory(), seed);
            SplitPlan plan = SplitPlan.plan(data.rows(), config.split(), seed);
            int[] training = plan.gateRows(); // the experts' pool too, under cross-fitting
            if (data.hasText()) {
                data = CategoricalEncoding.fit(data, training).encode(data, new CategoricalEncoding.Tally());
            }
            Path folder = out.resolve(Long.toString(seed));
            SeedSplits.write(data.subset(training), folder.resolve("train.csv"));
            SeedSplits.write(data.subset(plan.testRows()), folder.resolve("test.csv"));
            Map<String, Object> repeat = new LinkedHashMap<>();
            repeat.put("seed", seed);
            repeat.put("labels", data.labelNames());
            repeat.put("folds", config.split().crossFitFolds(training.length));
            repeat.put("trainingRows", training.length);
            repeat.put("testRows", plan.testRows().length);
            repeats.add(repeat);
        }
        List<Map<String, Object>> experts = new ArrayList<>();
        for (MoeConfig.ExpertConfig e : config.experts()) {
            Map<String, Object> expert = new LinkedHashMap<>();
            expert.put("id", e.id());
            expert.put("provider", e.provider());
            expert.put("params", e.params());
            expert.put("labels", e.subset().labels());
            expert.put("features", e.subset().features());
            expert.put("fraction", e.subset().fraction());
            experts.add(expert);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("config", String.valueOf(config.source()));
        summary.put("repeats", repeats);
        summary.put("experts", experts);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("config.json").toFile(), summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
