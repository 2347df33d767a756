package dev.moe.gating.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.TopKRouting;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class MixtureModelTest {

    private static final List<String> FEATURES = List.of("x");
    private static final List<String> LABELS = List.of("0", "1", "2", "3");

    /** A linear gate whose logits are x * (1, 2, 3, 4) + (4, 3, 2, 1): row x = 0 prefers expert 0, x = 3 expert 3. */
    private static GateNetwork gate() {
        float[] params = {1, 2, 3, 4, 4, 3, 2, 1};
        return new GateNetwork(FeatureScaler.identity(1), Mlp.fromParameters(new int[] {1, 4}, List.of(), 0, params, DataType.FLOAT));
    }

    private static List<FakeExperts.RuleExpert> experts() {
        return List.of(FakeExperts.constant("e0", FEATURES, LABELS, 0), FakeExperts.constant("e1", FEATURES, LABELS, 1),
                FakeExperts.constant("e2", FEATURES, LABELS, 2), FakeExperts.constant("e3", FEATURES, LABELS, 3));
    }

    private static List<AlignedExpert> aligned(List<FakeExperts.RuleExpert> experts) {
        return experts.stream().map(e -> AlignedExpert.align(e, FEATURES, LABELS)).toList();
    }

    @Test
    void denseMixtureIsTheWeightedSumOfExpertProbabilities() {
        List<FakeExperts.RuleExpert> experts = experts();
        MixtureModel model = new MixtureModel(gate(), new SoftmaxDenseRouting(1), aligned(experts), LABELS);
        FloatMatrix rows = new FloatMatrix(3, 1, new float[] {0, 1.5f, 3});
        MixtureModel.Prediction prediction = model.predict(rows);
        FloatMatrix w = prediction.weights();
        for (int r = 0; r < 3; r++) {
            for (int label = 0; label < 4; label++) {
                double expected = 0;
                for (int k = 0; k < 4; k++) {
                    expected += w.get(r, k) * (k == label ? 0.9 : 0.1 / 3);
                }
                assertEquals(expected, prediction.probabilities().get(r, label), 1e-6);
            }
        }
        experts.forEach(e -> assertEquals(3, e.rowsSeen.get()));
    }

    @Test
    void topKRunsEachExpertOnlyOnTheRowsRoutedToIt() {
        List<FakeExperts.RuleExpert> experts = experts();
        MixtureModel model = new MixtureModel(gate(), new TopKRouting(1, 1), aligned(experts), LABELS);
        // x = 0: logits (4,3,2,1) -> e0; x = 3: logits (7,9,11,13) -> e3; x = 0.5: (4.5,4,3.5,3) -> e0
        FloatMatrix rows = new FloatMatrix(3, 1, new float[] {0, 3, 0.5f});
        FloatMatrix p = model.predict(rows).probabilities();
        assertEquals(2, experts.get(0).rowsSeen.get());
        assertEquals(0, experts.get(1).rowsSeen.get());
        assertEquals(0, experts.get(2).rowsSeen.get());
        assertEquals(1, experts.get(3).rowsSeen.get());
        float o = 0.1f / 3;
        assertArrayEquals(new float[] {0.9f, o, o, o, o, o, o, 0.9f, 0.9f, o, o, o}, p.values(), 1e-6f);
    }
}
