package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleFixtures;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.report.ReportWriter;
import dev.moe.api.FloatMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvEvaluationTest {

    @TempDir
    Path dir;

    private SavedMixture saved() {
        Path file = dir.resolve("seed.moe");
        new BundleWriter(BundleFixtures.REGISTRY).write(BundleFixtures.seedMixture().request(), file);
        return new BundleReader(BundleFixtures.REGISTRY).read(file);
    }

    /** The data set's test rows as a labelled CSV. */
    private Path testCsv(Dataset test) throws Exception {
        StringBuilder s = new StringBuilder("feature0,feature1,feature2,feature3,label\n");
        for (int r = 0; r < test.rows(); r++) {
            for (int j = 0; j < 4; j++) {
                s.append(test.features().get(r, j)).append(',');
            }
            s.append(test.labelNames().get(test.labels()[r])).append('\n');
        }
        return Files.writeString(dir.resolve("test.csv"), s.toString());
    }

    @Test
    void accuracyOfEveryExpertAndTheMixtureMatchesTheInMemoryFigures() throws Exception {
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        Dataset test = trained.run().data().subset(trained.run().plan().testRows());
        SavedMixture mixture = saved();
        Path csv = testCsv(test);
        CsvEvaluation.Result result = CsvEvaluation.evaluate(mixture, csv, 50);
        assertEquals(test.rows(), result.rows());
        assertEquals(result.accuracy(), CsvEvaluation.evaluate(mixture, csv).accuracy(), "the default block size counts the same");
        assertEquals(List.of("expert1", "expert2", "expert3", "uniform", "moe"), List.copyOf(result.accuracy().keySet()));
        assertEquals(accuracy(trained.model().predict(test.features()).probabilities(), test.labels()),
                result.accuracy().get("moe"), 1e-12);
        assertEquals(accuracy(trained.model().experts().get(1).predict(test.features()), test.labels()),
                result.accuracy().get("expert2"), 1e-12);
        assertEquals(trained.request().provenance().testAccuracy(), result.accuracy().get("moe"), 1e-12);
        EvaluationReport report = result.report(mixture);
        assertEquals(test.rows(), report.testRows());
        assertEquals(result.accuracy().get("moe"), report.result("moe").accuracy(), 1e-12);
        String table = ReportWriter.table(report);
        assertTrue(table.startsWith("1 repeat, " + test.rows() + " test rows, data test.csv" + System.lineSeparator()
                + "model    accuracy        macro-F1  log-loss  moe - model" + System.lineSeparator() + "expert1  "
                + String.format(java.util.Locale.ROOT, "%-16.3f", result.accuracy().get("expert1"))), table);
        assertTrue(table.contains("strategy softmax-dense (temperature=1.0)"), table);
        assertTrue(!table.contains("note:"), "a saved mixture runs no baselines, so none is noted as left out: " + table);
    }

    private static double accuracy(FloatMatrix p, int[] labels) {
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            correct += p.argMaxOfRow(r) == labels[r] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    @Test
    void aLabelNoExpertKnowsIsRefusedWithItsLine() throws Exception {
        Path csv = Files.writeString(dir.resolve("t.csv"), "label,feature0,feature1,feature2,feature3\n1,0,0,0,0\n7,0,0,0,0\n");
        MoeException e = assertThrows(MoeException.class, () -> CsvEvaluation.evaluate(saved(), csv));
        assertEquals(csv + ": line 3, column 'label': label '7' is known to no expert of the mixture (they know: 0, 1, 2)",
                e.getMessage());
    }

    @Test
    void aFileWithoutTheLabelColumnIsRefused() throws Exception {
        Path csv = Files.writeString(dir.resolve("t.csv"), "feature0,feature1,feature2,feature3\n0,0,0,0\n");
        MoeException e = assertThrows(MoeException.class, () -> CsvEvaluation.evaluate(saved(), csv));
        assertEquals(csv + ": no label column 'label' in the header (feature0, feature1, feature2, feature3); the saved mixture "
                + "was trained with that label column", e.getMessage());
    }
}
