package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.training.GateData;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.evaluation.Baselines;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The baselines started beside the combiner's choice give exactly what they would give when run afterwards. */
class SideBaselinesTest {

    @Test
    void startedEarlyTheBaselinesAreThoseOfTheEvaluation() throws Exception {
        Dataset wine = CsvSource.read(Path.of(getClass().getResource("/data/wine.csv").toURI()), "label");
        ExpertFactory factory = new ExpertFactory(ProviderRegistry.fromClassPath());
        int[] train = IntStream.range(0, wine.rows()).filter(r -> r % 3 != 0).toArray();
        int[] test = IntStream.range(0, wine.rows()).filter(r -> r % 3 == 0).toArray();
        Expert lr = factory.create(new MoeConfig.ExpertConfig("lr", "tribuo", null, null,
                Map.of("algorithm", "logistic-regression", "epochs", 20)), wine, train, Path.of("."), 1);
        Expert knn = factory.create(new MoeConfig.ExpertConfig("knn", "tribuo", null, null,
                Map.of("algorithm", "knn", "k", 4, "probabilities", "scores")), wine, train, Path.of("."), 2);
        List<AlignedExpert> experts = List.of(AlignedExpert.align(lr, wine.featureNames(), wine.labelNames()),
                AlignedExpert.align(knn, wine.featureNames(), wine.labelNames()));
        Dataset trainRows = wine.subset(train);
        GateData gateData = GateData.of(trainRows.features(), trainRows.labels(), experts);
        FloatMatrix testFeatures = wine.features().selectRows(test);

        try (SideBaselines side = new SideBaselines()) {
            assertFalse(side.startedFor(experts), "nothing started yet");
            side.start(experts, gateData, testFeatures, wine.featureNames(), wine.labelNames(), 77);
            assertTrue(side.startedFor(experts));
            assertFalse(side.startedFor(List.of(experts.get(1), experts.get(0))), "another order");
            assertFalse(side.startedFor(List.of(experts.get(0))), "other experts");

            List<FloatMatrix> probabilities = experts.stream().map(e -> e.predict(testFeatures)).toList();
            for (int k = 0; k < experts.size(); k++) {
                assertArrayEquals(probabilities.get(k).values(), side.testProbabilities().get(k).values());
            }
            assertArrayEquals(Baselines.stacking(gateData, probabilities, wine.labelNames(), 77).values(), side.stacking().values());
            Map<String, FloatMatrix> provided = Baselines.provided(experts, testFeatures, wine.featureNames(), wine.labelNames());
            assertEquals(provided.keySet(), side.provided().keySet());
            provided.forEach((name, p) -> assertArrayEquals(p.values(), side.provided().get(name).values(), name));
        }
    }
}
