package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.scoring.CsvPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mixture that fills a numeric column's gaps scores on Spark (the engine and the ML stage) as {@code moe predict} does. */
class FilledScoringTest {

    static final int ROWS = 240;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path csv;
    static List<String> expected;
    static SavedMixture single;

    @BeforeAll
    static void setUp() throws Exception {
        StringBuilder rows = new StringBuilder("id,x,g,label\n");
        String[] gaps = {"", "NA", "?"};
        for (int r = 0; r < ROWS; r++) {
            float x = ((r * 37) % 100) / 50f - 1;
            boolean gap = r % 7 == 2;
            String label = gap ? "a" : x > 0.3f ? "b" : "c";
            rows.append(r).append(',').append(x).append(',').append(gap ? gaps[r % 3] : String.valueOf((r * 11) % 13 + 0.5))
                    .append(',').append(label).append('\n');
        }
        csv = Files.writeString(dir.resolve("gaps.csv"), rows);
        model = dir.resolve("gaps.moe");
        single = SparkFixtures.twoExpertBundle(csv, "ignore: [id], fill: [g]", model);
        assertEquals(List.of("x", "g", "g=missing"), single.featureNames());
        Path out = dir.resolve("single.csv");
        assertEquals(ROWS, CsvPredictions.write(single, csv, out));
        expected = Files.readAllLines(out);
        spark = SparkFixtures.localSpark("FilledScoringTest");
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void theEngineFillsAsMoePredictAndEvaluateDo() throws Exception {
        SparkFixtures.assertEngineAsMoe(spark, model, csv, single, expected, dir.resolve("spark"), "g");
    }

    @Test
    void theMlStageFillsTextAndTypedGapsAsMoePredictDoes() {
        MixtureTransformer stage = MixtureTransformer.fromBundle(model);
        assertEquals(List.of("x", "g"), stage.inputColumns());
        Dataset<Row> raw = spark.read().option("header", "true").csv(csv.toString());
        assertEquals(1, raw.javaRDD().getNumPartitions());
        // Every cell as text (a blank is null), and g cast to double (NA and ? become null): both as moe predict, to the bit.
        for (Dataset<Row> input : List.of(raw, raw.withColumn("g", functions.col("g").cast("double")))) {
            SparkFixtures.assertStageAsMoePredict(stage, input, expected, ROWS);
        }
    }
}
