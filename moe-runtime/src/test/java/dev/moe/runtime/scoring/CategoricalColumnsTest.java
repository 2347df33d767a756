package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleFixtures;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.experiment.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Categorical columns end to end: a run fits the levels on its training rows, the bundle records them, and
 * {@code moe predict} on the raw CSV gives the in-process model's probabilities exactly.
 */
class CategoricalColumnsTest {

    /** 100 rows: x, colour (red/green/blue and six levels on one row each), shape (blanks and NA), label yes/no. */
    static Path csv;
    static MoeConfig config;
    static Experiment.TrainedRun run;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws Exception {
        csv = Path.of(CategoricalColumnsTest.class.getResource("/data/categorical.csv").toURI());
        config = ConfigLoader.parse("""
                seed: 11
                data: { source: csv, path: %s, categorical: [colour, shape] }
                split: { experts: 0.4, gate: 0.3, test: 0.3 }
                experts:
                  - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 30, learning-rate: 0.05 } }
                  - { id: b, provider: nd4j-mlp, params: { hidden: 6, epochs: 30, learning-rate: 0.05 } }
                gate: { choose: gate, epochs: 30, learning-rate: 0.05 }
                """.formatted(csv), Path.of("categorical.yaml"));
        run = Guice.createInjector(new MoeModule(config, BundleFixtures.REGISTRY)).getInstance(Experiment.class)
                .train(config.seedOrDefault(), "", ProgressListener.SILENT);
    }

    private static List<String> column(int j) throws Exception {
        return Files.readAllLines(csv).stream().skip(1).map(line -> line.split(",", -1)[j]).toList();
    }

    @Test
    void theLevelsAreTheTrainingRowsOnesAndATestRowsUnseenLevelIsAllZeros() throws Exception {
        List<String> colour = column(1);
        Set<Integer> test = new java.util.HashSet<>(Arrays.stream(run.plan().testRows()).boxed().toList());
        TreeSet<String> training = new TreeSet<>();
        TreeSet<String> testOnly = new TreeSet<>();
        for (int r = 0; r < colour.size(); r++) {
            (test.contains(r) ? testOnly : training).add(colour.get(r));
        }
        testOnly.removeAll(training);
        assertTrue(!testOnly.isEmpty(), "the seed puts some one-row level among the test rows: " + testOnly);
        CategoricalEncoding.Column fitted = run.encoding().categorical().get(0);
        assertEquals("colour", fitted.name());
        assertEquals(List.copyOf(training), fitted.levels());
        List<String> names = run.data().featureNames();
        assertEquals("x", names.get(0));
        assertEquals(fitted.levels().stream().map(l -> "colour=" + l).toList(), names.subList(1, 1 + fitted.levels().size()));
        assertEquals(List.of("shape=round", "shape=square"), names.subList(names.size() - 2, names.size()));
        int row = colour.indexOf(testOnly.first());
        float[] features = run.data().features().row(row);
        assertTrue(IntStream.range(1, names.size() - 2).allMatch(j -> features[j] == 0f), Arrays.toString(features));
        int blank = column(2).indexOf("");
        float[] missing = run.data().features().row(blank);
        assertEquals(0f, missing[names.size() - 2] + missing[names.size() - 1]);
    }

    @Test
    void predictOnTheSavedMixtureGivesTheInProcessProbabilitiesExactly() throws Exception {
        Path file = dir.resolve("categorical.moe");
        BundleManifest manifest = new BundleWriter(BundleFixtures.REGISTRY).write(run.saveRequest(config, BundleFixtures.REGISTRY, null), file);
        assertEquals(3, manifest.formatVersion(), "a categorical bundle that fills nothing stays readable by a moe reading 3");
        assertEquals(null, manifest.fill());
        assertEquals(List.of("colour", "shape"), manifest.categorical().stream().map(BundleManifest.Categorical::column).toList());
        assertEquals(List.of("round", "square"), manifest.categorical().get(1).levels());
        try (SavedMixture saved = new BundleReader(BundleFixtures.REGISTRY).read(file)) {
            assertEquals(List.of("x", "colour", "shape"), saved.encoding().inputColumns());
            Path out = dir.resolve("predictions.csv");
            assertEquals(100, CsvPredictions.write(saved, csv, out, 16));
            List<String> lines = Files.readAllLines(out);
            MixtureModel.Prediction expected = run.model().predict(run.data().features());
            int labels = run.data().labelNames().size();
            for (int r = 0; r < 100; r++) {
                String[] cells = lines.get(r + 1).split(",");
                float[] p = new float[labels];
                for (int j = 0; j < labels; j++) {
                    p[j] = Float.parseFloat(cells[2 + j]);
                }
                assertArrayEquals(expected.probabilities().row(r), p, "row " + r);
            }
            // evaluate -m counts the same rows the same way: the mixture's accuracy on them, from the raw file.
            double accuracy = CsvEvaluation.evaluate(saved, csv, 16).accuracy().get("moe");
            int[] y = run.data().labels();
            long right = IntStream.range(0, 100).filter(r -> expected.probabilities().argMaxOfRow(r) == y[r]).count();
            assertEquals(right / 100.0, accuracy, 1e-12);
            Path lacking = Files.writeString(dir.resolve("lacking.csv"), "x,colour\n1,red\n");
            MoeException e = assertThrows(MoeException.class, () -> CsvPredictions.write(saved, lacking, dir.resolve("o.csv")));
            assertTrue(e.getMessage().startsWith(lacking + ": no column 'shape' in the header"), e.getMessage());
        }
    }

    @Test
    void aNumericBundleRecordsNoEncodingAndReadsItsFeaturesAsColumns() {
        BundleFixtures.Trained seed = BundleFixtures.seedMixture();
        Path file = dir.resolve("numeric.moe");
        BundleManifest manifest = new BundleWriter(BundleFixtures.REGISTRY).write(seed.request(), file);
        assertEquals(null, manifest.categorical());
        try (SavedMixture saved = new BundleReader(BundleFixtures.REGISTRY).read(file)) {
            assertTrue(saved.encoding().isIdentity());
            assertEquals(saved.featureNames(), saved.encoding().inputColumns());
        }
    }
}
