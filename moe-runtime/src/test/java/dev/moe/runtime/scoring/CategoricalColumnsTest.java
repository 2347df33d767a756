package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.bundle.BundleFixtures;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.experiment.Experiment;
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
        csv = EncodedColumnsFixture.resource("categorical.csv");
        config = EncodedColumnsFixture.config(csv, "categorical: [colour, shape]");
        run = EncodedColumnsFixture.train(config);
    }

    @Test
    void theLevelsAreTheTrainingRowsOnesAndATestRowsUnseenLevelIsAllZeros() throws Exception {
        List<String> colour = EncodedColumnsFixture.column(csv, 1);
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
        int blank = EncodedColumnsFixture.column(csv, 2).indexOf("");
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
            EncodedColumnsFixture.assertPredictAndEvaluateMatchTheRun(run, saved, csv, 100, dir);
            EncodedColumnsFixture.assertRefusedWithout(saved, dir, "shape");
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
