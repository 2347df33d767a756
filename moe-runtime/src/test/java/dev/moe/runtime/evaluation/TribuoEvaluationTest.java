package dev.moe.runtime.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class TribuoEvaluationTest {

    @Test
    void figuresMatchAHandComputedExample() {
        // 4 rows, labels a, b, c. Predictions: a (right), b (wrong: true a), b (right), a (wrong: true c).
        FloatMatrix p = new FloatMatrix(4, 3, new float[] {
            0.7f, 0.2f, 0.1f,
            0.4f, 0.5f, 0.1f,
            0.1f, 0.8f, 0.1f,
            0.6f, 0.2f, 0.2f});
        int[] truth = {0, 0, 1, 2};
        ClassificationMetrics m = TribuoEvaluation.evaluate(p, truth, List.of("a", "b", "c"));
        assertEquals(0.5, m.accuracy(), 1e-12);
        // a: tp 1, fp 1, fn 1 -> P 0.5, R 0.5, F1 0.5; b: tp 1, fp 1, fn 0 -> P 0.5, R 1, F1 2/3; c: 0, 0, 0
        assertEquals(0.5, m.perClass().get(0).f1(), 1e-12);
        assertEquals(2.0 / 3, m.perClass().get(1).f1(), 1e-12);
        assertEquals(0.0, m.perClass().get(2).f1(), 1e-12);
        assertEquals(1.0, m.perClass().get(1).recall(), 1e-12);
        assertEquals((0.5 + 2.0 / 3 + 0) / 3, m.macroF1(), 1e-12);
        assertEquals((2 * 0.5 + 1 * 2.0 / 3 + 1 * 0) / 4, m.weightedF1(), 1e-12);
        assertEquals(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.8) + Math.log(0.2)) / 4, m.logLoss(), 1e-6);
        assertArrayEquals(new int[] {1, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new int[] {0, 1, 0}, m.confusion()[1]);
        assertArrayEquals(new int[] {1, 0, 0}, m.confusion()[2]);
        assertEquals(2, m.perClass().get(0).support());
    }
}
