package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.scoring.CsvPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mixture over a categorical column scores on Spark (the engine and the ML stage) as {@code moe predict} does. */
class CategoricalScoringTest {

    static final int ROWS = 300;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path csv;
    static List<String> expected;
    static SavedMixture single;

    @BeforeAll
    static void setUp() throws Exception {
        StringBuilder rows = new StringBuilder("id,colour,x,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int r = 0; r < ROWS; r++) {
            String colour = r % 50 == 7 ? "mauve" : r % 40 == 3 ? "" : colours[(r * 7) % 3];
            float x = ((r * 37) % 100) / 50f - 1;
            String label = colour.equals("red") ? "a" : x > 0.3f ? "b" : "c";
            rows.append(r).append(',').append(colour).append(',').append(x).append(',').append(label).append('\n');
        }
        csv = Files.writeString(dir.resolve("colours.csv"), rows);
        model = dir.resolve("colours.moe");
        single = SparkFixtures.twoExpertBundle(csv, "ignore: [id], categorical: [colour]", model);
        assertEquals(List.of("colour", "x"), single.encoding().inputColumns());
        Path out = dir.resolve("single.csv");
        assertEquals(ROWS, CsvPredictions.write(single, csv, out));
        expected = Files.readAllLines(out);
        spark = SparkFixtures.localSpark("CategoricalScoringTest");
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void theEngineEncodesAsMoePredictAndEvaluateDo() throws Exception {
        SparkFixtures.assertEngineAsMoe(spark, model, csv, single, expected, dir.resolve("spark"), "colour");
    }

    @Test
    void theMlStageEncodesAsMoePredictDoes() {
        MixtureTransformer stage = MixtureTransformer.fromBundle(model);
        assertEquals(List.of("colour", "x"), stage.inputColumns());
        assertEquals(List.of("colour", "x"), SparkMixture.load(spark, model).inputColumns());
        // The raw columns as Spark reads a CSV by itself (every cell text), as a Spark user has them.
        Dataset<Row> raw = spark.read().option("header", "true").csv(csv.toString());
        // One partition, so the blocks are moe predict's and the probabilities must be its own, to the bit.
        assertEquals(1, raw.javaRDD().getNumPartitions());
        SparkFixtures.assertStageAsMoePredict(stage, raw, expected, ROWS);
        MoeException missing = assertThrows(MoeException.class,
                () -> MixtureTransformer.fromBundle(model).transform(SparkMixture.read(spark, csv.toString()).drop("colour")));
        assertTrue(missing.getMessage().contains("no column 'colour'"), missing.getMessage());
    }

    @Test
    void aVectorOfTheRawColumnsIsRefusedBeforeAnyTaskRuns() {
        // x alone assembled (colour is text): 1 value where the mixture reads 5; the stage says so on the driver.
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());
        Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features").transform(raw);
        MixtureTransformer stage = MixtureTransformer.fromBundle(model).setFeaturesCol("features");
        MoeException wrong = assertThrows(MoeException.class, () -> stage.transformSchema(assembled.schema()));
        assertEquals("the features column 'features' holds vectors of size 1; the model reads 5 features (colour=blue, "
                + "colour=green, colour=mauve, colour=red, x); its categorical columns are one-hot with the bundle's levels: leave featuresCol"
                + " unset and the stage reads and encodes the 2 input columns (colour, x) itself", wrong.getMessage());
        // Left unset, the same stage reads the raw columns (colour as text, x as inferred doubles).
        stage.clear(stage.featuresCol());
        assertEquals(ROWS, stage.transform(assembled).count());
    }
}
