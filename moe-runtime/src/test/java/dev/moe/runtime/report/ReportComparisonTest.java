package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportComparisonTest {

    @TempDir
    Path dir;

    /** A JSON report as moe evaluate writes it (the fields a comparison reads), one repeat per seed. */
    private Path report(String name, List<Long> seeds, List<String> rows, double[] moe, double[] mlp, String chosen) throws Exception {
        String fingerprints = rows == null ? "" : ", \"testRowsFingerprints\": [" + rows.stream()
                .map(r -> r == null ? "null" : "\"" + r + "\"").collect(Collectors.joining(", ")) + "]";
        String json = "{\"formatVersion\": 1, \"createdBy\": \"moe test\", \"dataset\": \"glass.csv\", \"testRows\": 64,"
                + " \"seeds\": " + seeds + ", \"results\": [" + result("mlp", mlp) + ", " + result("moe", moe) + "],"
                + " \"gate\": {\"chosen\": [" + IntStream.range(0, seeds.size()).mapToObj(i -> "\"" + chosen + "\"")
                .collect(Collectors.joining(", ")) + "]}" + fingerprints + "}";
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    private static String result(String model, double[] accuracy) {
        String values = java.util.Arrays.stream(accuracy).mapToObj(a -> String.format(Locale.ROOT, "%s", a)).collect(Collectors.joining(", "));
        String logLoss = java.util.Arrays.stream(accuracy).mapToObj(a -> String.format(Locale.ROOT, "%s", 1 - a)).collect(Collectors.joining(", "));
        return "{\"model\": \"" + model + "\", \"perRepeat\": [" + values + "], \"logLossPerRepeat\": [" + logLoss + "]}";
    }

    @Test
    void pairsTheRepeatsWhoseRowsMatchAndGivesTheDifferenceWithItsStandardError() throws Exception {
        // b has a sixth repeat a lacks, and its repeats in another order: pairing goes by the rows, not the position.
        Path a = report("a.json", List.of(1L, 2L, 3L), List.of("rows:1", "rows:2", "rows:3"),
                new double[] {0.70, 0.80, 0.75}, new double[] {0.6, 0.6, 0.6}, "product");
        Path b = report("b.json", List.of(3L, 1L, 2L, 4L), List.of("rows:3", "rows:1", "rows:2", "rows:4"),
                new double[] {0.80, 0.72, 0.80, 0.10}, new double[] {0.6, 0.6, 0.6, 0.6}, "uniform");
        ReportComparison.Comparison c = ReportComparison.compare(ReportComparison.read(a), ReportComparison.read(b));
        assertEquals(List.of(0, 1, 2), c.repeatsA());
        assertEquals(List.of(1, 2, 0), c.repeatsB());
        ReportComparison.Line moe = c.line("moe");
        // Differences +0.02, 0, +0.05: mean 0.0233..., sd 0.02517, se 0.01453.
        assertEquals(0.07 / 3, moe.accuracy().mean(), 1e-12);
        assertEquals(Math.sqrt((Math.pow(0.02 - 0.07 / 3, 2) + Math.pow(0.07 / 3, 2) + Math.pow(0.05 - 0.07 / 3, 2)) / 2) / Math.sqrt(3),
                moe.accuracy().standardError(), 1e-12);
        assertEquals(2, moe.accuracy().higher());
        assertEquals(0, moe.accuracy().lower());
        assertEquals(0.75, moe.meanA(), 1e-12);
        assertEquals(-0.07 / 3, moe.logLoss().mean(), 1e-12);
        String text = flat(ReportComparison.text(c, 100));
        assertTrue(text.contains("paired over 3 repeats (seeds 1..3), 64 test rows each; the same rows in each (their fingerprints match)"), text);
        assertTrue(text.contains("moe    0.7500  0.7733  +0.0233 ± 0.0145  2/0      -0.0233 ± 0.0145"), text);
        assertTrue(text.contains("combiner: a product 3/3 · b uniform 3/3"), text);
        // A gate kept without a choice (choose: gate) is named by its strategy, as the report's table names it.
        Path gate = Files.writeString(dir.resolve("gate.json"), Files.readString(a).replace("\"gate\": {", "\"strategy\": \"top-k\","
                + " \"gate\": {\"candidates\": [], ").replace("\"product\"", "\"features\""));
        assertTrue(flat(ReportComparison.text(ReportComparison.compare(ReportComparison.read(gate), ReportComparison.read(b)), 100))
                .contains("combiner: a top-k 3/3 · b uniform 3/3"));
    }

    /** The text with its wrapped sentences joined again. */
    private static String flat(String text) {
        return text.replace(System.lineSeparator() + "  ", " ");
    }

    @Test
    void reportsScoredOnOtherRowsAreRefused() throws Exception {
        Path a = report("a.json", List.of(1L, 2L), List.of("rows:1", "rows:2"), new double[] {0.7, 0.8}, new double[] {0.6, 0.6}, "product");
        // The same seeds and counts, other rows (another split): the fingerprints say so.
        Path b = report("b.json", List.of(1L, 2L), List.of("rows:8", "rows:9"), new double[] {0.7, 0.8}, new double[] {0.6, 0.6}, "product");
        MoeException e = assertThrows(MoeException.class,
                () -> ReportComparison.compare(ReportComparison.read(a), ReportComparison.read(b)));
        assertEquals(a + " and " + b + " were not scored on the same rows (no repeat's row fingerprint is in both): a paired"
                + " comparison needs the same data file, split and seeds", e.getMessage());
    }

    @Test
    void reportsWithoutFingerprintsArePairedBySeedAndSaySo() throws Exception {
        Path a = report("a.json", List.of(1L, 2L), null, new double[] {0.7, 0.8}, new double[] {0.6, 0.6}, "product");
        Path b = report("b.json", List.of(2L, 5L), List.of("rows:2", "rows:5"), new double[] {0.9, 0.1}, new double[] {0.6, 0.6}, "product");
        ReportComparison.Comparison c = ReportComparison.compare(ReportComparison.read(a), ReportComparison.read(b));
        assertEquals(List.of(1), c.repeatsA());
        assertEquals(List.of(0), c.repeatsB());
        assertEquals(0.1, c.line("moe").accuracy().mean(), 1e-12);
        String text = flat(ReportComparison.text(c, 100));
        assertTrue(text.contains("paired over 1 repeat (seed 2)"), text);
        assertTrue(text.contains("the same rows assumed from the data's name, the seeds and the test rows' count"), text);
        // One repeat has no standard error to show.
        assertTrue(text.contains("moe    0.8000  0.9000  +0.1000 "), text);
        Path c2 = report("c.json", List.of(7L), null, new double[] {0.7}, new double[] {0.6}, "product");
        assertThrows(MoeException.class, () -> ReportComparison.compare(ReportComparison.read(a), ReportComparison.read(c2)));
    }

    @Test
    void foldersArePairedByFileNameAndSummedOverEveryRepeat() throws Exception {
        report("a/glass.json", List.of(1L, 2L), List.of("rows:1", "rows:2"), new double[] {0.7, 0.8}, new double[] {0.6, 0.6}, "product");
        report("a/wine.json", List.of(1L, 2L), List.of("rows:w1", "rows:w2"), new double[] {0.9, 0.9}, new double[] {0.6, 0.6}, "product");
        report("a/only-a.json", List.of(1L), List.of("rows:x"), new double[] {0.9}, new double[] {0.6}, "product");
        report("b/glass.json", List.of(1L, 2L), List.of("rows:1", "rows:2"), new double[] {0.7, 0.9}, new double[] {0.6, 0.6}, "uniform");
        report("b/wine.json", List.of(1L, 2L), List.of("rows:w1", "rows:w2"), new double[] {0.9, 0.9}, new double[] {0.6, 0.6}, "product");
        String text = flat(ReportComparison.run(dir.resolve("a"), dir.resolve("b"), "moe", 100).text());
        assertTrue(text.contains("glass   0.7500  0.8000  +0.0500 ± 0.0500  1/0      product 2/2 -> uniform 2/2"), text);
        assertTrue(text.contains("wine    0.9000  0.9000  +0.0000 ± 0.0000  0/0      product 2/2"), text);
        assertTrue(text.contains("all 4 paired repeats: b - a +0.0250 ± 0.0250 (1 higher, 0 lower); 1 of 2 reports identical"), text);
        assertTrue(text.contains("not compared: only in a: only-a"), text);
        String mlp = ReportComparison.run(dir.resolve("a"), dir.resolve("b"), "mlp", 100).text();
        assertTrue(mlp.contains("all 4 paired repeats: b - a +0.0000 ± 0.0000 (0 higher, 0 lower)"), mlp);
        MoeException e = assertThrows(MoeException.class, () -> ReportComparison.run(dir.resolve("a"), dir.resolve("b"), "knn", 100));
        assertEquals("glass: no model 'knn' in both reports; they have mlp, moe", e.getMessage());
    }

    /** A baseline Tribuo refused in some repeats has fewer figures than repeats: left out of the pairing, said so. */
    @Test
    void aModelScoredInOnlySomeRepeatsIsNotComparedAndSaidSo() throws Exception {
        Path a = report("a.json", List.of(1L, 2L), List.of("rows:1", "rows:2"), new double[] {0.7, 0.8}, new double[] {0.6}, "product");
        Path b = report("b.json", List.of(1L, 2L), List.of("rows:1", "rows:2"), new double[] {0.7, 0.9}, new double[] {0.6, 0.7}, "product");
        ReportComparison.Comparison c = ReportComparison.compare(ReportComparison.read(a), ReportComparison.read(b));
        assertEquals(List.of("moe"), c.lines().stream().map(ReportComparison.Line::model).toList());
        assertEquals(List.of(), c.onlyB());
        String text = flat(ReportComparison.text(c, 100));
        assertTrue(text.contains("not compared, scored in only some repeats: mlp"), text);
        assertTrue(!text.contains("only in b"), text);
    }

    @Test
    void equalTotalsAreLevelNotMinusZero() {
        // Sonar's mixture and stacking, right on as many of the 62 test rows in all: the differences' mean is -2e-17.
        ReportComparison.Paired p = ReportComparison.Paired.of(
                java.util.List.of(54 / 62.0, 52 / 62.0, 51 / 62.0, 49 / 62.0, 51 / 62.0),
                java.util.List.of(54 / 62.0, 52 / 62.0, 49 / 62.0, 50 / 62.0, 52 / 62.0));
        assertEquals(0.0, p.mean());
        assertTrue(p.text(5).startsWith("+0.0000 ± "), p.text(5));
        assertEquals(2, p.higher());
        assertEquals(1, p.lower());
    }

    /** --fail-if-worse's rule: lower by more than two standard errors; with one repeat (no standard error), lower at all. */
    @Test
    void worseMeansLowerByMoreThanTwoStandardErrorsOrAtAllWithOneRepeat() {
        assertTrue(new ReportComparison.Outcome("", null, "moe", new ReportComparison.Paired(-0.03, 0.01, 0, 3, 3)).worse());
        assertTrue(!new ReportComparison.Outcome("", null, "moe", new ReportComparison.Paired(-0.02, 0.01, 1, 2, 3)).worse());
        assertTrue(!new ReportComparison.Outcome("", null, "moe", new ReportComparison.Paired(0.05, 0.01, 3, 0, 3)).worse());
        ReportComparison.Outcome once = new ReportComparison.Outcome("", null, "moe", new ReportComparison.Paired(-0.001, 0, 0, 1, 1));
        assertTrue(once.worse());
        assertEquals("b's moe is lower than a's by 0.0010 over 1 paired repeat", once.worseLine());
    }

    @Test
    void whatIsNotAReportIsRefusedInOneLine() throws Exception {
        Path notJson = Files.writeString(dir.resolve("x.json"), "label,a\n");
        Path other = Files.writeString(dir.resolve("y.json"), "{\"learner\": {}}");
        Path newer = Files.writeString(dir.resolve("z.json"), "{\"formatVersion\": 9, \"createdBy\": \"moe 9\", \"seeds\": [], \"results\": []}");
        assertTrue(assertThrows(MoeException.class, () -> ReportComparison.read(notJson)).getMessage()
                .startsWith(notJson + ": not a JSON report of moe evaluate ("));
        assertEquals(other + ": not a JSON report of moe evaluate (no seeds and results); write one with moe evaluate CONFIG --json y.json",
                assertThrows(MoeException.class, () -> ReportComparison.read(other)).getMessage());
        assertEquals(newer + ": its JSON report format 9 is newer than this moe reads (1); compare it with the moe that wrote it (moe 9)",
                assertThrows(MoeException.class, () -> ReportComparison.read(newer)).getMessage());
        assertEquals(dir.resolve("nope.json") + ": no such file",
                assertThrows(MoeException.class, () -> ReportComparison.read(dir.resolve("nope.json"))).getMessage());
        MoeException mixed = assertThrows(MoeException.class, () -> ReportComparison.run(dir, notJson, "moe", 100));
        assertEquals("give two JSON reports or two folders of them: " + dir + " is a folder, " + notJson + " is not", mixed.getMessage());
    }
}
