package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleFixtures;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvPredictionsTest {

    @TempDir
    Path dir;

    SavedMixture mixture;
    Dataset data;

    @BeforeEach
    void loadASavedMixture() {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        Path file = dir.resolve("seed.moe");
        new BundleWriter(BundleFixtures.REGISTRY).write(trained.request("top-k", java.util.Map.of("k", 2)), file);
        mixture = new BundleReader(BundleFixtures.REGISTRY).read(file);
        data = trained.run().data();
    }

    /** The data set's first rows as CSV, columns shuffled, with an id and a label column the predictions ignore. */
    private Path csv(String name, int rows) throws Exception {
        StringBuilder s = new StringBuilder("id,feature2,label,feature0,feature3,feature1\n");
        for (int r = 0; r < rows; r++) {
            FloatMatrix x = data.features();
            s.append("row").append(r).append(',').append(x.get(r, 2)).append(',').append(data.labelNames().get(data.labels()[r]))
                    .append(',').append(x.get(r, 0)).append(',').append(x.get(r, 3)).append(',').append(x.get(r, 1)).append('\n');
            if (r == 3) {
                s.append("\n"); // blank lines are skipped
            }
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    @Test
    void writesOneRowPerInputRowInOrderWithLabelProbabilitiesAndRoutingWeights() throws Exception {
        Path input = csv("in.csv", 300);
        Path output = dir.resolve("out/predictions.csv");
        assertEquals(300, CsvPredictions.write(mixture, input, output, 64));
        List<String> lines = Files.readAllLines(output);
        assertEquals("predicted,probability,p:0,p:1,p:2,weight:expert1,weight:expert2,weight:expert3", lines.get(0));
        assertEquals(301, lines.size());
        int[] rows = new int[300];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        MixtureModel.Prediction expected = mixture.model().predict(data.features().selectRows(rows));
        for (int r = 0; r < 300; r++) {
            String[] cells = lines.get(r + 1).split(",");
            assertEquals(8, cells.length, lines.get(r + 1));
            int best = expected.probabilities().argMaxOfRow(r);
            assertEquals(data.labelNames().get(best), cells[0]);
            // Within 1e-6, not bit for bit: blocks of another row count may round differently under some OpenBLAS
            // kernels (equal bits with Haswell and SKYLAKEX, not with OpenBLAS's fallback for unknown processors).
            assertEquals(expected.probabilities().get(r, best), Float.parseFloat(cells[1]), 1e-6f);
            for (int j = 0; j < 3; j++) {
                assertEquals(expected.probabilities().get(r, j), Float.parseFloat(cells[2 + j]), 1e-6f, "row " + r);
                assertEquals(expected.weights().get(r, j), Float.parseFloat(cells[5 + j]), 1e-6f, "row " + r);
            }
            // top-k with k = 2 of 3: exactly one expert is not chosen on each row
            assertEquals(1, List.of(cells[5], cells[6], cells[7]).stream().filter("0"::equals).count(), lines.get(r + 1));
        }
        assertEquals(List.of("predictions.csv"), List.of(dir.resolve("out").toFile().list()));
    }

    @Test
    void theBlockSizeDoesNotChangeTheOutput() throws Exception {
        Path input = csv("in.csv", 250);
        CsvPredictions.write(mixture, input, dir.resolve("a.csv"), 7);
        CsvPredictions.write(mixture, input, dir.resolve("b.csv"));
        List<String> a = Files.readAllLines(dir.resolve("a.csv"));
        List<String> b = Files.readAllLines(dir.resolve("b.csv"));
        assertEquals(b.size(), a.size());
        assertEquals(b.get(0), a.get(0));
        for (int r = 1; r < a.size(); r++) {
            String[] x = a.get(r).split(",");
            String[] y = b.get(r).split(",");
            assertEquals(y[0], x[0], "line " + r); // the predicted label
            for (int j = 1; j < x.length; j++) {
                // Same numbers to rounding: see writesOneRowPerInputRow... on row counts and OpenBLAS kernels.
                assertEquals(Float.parseFloat(y[j]), Float.parseFloat(x[j]), 1e-6f, "line " + r + ", column " + j);
            }
        }
    }

    @Test
    void aMissingFeatureColumnIsNamedAndNoOutputAppears() throws Exception {
        Path input = Files.writeString(dir.resolve("three.csv"), "feature0,feature1,feature3\n1,2,3\n");
        Path output = dir.resolve("p.csv");
        MoeException e = assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, input, output));
        assertEquals(input + ": no column 'feature2' in the header; the model reads 4 columns (feature0, feature1, feature2, "
                + "feature3), the file has feature0, feature1, feature3", e.getMessage());
        assertFalse(Files.exists(output));
    }

    @Test
    void aBadRowAfterSeveralBlocksLeavesNoOutputAndTheOldOneUntouched() throws Exception {
        Path input = csv("in.csv", 100);
        Files.writeString(input, "row100,1,0,2,3\n", java.nio.file.StandardOpenOption.APPEND);
        Path output = Files.writeString(dir.resolve("p.csv"), "yesterday's predictions");
        MoeException e = assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, input, output, 16));
        assertEquals(input + ": line 103: 5 fields, the header has 6", e.getMessage());
        assertEquals("yesterday's predictions", Files.readString(output));
        assertEquals(List.of("in.csv", "p.csv", "seed.moe"), sortedFiles());
    }

    @Test
    void nonNumericAndNonFiniteFeaturesAreRejectedWithLineAndColumn() throws Exception {
        Path output = dir.resolve("p.csv");
        Path text = Files.writeString(dir.resolve("text.csv"), "feature0,feature1,feature2,feature3\n1,2,3,4\n1,2,three,4\n");
        assertEquals(text + ": line 3, column 'feature2': not a number: 'three'",
                assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, text, output)).getMessage());
        Path inf = Files.writeString(dir.resolve("inf.csv"), "feature0,feature1,feature2,feature3\n1,Infinity,3,4\n");
        assertEquals(inf + ": line 2, column 'feature1': Infinity is not a finite number",
                assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, inf, output)).getMessage());
        Path header = Files.writeString(dir.resolve("header.csv"), "feature0,feature1,feature2,feature3\n");
        assertEquals(header + ": no data rows after the header",
                assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, header, output)).getMessage());
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        assertEquals(empty + ": the file is empty (expected a header row)",
                assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, empty, output)).getMessage());
        assertEquals("data file not found: " + dir.resolve("none.csv"),
                assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, dir.resolve("none.csv"), output)).getMessage());
        assertEquals(text + ": the output would overwrite the input; choose another --output",
                assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, text, text)).getMessage());
        assertFalse(Files.exists(output));
    }

    @Test
    void labelsAndIdsThatNeedQuotingAreQuoted() {
        assertEquals("\"build wind, float\"", PredictionFormat.cell("build wind, float"));
        assertEquals("\"say \"\"hi\"\"\"", PredictionFormat.cell("say \"hi\""));
        assertEquals("build wind float", PredictionFormat.cell("build wind float"));
        assertEquals("0.1", PredictionFormat.number(0.1f));
        assertEquals("1.0e-5", PredictionFormat.number(1e-5f));
        assertEquals(0.33333334f, Float.parseFloat(PredictionFormat.number(1f / 3)));
        assertTrue(PredictionFormat.number(1f / 3).toLowerCase(Locale.ROOT).startsWith("0.3333333"));
    }

    /** A label that starts or ends with a separator, a quote or a space is quoted: unquoted, it would shift the columns. */
    @Test
    void aCellIsQuotedWhateverWhereTheSeparatorIs() {
        for (String s : List.of(",a", "a,", "\"a", "a\"", "\na", "a\n", "\ra", "a\r", " a", "a ")) {
            assertEquals('"' + s.replace("\"", "\"\"") + '"', PredictionFormat.cell(s), s);
        }
        assertEquals("", PredictionFormat.cell(""));
        assertEquals("a b", PredictionFormat.cell("a b"));
        assertEquals("0", PredictionFormat.number(0f));
        assertEquals("1", PredictionFormat.number(1f));
        assertEquals("-1.0", PredictionFormat.number(-1f));
    }

    /** The typed cells (Spark's rows) hold what the CSV line holds. */
    @Test
    void typedCellsHoldTheSameAsTheCsvLine() {
        FloatMatrix p = new FloatMatrix(2, 3, new float[] {0.2f, 0.5f, 0.3f, 0.6f, 0.1f, 0.3f});
        FloatMatrix w = new FloatMatrix(2, 2, new float[] {0.25f, 0.75f, 1f, 0f});
        MixtureModel.Prediction prediction = new MixtureModel.Prediction(p, w);
        List<String> labels = List.of("x", "y,z", "w");
        assertEquals(List.of("predicted", "probability", "p:x", "p:y,z", "p:w", "weight:e1", "weight:e2"),
                PredictionFormat.columns(labels, List.of("e1", "e2")));
        assertEquals("predicted,probability,p:x,\"p:y,z\",p:w,weight:e1,weight:e2\n", PredictionFormat.header(labels, List.of("e1", "e2")));
        assertArrayEquals(new Object[] {"y,z", 0.5f, 0.2f, 0.5f, 0.3f, 0.25f, 0.75f}, PredictionFormat.cells(labels, prediction, 0, false));
        assertArrayEquals(new Object[] {"x", "0.6", "0.6", "0.1", "0.3", "1", "0"}, PredictionFormat.cells(labels, prediction, 1, true));
        StringBuilder line = new StringBuilder();
        PredictionFormat.appendCsvRow(line, labels, prediction, 0);
        PredictionFormat.appendCsvRow(line, labels, prediction, 1);
        assertEquals("\"y,z\",0.5,0.2,0.5,0.3,0.25,0.75\nx,0.6,0.6,0.1,0.3,1,0\n", line.toString());
    }

    @Test
    void everyRowIsCountedWhateverTheBlockSize() throws Exception {
        Path input = csv("in.csv", 5);
        assertEquals(5, CsvPredictions.write(mixture, input, dir.resolve("default.csv")));
        assertEquals(5, CsvPredictions.write(mixture, input, dir.resolve("one.csv"), 1));
        assertEquals(Files.readAllLines(dir.resolve("default.csv")), Files.readAllLines(dir.resolve("one.csv")));
        assertThrows(IllegalArgumentException.class, () -> CsvPredictions.write(mixture, input, dir.resolve("none.csv"), 0));
    }

    /** The input is never the output, however the path reaches it: a link, or a folder that is not there and '..'. */
    @Test
    void theOutputIsNeverTheInputWhateverThePath() throws Exception {
        Path input = csv("in.csv", 5);
        String before = Files.readString(input);
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), input);
        for (Path output : List.of(link, dir.resolve("missing/../in.csv"), dir.resolve("./in.csv"))) {
            assertEquals(output + ": the output would overwrite the input; choose another --output",
                    assertThrows(MoeException.class, () -> CsvPredictions.write(mixture, input, output)).getMessage());
        }
        assertEquals(before, Files.readString(input));
    }

    private List<String> sortedFiles() throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
