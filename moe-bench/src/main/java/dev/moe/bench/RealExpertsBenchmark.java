package dev.moe.bench;

import com.google.inject.Guice;
import dev.moe.api.Expert;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import dev.moe.experts.tribuo.TribuoExpert;
import dev.moe.experts.tribuo.TribuoExpertProvider;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Inference with real experts (issue 17): the satellite mixture of five experts (Tribuo logistic regression,
 * CART, kNN, XGBoost, an ND4J MLP; linear gate), dense and top-2, each expert alone, and a kNN expert on letter
 * (14,000 training rows), each measured with moe's batched paths ("fast") and with Tribuo's own predict on the
 * calling thread as before ("tribuo", {@code -Dmoe.tribuo.fast-path=false} switched at run time), side by side in
 * one JVM: the variants take turns, and each figure is the median of {@code repeats} timings. Rows are the data
 * set's rows cycled, scored in batches of 8192 as the seed benchmark does. Prints one JSON line per measurement.
 *
 * <p>Usage: RealExpertsBenchmark [DATA_DIR [rows [repeats]]]   (defaults: ../shared/data 100000 5; the "tribuo"
 * variant scores a tenth of the rows, and a fifth of letter's 6,000 test rows: it is that slow)
 */
public final class RealExpertsBenchmark {

    private static final int BATCH = 8192;

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data").toAbsolutePath();
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int slowRows = Math.max(BATCH, rows / 10);

        Experiment.TrainedRun dense = train(data, "softmax-dense", "{}");
        Experiment.TrainedRun top2 = train(data, "top-k", "{ k: 2 }");
        FloatMatrix all = cycle(dense.data().features(), rows);

        Map<String, Consumer<FloatMatrix>> work = new LinkedHashMap<>();
        work.put("mixture dense", m -> predictAll(dense.model(), m));
        work.put("mixture top-2", m -> predictAll(top2.model(), m));
        for (AlignedExpert e : dense.model().experts()) {
            work.put("expert " + e.expert().id(), m -> expertAll(e, m));
        }

        // Letter: a kNN expert on 70% of the 20,000 rows (what cross-fitting trains), scoring the other 30%.
        TrainingSet letter = csv(data.resolve("letter.csv"));
        int cut = letter.rows() * 7 / 10;
        TrainingSet letterTrain = subset(letter, 0, cut);
        FloatMatrix letterTest = subset(letter, cut, letter.rows()).features();
        Expert letterKnn = new TribuoExpertProvider().train(new ExpertSpec("knn-letter", TribuoExpertProvider.NAME,
                new Parameters("bench", Map.of("algorithm", "knn")), data, 7L), letterTrain);
        work.put("letter knn (" + cut + " training rows)", m -> expertAll(letterKnn, m));

        // Warm-up: each piece once on a batch in each variant.
        for (boolean fast : new boolean[] {true, false}) {
            setFast(fast);
            work.forEach((name, w) -> w.accept(first(name.startsWith("letter") ? letterTest : all, BATCH)));
        }

        Map<String, double[]> seconds = new LinkedHashMap<>();
        for (int rep = 0; rep < repeats; rep++) {
            for (Map.Entry<String, Consumer<FloatMatrix>> entry : work.entrySet()) {
                for (boolean fast : new boolean[] {true, false}) {
                    if (!fast && rep >= Math.max(1, repeats / 2 + 1) && entry.getKey().startsWith("mixture")) {
                        continue; // the slow mixtures: fewer repeats, they take half a minute each
                    }
                    setFast(fast);
                    FloatMatrix m = entry.getKey().startsWith("letter")
                            ? (fast ? letterTest : first(letterTest, letterTest.rows() / 5))
                            : first(all, fast ? rows : slowRows);
                    long start = System.nanoTime();
                    entry.getValue().accept(m);
                    double s = (System.nanoTime() - start) / 1e9;
                    String key = entry.getKey() + (fast ? " | fast" : " | tribuo");
                    double[] old = seconds.getOrDefault(key, new double[0]);
                    double[] next = Arrays.copyOf(old, old.length + 1);
                    next[old.length] = m.rows() / s;
                    seconds.put(key, next);
                }
            }
        }
        setFast(true);

        Map<String, Double> median = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : seconds.entrySet()) {
            double[] v = e.getValue().clone();
            Arrays.sort(v);
            double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            median.put(e.getKey(), med);
            System.out.printf(Locale.ROOT, "{\"what\": \"%s\", \"rows_per_second_median\": %.0f, \"runs\": %s}%n",
                    e.getKey(), med, Arrays.toString(Arrays.stream(e.getValue()).map(Math::round).toArray()));
        }
        // The mixture against the sum of its experts' own costs (seconds per row, fast paths).
        double sumExperts = 0;
        for (AlignedExpert e : dense.model().experts()) {
            sumExperts += 1 / median.get("expert " + e.expert().id() + " | fast");
        }
        double mixture = 1 / median.get("mixture dense | fast");
        System.out.printf(Locale.ROOT, "{\"dense mixture / sum of experts\": %.3f, \"top-2 / dense speed-up\": %.2f, "
                        + "\"top-2 share of rows per expert\": %s, \"cores\": %d}%n",
                mixture / sumExperts, median.get("mixture top-2 | fast") / median.get("mixture dense | fast"),
                shares(top2.model(), all), Runtime.getRuntime().availableProcessors());
    }

    private static void setFast(boolean fast) {
        System.setProperty(TribuoExpert.FAST_PATH_PROPERTY, String.valueOf(fast));
    }

    private static Experiment.TrainedRun train(Path data, String strategy, String params) throws IOException {
        String yaml = """
                seed: 42
                repeat: 1
                data: { source: csv, path: "%s", label: label }
                split: { experts: 0.5, gate: 0.3, test: 0.2 }
                experts:
                  - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression } }
                  - { id: cart, provider: tribuo, params: { algorithm: cart, max-depth: 10, probabilities: scores } }
                  - { id: knn, provider: tribuo, params: { algorithm: knn, k: 5, probabilities: scores } }
                  - { id: xgboost, provider: tribuo, params: { algorithm: xgboost } }
                  - { id: mlp, provider: nd4j-mlp, params: { hidden: [64], epochs: 200, learning-rate: 0.01 } }
                gate: { hidden: [], epochs: 300, learning-rate: 0.01 }
                routing: { strategy: %s, params: %s }
                """.formatted(data.resolve("satellite.csv"), strategy, params);
        Path file = Files.createTempFile("satellite-mixture", ".yaml");
        try {
            Files.writeString(file, yaml);
            MoeConfig config = ConfigLoader.load(file);
            Experiment experiment = Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()))
                    .getInstance(Experiment.class);
            return experiment.train(config.seedOrDefault(), "", ProgressListener.SILENT);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String shares(MixtureModel model, FloatMatrix rows) {
        FloatMatrix w = model.weights(first(rows, Math.min(rows.rows(), 20_000)));
        int e = w.columns();
        double[] share = new double[e];
        for (int r = 0; r < w.rows(); r++) {
            for (int k = 0; k < e; k++) {
                if (w.values()[r * e + k] != 0f) {
                    share[k]++;
                }
            }
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < e; k++) {
            parts.add(String.format(Locale.ROOT, "\"%s\": %.2f", model.experts().get(k).expert().id(), share[k] / w.rows()));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    static void predictAll(MixtureModel model, FloatMatrix rows) {
        for (int start = 0; start < rows.rows(); start += BATCH) {
            model.predict(rows.selectRows(range(start, Math.min(rows.rows(), start + BATCH))));
        }
    }

    static void expertAll(AlignedExpert expert, FloatMatrix rows) {
        for (int start = 0; start < rows.rows(); start += BATCH) {
            expert.predict(rows.selectRows(range(start, Math.min(rows.rows(), start + BATCH))));
        }
    }

    static void expertAll(Expert expert, FloatMatrix rows) {
        for (int start = 0; start < rows.rows(); start += BATCH) {
            expert.predict(rows.selectRows(range(start, Math.min(rows.rows(), start + BATCH))));
        }
    }

    private static FloatMatrix cycle(FloatMatrix rows, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i % rows.rows();
        }
        return rows.selectRows(idx);
    }

    private static FloatMatrix first(FloatMatrix rows, int n) {
        return rows.rows() <= n ? rows : rows.selectRows(range(0, n));
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static TrainingSet subset(TrainingSet data, int from, int to) {
        int[] idx = range(from, to);
        int[] labels = Arrays.copyOfRange(data.labels(), from, to);
        return new TrainingSet(data.features().selectRows(idx), labels, data.featureNames(), data.labelNames());
    }

    /** A CSV with a header and the label last (letter.csv), as a TrainingSet; letter's rows come shuffled. */
    private static TrainingSet csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        int columns = header.length - 1;
        List<String> labelNames = new ArrayList<>();
        int n = lines.size() - 1;
        float[] values = new float[n * columns];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (int c = 0; c < columns; c++) {
                values[r * columns + c] = Float.parseFloat(cells[c]);
            }
            String label = cells[columns].trim();
            int id = labelNames.indexOf(label);
            if (id < 0) {
                labelNames.add(label);
                id = labelNames.size() - 1;
            }
            labels[r] = id;
        }
        return new TrainingSet(new FloatMatrix(n, columns, values), labels,
                Arrays.asList(header).subList(0, columns), labelNames);
    }
}
