package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.scoring.CsvEvaluation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code moe evaluate -m} and {@code moe predict} say about their input, said on Spark too: rows left out for having
 * no label ({@code data.unlabelled}), and cells filled with a median, summed over the partitions.
 */
class SparkNoticesTest {

    @TempDir
    Path dir;

    @Test
    void rowsWithoutALabelAreLeftOutCountedAndTheRestScoredAsMoeEvaluateDoes() throws Exception {
        StringBuilder rows = new StringBuilder("x,g,label\n");
        for (int r = 0; r < 200; r++) {
            float x = ((r * 37) % 100) / 50f - 1;
            // Every 8th row has no label: NA (once with text in x, which no reader may refuse on such a row), or blank.
            String label = r % 8 != 5 ? (x > 0.1f ? "yes" : "no") : r % 16 == 5 ? " NA" : "";
            // g has a gap on every 10th row: 20 in all, 15 of them on labelled rows (r = 5, 45, 85, 125, 165 have no label).
            rows.append(r == 5 ? "unknown" : String.valueOf(x)).append(',').append(r % 10 == 5 ? "NA" : String.valueOf(r % 7))
                    .append(',').append(label).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("gaps.csv"), rows);
        // The same rows without their labels, for moe predict (an unlabelled row's text in x would be refused there).
        Files.writeString(dir.resolve("features.csv"), rows.toString().replace("unknown", "0.5").replaceAll(",[^,\n]*\n", "\n"));
        Path model = dir.resolve("gaps.moe");
        SavedMixture single = SparkFixtures.twoExpertBundle(csv, "unlabelled: [\"\", NA], fill: [g]", model);
        assertEquals(List.of("", "NA"), single.unlabelled());
        CsvEvaluation.Result local = CsvEvaluation.evaluate(single, csv);
        assertEquals(25, local.unlabelled().rows());

        SparkSession spark = SparkFixtures.localSpark("UnlabelledScoringTest");
        try {
            SparkMixture mixture = SparkMixture.load(spark, model);
            // Three partitions: the rows left out are summed over them, exactly.
            SparkEvaluation evaluated = mixture.evaluate(SparkMixture.read(spark, csv.toString()).repartition(3));
            assertEquals(175, evaluated.rows());
            assertEquals(25, evaluated.unlabelledRows());
            assertEquals(local.counts().accuracies(), evaluated.accuracy());
            assertEquals(25L, mixture.report(evaluated, "gaps.csv").unlabelledRows());

            // Only rows without a label are left out: a label no expert knows is still refused, naming it.
            Path other = Files.writeString(dir.resolve("other.csv"), "x,g,label\n0.5,1,maybe\n");
            Exception unknown = assertThrows(Exception.class, () -> mixture.evaluate(SparkMixture.read(spark, other.toString())));
            assertEquals("column 'label': label 'maybe' is known to no expert of the mixture (they know: no, yes)",
                    SparkScoring.message(unknown).replaceFirst("^input partition \\d+: ", ""));
        } finally {
            spark.stop();
        }

        // The engine's commands say on stderr what moe evaluate -m and moe predict say (moe's own log lines are silent
        // there), and the JSON report records the rows left out.
        Path json = dir.resolve("report.json");
        String evaluated = stderrOf("evaluate", "-m", model.toString(), "--input", csv.toString(), "--json", json.toString());
        assertTrue(evaluated.contains(csv + ": 25 rows without a label ('', 'NA') left out (data.unlabelled)"), evaluated);
        assertTrue(evaluated.contains("WARN EncodedInput - " + csv + ": missing numeric cells filled with the training rows' median"
                + " (column=missing set to 1): 'g' 15" + System.lineSeparator()), evaluated);
        assertEquals(25, new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("unlabelledRows").asInt());
        // moe predict reads no label: every row is scored, and all 20 gaps filled.
        String predicted = stderrOf("predict", "-m", model.toString(), "--input", csv.toString().replace("gaps.csv", "features.csv"),
                "--output", dir.resolve("out").toString());
        assertTrue(predicted.contains("'g' 20" + System.lineSeparator()), predicted);
    }

    /** Runs the engine's command on one local core, and returns what it said on stderr; fails unless it succeeded. */
    private static String stderrOf(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--master", "local[1]"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkScoring.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }
}
