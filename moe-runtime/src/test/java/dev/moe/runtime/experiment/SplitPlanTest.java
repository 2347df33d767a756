package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.data.SyntheticSeedSource;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitPlanTest {

    @Test
    void theArticlesProtocolGivesHalfForExpertsThen2000GateAnd500TestRows() {
        SplitPlan plan = SplitPlan.plan(5000, new MoeConfig.SplitConfig(0.5, 0.4, 0.1, true), 3);
        assertEquals(2500, plan.expertPool().length);
        assertEquals(2000, plan.gateRows().length);
        assertEquals(500, plan.testRows().length);
        Set<Integer> all = new HashSet<>();
        IntStream.of(plan.expertPool()).forEach(all::add);
        IntStream.of(plan.gateRows()).forEach(all::add);
        IntStream.of(plan.testRows()).forEach(all::add);
        assertEquals(5000, all.size(), "the three parts are disjoint and cover every row");
    }

    @Test
    void expertSubsetsKeepTheirClassPairAndAreCutToEqualSize() {
        Dataset data = SyntheticSeedSource.generate(5000, 1);
        SplitPlan plan = SplitPlan.plan(5000, new MoeConfig.SplitConfig(0.5, 0.4, 0.1, true), 1);
        List<MoeConfig.ExpertConfig> experts = List.of(
                expert("e1", List.of("0", "1")), expert("e2", List.of("1", "2")), expert("e3", List.of("0", "2")));
        List<int[]> subsets = ExpertSubsets.select(data, plan.expertPool(), experts, true, 1);
        int size = subsets.get(0).length;
        assertTrue(size > 1500 && size < 1700, "about two thirds of 2500 rows, got " + size);
        int[][] allowed = {{0, 1}, {1, 2}, {0, 2}};
        for (int e = 0; e < 3; e++) {
            assertEquals(size, subsets.get(e).length);
            for (int row : subsets.get(e)) {
                int label = data.labels()[row];
                assertTrue(label == allowed[e][0] || label == allowed[e][1]);
            }
        }
        List<int[]> unbalanced = ExpertSubsets.select(data, plan.expertPool(), experts, false, 1);
        assertTrue(unbalanced.stream().mapToInt(s -> s.length).distinct().count() > 1);
    }

    @Test
    void fractionSamplesReproducibly() {
        Dataset data = SyntheticSeedSource.generate(1000, 1);
        int[] pool = IntStream.range(0, 1000).toArray();
        MoeConfig.ExpertConfig half = new MoeConfig.ExpertConfig("h", "nd4j-mlp", null,
                new MoeConfig.SubsetConfig(null, null, 0.25), Map.of());
        int[] a = ExpertSubsets.select(data, pool, List.of(half), false, 9).get(0);
        int[] b = ExpertSubsets.select(data, pool, List.of(half), false, 9).get(0);
        assertEquals(250, a.length);
        assertTrue(Arrays.equals(a, b));
    }

    private static MoeConfig.ExpertConfig expert(String id, List<String> labels) {
        return new MoeConfig.ExpertConfig(id, "nd4j-mlp", null, new MoeConfig.SubsetConfig(labels, null, null), Map.of());
    }

    @Test
    void crossFittingHoldsOutTheTestRowsAndTrainsOnAllOthers() {
        MoeConfig.SplitConfig split = new MoeConfig.SplitConfig(null, null, null, null, null);
        assertTrue(split.crossFits());
        assertEquals(0.3, split.testOrDefault());
        SplitPlan plan = SplitPlan.plan(1000, split, 3);
        assertEquals(700, plan.gateRows().length);
        assertTrue(Arrays.equals(plan.expertPool(), plan.gateRows()), "experts and gate share every training row");
        Set<Integer> test = new HashSet<>();
        Arrays.stream(plan.testRows()).forEach(test::add);
        assertEquals(300, test.size());
        assertTrue(Arrays.stream(plan.gateRows()).noneMatch(test::contains));
        // 10 folds on small data, 5 from 1000 training rows, or as configured; a three-way split has none.
        assertEquals(10, split.crossFitFolds(999));
        assertEquals(5, split.crossFitFolds(1000));
        assertEquals(3, new MoeConfig.SplitConfig(null, null, 0.2, null, 3).crossFitFolds(999));
        assertEquals(0, new MoeConfig.SplitConfig(null, null, 0.2, null, 0).crossFitFolds(999));
        assertEquals(0, new MoeConfig.SplitConfig(0.5, 0.4, 0.1, null).crossFitFolds(999));
    }
}
