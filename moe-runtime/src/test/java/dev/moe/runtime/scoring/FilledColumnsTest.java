package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.MissingCells;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleFixtures;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.experiment.Experiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filled numeric columns end to end: a run takes each gap's median from its training rows only, adds the indicator,
 * the bundle records the median (format version 4), and {@code moe predict} on the raw CSV gives the in-process
 * model's probabilities exactly.
 */
class FilledColumnsTest {

    /** 80 rows: x, g (20 gaps: blank, NA, ?), colour, label yes/no depending on x, g and whether g is missing. */
    static Path csv;
    static MoeConfig config;
    static Experiment.TrainedRun run;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws Exception {
        csv = EncodedColumnsFixture.resource("filled.csv");
        config = EncodedColumnsFixture.config(csv, "categorical: [colour], fill: [g]");
        run = EncodedColumnsFixture.train(config);
    }

    /** The median of the non-missing cells of the given rows, computed here on its own. */
    private static double median(List<String> cells, int[] rows) {
        double[] v = Arrays.stream(rows).mapToObj(cells::get).filter(c -> !MissingCells.isMissing(c))
                .mapToDouble(Double::parseDouble).sorted().toArray();
        return v.length % 2 == 1 ? (float) v[v.length / 2] : (float) (((float) v[v.length / 2 - 1] + (float) v[v.length / 2]) / 2);
    }

    @Test
    void theMedianIsTheTrainingRowsOnesAndATestRowsValueNeverMovesIt() throws Exception {
        List<String> g = EncodedColumnsFixture.column(csv, 1);
        Set<Integer> test = Arrays.stream(run.plan().testRows()).boxed().collect(Collectors.toSet());
        int[] training = IntStream.range(0, g.size()).filter(r -> !test.contains(r)).toArray();
        CategoricalEncoding.Column fitted = run.encoding().filled().get(0);
        assertEquals("g", fitted.name());
        assertEquals(median(g, training), fitted.median());
        assertTrue(median(g, IntStream.range(0, g.size()).toArray()) != fitted.median(), "all rows' median differs here");

        // Every test row's g set far above the rest (its gaps too): the same split, the same median.
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        for (int r : run.plan().testRows()) {
            String[] cells = lines.get(r + 1).split(",", -1);
            cells[1] = String.valueOf(1000 + r);
            lines.set(r + 1, String.join(",", cells));
        }
        Path moved = Files.write(dir.resolve("moved.csv"), lines);
        Experiment.TrainedRun again = EncodedColumnsFixture.train(EncodedColumnsFixture.config(moved, "categorical: [colour], fill: [g]"));
        assertArrayEquals(run.plan().testRows(), again.plan().testRows());
        assertEquals(fitted.median(), again.encoding().filled().get(0).median());
    }

    @Test
    void aGapIsTheMedianWithItsIndicatorOneAndAValueItselfWithItsIndicatorZero() throws Exception {
        List<String> g = EncodedColumnsFixture.column(csv, 1);
        List<String> names = run.data().featureNames();
        assertEquals(List.of("x", "g", "g=missing", "colour=blue", "colour=green", "colour=red"), names);
        float median = run.encoding().filled().get(0).median().floatValue();
        int gaps = 0;
        for (int r = 0; r < g.size(); r++) {
            float[] row = run.data().features().row(r);
            if (MissingCells.isMissing(g.get(r))) {
                gaps++;
                assertEquals(median, row[1], "row " + r);
                assertEquals(1f, row[2], "row " + r);
            } else {
                assertEquals(Float.parseFloat(g.get(r)), row[1], "row " + r);
                assertEquals(0f, row[2], "row " + r);
            }
        }
        assertEquals(20, gaps);
    }

    @Test
    void predictOnTheSavedMixtureGivesTheInProcessProbabilitiesExactly() throws Exception {
        Path file = dir.resolve("filled.moe");
        BundleManifest manifest = new BundleWriter(BundleFixtures.REGISTRY).write(run.saveRequest(config, BundleFixtures.REGISTRY, null), file);
        assertEquals(4, manifest.formatVersion());
        assertEquals(BundleFormat.VERSION, manifest.formatVersion());
        assertEquals(List.of(new BundleManifest.Filled("g", run.encoding().filled().get(0).median())), manifest.fill());
        assertEquals(List.of("colour"), manifest.categorical().stream().map(BundleManifest.Categorical::column).toList());
        try (SavedMixture saved = new BundleReader(BundleFixtures.REGISTRY).read(file)) {
            assertEquals(run.encoding(), saved.encoding());
            assertEquals(List.of("x", "g", "colour"), saved.encoding().inputColumns());
            EncodedColumnsFixture.assertPredictAndEvaluateMatchTheRun(run, saved, csv, 80, dir);
            EncodedColumnsFixture.assertRefusedWithout(saved, dir, "g");
            Path text = Files.writeString(dir.resolve("text.csv"), "x,g,colour\n1,,red\n1,tall,red\n");
            MoeException e = assertThrows(MoeException.class, () -> CsvPredictions.write(saved, text, dir.resolve("t.csv")));
            assertEquals(text + ": line 3, column 'g': not a number: 'tall'", e.getMessage());
        }
    }

    @Test
    void aBundleIsWrittenInTheOldestVersionThatHoldsIt() throws Exception {
        assertEquals(3, BundleFormat.versionFor(true, false));
        assertEquals(2, BundleFormat.versionFor(false, false));
        assertEquals(4, BundleFormat.versionFor(false, true));
    }
}
