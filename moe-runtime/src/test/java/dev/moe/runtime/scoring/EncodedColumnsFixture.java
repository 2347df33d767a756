package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleFixtures;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the categorical and filled columns' end-to-end tests share: the same two-MLP run on a CSV file of the test
 * resources, and {@code moe predict}'s and {@code evaluate -m}'s results on its saved mixture against the in-process
 * model.
 */
final class EncodedColumnsFixture {

    private static final String CONFIG = """
            seed: 11
            data: { source: csv, path: %s, %s }
            split: { experts: 0.4, gate: 0.3, test: 0.3 }
            experts:
              - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 30, learning-rate: 0.05 } }
              - { id: b, provider: nd4j-mlp, params: { hidden: 6, epochs: 30, learning-rate: 0.05 } }
            gate: { choose: gate, epochs: 30, learning-rate: 0.05 }
            """;

    private EncodedColumnsFixture() {
    }

    /** A test resource under {@code /data/}. */
    static Path resource(String name) throws Exception {
        return Path.of(EncodedColumnsFixture.class.getResource("/data/" + name).toURI());
    }

    /** The config over {@code csv} whose {@code data} also says {@code encoding} (e.g. {@code fill: [g]}). */
    static MoeConfig config(Path csv, String encoding) {
        return ConfigLoader.parse(CONFIG.formatted(csv, encoding), Path.of("encoded.yaml"));
    }

    /** The run, trained once more (the same seed: the same split and numbers). */
    static Experiment.TrainedRun train(MoeConfig config) {
        return BundleFixtures.train(config).run();
    }

    /** The cells of the file's column {@code j}, below its header. */
    static List<String> column(Path file, int j) throws Exception {
        return Files.readAllLines(file).stream().skip(1).map(line -> line.split(",", -1)[j]).toList();
    }

    /**
     * {@code moe predict} on the raw CSV gives the in-process model's probabilities on the run's rows exactly, and
     * {@code evaluate -m} counts the same rows (all {@code rows} of the file) the same way: the mixture's accuracy on them, from the raw file.
     */
    static void assertPredictAndEvaluateMatchTheRun(Experiment.TrainedRun run, SavedMixture saved, Path csv, int rows, Path dir)
            throws Exception {
        Path out = dir.resolve("predictions.csv");
        assertEquals(rows, CsvPredictions.write(saved, csv, out, 16));
        List<String> lines = Files.readAllLines(out);
        MixtureModel.Prediction expected = run.model().predict(run.data().features());
        int labels = run.data().labelNames().size();
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",");
            float[] p = new float[labels];
            for (int j = 0; j < labels; j++) {
                p[j] = Float.parseFloat(cells[2 + j]);
            }
            assertArrayEquals(expected.probabilities().row(r), p, "row " + r);
        }
        double accuracy = CsvEvaluation.evaluate(saved, csv, 16).accuracy().get("moe");
        int[] y = run.data().labels();
        long right = IntStream.range(0, rows).filter(r -> expected.probabilities().argMaxOfRow(r) == y[r]).count();
        assertEquals(right / (double) rows, accuracy, 1e-12);
    }

    /** An input with only x and colour is refused, naming the first column it lacks. */
    static void assertRefusedWithout(SavedMixture saved, Path dir, String column) throws Exception {
        Path lacking = Files.writeString(dir.resolve("lacking.csv"), "x,colour\n1,red\n");
        MoeException e = assertThrows(MoeException.class, () -> CsvPredictions.write(saved, lacking, dir.resolve("o.csv")));
        assertTrue(e.getMessage().startsWith(lacking + ": no column '" + column + "' in the header"), e.getMessage());
    }
}
