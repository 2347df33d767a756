package dev.moe.gating.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingDiagnosticsTest {

    /** One-hot probability rows: expert says {@code labels[r]} on row r. */
    private static FloatMatrix says(int... labels) {
        FloatMatrix p = FloatMatrix.zeros(labels.length, 2);
        for (int r = 0; r < labels.length; r++) {
            p.set(r, labels[r], 1f);
        }
        return p;
    }

    @Test
    void topOneRoutingOfFourRowsOverThreeExperts() {
        // Rows 0-2 go to expert 0, row 3 to expert 1; expert 2 gets nothing.
        FloatMatrix w = new FloatMatrix(4, 3, new float[] {1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0});
        int[] labels = {0, 1, 1, 0};
        List<FloatMatrix> p = List.of(says(0, 1, 0, 1), says(1, 1, 1, 0), says(1, 0, 0, 1));
        RoutingDiagnostics d = RoutingDiagnostics.compute(w, p, labels);
        assertEquals(4, d.rows());
        assertEquals(1.0, d.expertsPerRow());
        assertEquals(1 / 3.0, d.fairShare(), 1e-12);
        RoutingDiagnostics.ExpertRouting first = d.experts().get(0);
        assertEquals(0.75, first.share());
        assertEquals(2.25, first.utilization(), 1e-12);
        assertEquals(0.75, first.topShare());
        assertEquals(0.75, first.meanWeight());
        assertEquals(3, first.routedRows());
        assertEquals(2 / 3.0, first.routedAccuracy(), 1e-12);
        assertFalse(first.dead());
        // Expert 1 is right on row 3, where it was sent.
        assertEquals(1.0, d.experts().get(1).routedAccuracy());
        RoutingDiagnostics.ExpertRouting third = d.experts().get(2);
        assertTrue(third.dead());
        assertNull(third.routedAccuracy());
        assertEquals(1, d.deadExperts());
        assertEquals(0, d.gateEntropy(), 1e-12);
        // Shares (3/4, 1/4, 0): mean 1/3, population std sqrt(((5/12)^2 + (1/12)^2 + (1/3)^2) / 3).
        double std = Math.sqrt((Math.pow(5 / 12.0, 2) + Math.pow(1 / 12.0, 2) + Math.pow(1 / 3.0, 2)) / 3);
        assertEquals(std * 3, d.loadCv(), 1e-12);
        assertEquals(std * 3, d.importanceCv(), 1e-12);
        // Row 0: experts 0 and ... expert 0 says 0 = label. Row 1: expert 0 and 1 right. Row 2: expert 1 right.
        // Row 3: label 0, experts say 1, 0, 1: expert 1 right. Every row has someone right.
        assertEquals(1.0, d.oracleAccuracy());
    }

    @Test
    void perClassTheGatesWeightsAndEachExpertsAccuracyOnThatClassRows() {
        // Same rows as above. Label 0: rows 0 and 3; label 1: rows 1 and 2.
        FloatMatrix w = new FloatMatrix(4, 3, new float[] {1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0});
        int[] labels = {0, 1, 1, 0};
        List<FloatMatrix> p = List.of(says(0, 1, 0, 1), says(1, 1, 1, 0), says(1, 0, 0, 1));
        RoutingDiagnostics d = RoutingDiagnostics.compute(w, p, labels);
        assertEquals(2, d.classes().size());
        RoutingDiagnostics.ClassRouting zero = d.classes().get(0);
        assertEquals(2, zero.rows());
        assertEquals(List.of(0.5, 0.5, 0.0), zero.meanWeight());
        // Row 0: expert 0 says 0 (right), expert 1 says 1, expert 2 says 1. Row 3: experts say 1, 0, 1.
        assertEquals(List.of(0.5, 0.5, 0.0), zero.expertAccuracy());
        RoutingDiagnostics.ClassRouting one = d.classes().get(1);
        assertEquals(List.of(1.0, 0.0, 0.0), one.meanWeight());
        // Row 1: experts say 1, 1, 0. Row 2: experts say 0, 1, 0.
        assertEquals(List.of(0.5, 1.0, 0.0), one.expertAccuracy());
    }

    @Test
    void perClassCountsOfTwoBlocksAddUpToThoseOfAllRows() {
        FloatMatrix w = new FloatMatrix(4, 3, new float[] {1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0});
        int[] labels = {0, 1, 1, 0};
        List<FloatMatrix> p = List.of(says(0, 1, 0, 1), says(1, 1, 1, 0), says(1, 0, 0, 1));
        ClassRoutingCounts first = new ClassRoutingCounts(2, 3);
        first.add(w.selectRows(new int[] {0, 1}), p.stream().map(m -> m.selectRows(new int[] {0, 1})).toList(), new int[] {0, 1});
        ClassRoutingCounts second = new ClassRoutingCounts(2, 3);
        second.add(w.selectRows(new int[] {2, 3}), p.stream().map(m -> m.selectRows(new int[] {2, 3})).toList(), new int[] {1, 0});
        assertEquals(RoutingDiagnostics.compute(w, p, labels).classes(), first.plus(second).classes());
    }

    @Test
    void denseRoutingRoutesEveryRowToEveryExpertWithEntropy() {
        FloatMatrix w = new FloatMatrix(2, 2, new float[] {0.5f, 0.5f, 0.9f, 0.1f});
        RoutingDiagnostics d = RoutingDiagnostics.compute(w, List.of(says(0, 0), says(0, 0)), new int[] {1, 0});
        assertEquals(2.0, d.expertsPerRow());
        assertEquals(1.0, d.fairShare());
        assertEquals(0, d.loadCv(), 1e-12);
        assertEquals(1.0, d.experts().get(0).topShare());
        assertEquals(0.7, d.experts().get(0).meanWeight(), 1e-7);
        double h1 = Math.log(2);
        double h2 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
        assertEquals((h1 + h2) / 2, d.gateEntropy(), 1e-6);
        // Mean weights (0.7, 0.3): CV = 0.2 / 0.5.
        assertEquals(0.4, d.importanceCv(), 1e-6);
        // Nobody says 1 on row 0.
        assertEquals(0.5, d.oracleAccuracy());
    }

    @Test
    void mismatchedShapesAreRefused() {
        FloatMatrix w = FloatMatrix.zeros(2, 2);
        assertEquals("2 weight columns but 1 experts' probabilities",
                assertThrows(IllegalArgumentException.class, () -> RoutingDiagnostics.compute(w, List.of(says(0, 0)), new int[2])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RoutingDiagnostics.compute(w, List.of(says(0, 0), says(0)), new int[2]));
    }
}
