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

/** A mixture trained with {@code data.unlabelled} evaluated on Spark leaves the same rows out as {@code moe evaluate -m}. */
class UnlabelledScoringTest {

    @TempDir
    Path dir;

    @Test
    void rowsWithoutALabelAreLeftOutCountedAndTheRestScoredAsMoeEvaluateDoes() throws Exception {
        StringBuilder rows = new StringBuilder("x,label\n");
        for (int r = 0; r < 200; r++) {
            float x = ((r * 37) % 100) / 50f - 1;
            // Every 8th row has no label: NA (once with text in x, which no reader may refuse on such a row), or blank.
            String label = r % 8 != 5 ? (x > 0.1f ? "yes" : "no") : r % 16 == 5 ? " NA" : "";
            rows.append(r == 5 ? "unknown" : String.valueOf(x)).append(',').append(label).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("gaps.csv"), rows);
        Path model = dir.resolve("gaps.moe");
        SavedMixture single = SparkFixtures.twoExpertBundle(csv, "unlabelled: [\"\", NA]", model);
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
            Path other = Files.writeString(dir.resolve("other.csv"), "x,label\n0.5,maybe\n");
            Exception unknown = assertThrows(Exception.class, () -> mixture.evaluate(SparkMixture.read(spark, other.toString())));
            assertEquals("column 'label': label 'maybe' is known to no expert of the mixture (they know: no, yes)",
                    SparkScoring.message(unknown).replaceFirst("^input partition \\d+: ", ""));
        } finally {
            spark.stop();
        }

        // The engine's command says the count on stderr, as moe evaluate -m says it, and records it in the JSON report.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path json = dir.resolve("report.json");
        int status = SparkScoring.run(new String[] {"evaluate", "-m", model.toString(), "--input", csv.toString(), "--json",
                json.toString(), "--master", "local[1]"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(csv + ": 25 rows without a label ('', 'NA') left out (data.unlabelled)"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(25, new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("unlabelledRows").asInt());
    }
}
