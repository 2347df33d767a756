package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** XGBoost's fast path against Tribuo's own batch predict: the same probabilities, bit for bit. */
class XGBoostScorerTest {

    private static final TribuoExpertProvider PROVIDER = new TribuoExpertProvider();

    @TempDir
    Path dir;

    private ExpertSpec spec(Map<String, Object> params) {
        return TribuoExpertProviderTest.spec("xgb", dir, params);
    }

    @ParameterizedTest
    @CsvSource({"satellite-sample.csv, scores", "satellite-sample.csv, one-hot", "glass.csv, scores",
            "wine.csv, auto", "letter-3000.csv, scores"})
    void givesTribuosProbabilities(String file, String probabilities) {
        TrainingSet[] split = CsvData.split(CsvData.read(file), 0.67, 11);
        TribuoExpert expert = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "xgboost", "trees", 20,
                "probabilities", probabilities)), split[0]);
        assertTrue(expert.usesXGBoostScorer());
        FloatMatrix rows = split[1].features();
        assertArrayEquals(expert.predictThroughTribuo(rows).values(), expert.predict(rows).values(), 0f);
    }

    /** Two labels, and a model file loaded back: the same numbers as Tribuo's, whichever path scores them. */
    @Test
    void twoLabelsAndALoadedModel() {
        TrainingSet wine = CsvData.read("wine.csv");
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < wine.rows(); r++) {
            if (wine.labels()[r] != 2) {
                keep.add(r);
            }
        }
        TrainingSet two = CsvData.subset(wine, keep.stream().mapToInt(Integer::intValue).toArray());
        TrainingSet[] split = CsvData.split(two, 0.67, 5);
        Path file = dir.resolve("xgb.tribuo");
        TribuoExpert trained = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "xgboost", "trees", 10,
                "probabilities", "scores", "save", file.toString())), split[0]);
        TribuoExpert loaded = (TribuoExpert) PROVIDER.load(spec(Map.of("model", file.toString(),
                "probabilities", "scores")));
        assertEquals(2, trained.labelNames().size());
        for (TribuoExpert expert : List.of(trained, loaded)) {
            assertArrayEquals(trained.predictThroughTribuo(split[1].features()).values(),
                    expert.predict(split[1].features()).values(), 0f);
        }
    }

    @Test
    void otherModelsHaveNoXGBoostPath() {
        TrainingSet[] split = CsvData.split(CsvData.read("wine.csv"), 0.67, 5);
        TribuoExpert cart = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "cart")), split[0]);
        assertFalse(cart.usesXGBoostScorer());
    }
}
