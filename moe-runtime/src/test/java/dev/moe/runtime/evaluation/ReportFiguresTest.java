package dev.moe.runtime.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calibration bins and the per-class routing table, from counts worked out by hand. */
class ReportFiguresTest {

    @Test
    void calibrationBinsAddUpOverRepeatsAndGiveTheExpectedCalibrationError() {
        // Two labels. Rows 0-1: confidence 0.95 (bin 9), right and wrong; row 2: 0.62 (bin 6), right.
        FloatMatrix p = new FloatMatrix(3, 2, new float[] {0.95f, 0.05f, 0.95f, 0.05f, 0.38f, 0.62f});
        Reliability once = Reliability.of(p, new int[] {0, 1, 1});
        Calibration c = Calibration.of(once.plus(once));
        assertEquals(2, c.bins().size());
        Calibration.Bin low = c.bins().get(0);
        assertEquals(0.6, low.low(), 1e-12);
        assertEquals(0.7, low.high(), 1e-12);
        assertEquals(2, low.rows());
        assertEquals(0.62, low.meanConfidence(), 1e-6);
        assertEquals(1.0, low.accuracy());
        Calibration.Bin high = c.bins().get(1);
        assertEquals(4, high.rows());
        assertEquals(0.5, high.accuracy());
        // 2/6 |1 - 0.62| + 4/6 |0.5 - 0.95|
        assertEquals(2 / 6.0 * 0.38 + 4 / 6.0 * 0.45, c.expectedCalibrationError(), 1e-6);
        // Confidence 1 falls in the last bin, not past it.
        Reliability certain = Reliability.of(new FloatMatrix(1, 2, new float[] {1f, 0f}), new int[] {0});
        assertEquals(1, certain.rows()[9]);
    }

    @Test
    void perClassRoutingPoolsTheRepeatsRowsAndNamesWhomTheGateTrusts() {
        // Two experts, two labels. Repeat 1: label a has 2 rows, weights (0.8, 0.2), accuracies (0.5, 1.0); label b 2 rows.
        RoutingDiagnostics.ClassRouting a1 = new RoutingDiagnostics.ClassRouting(2, List.of(0.8, 0.2), List.of(0.5, 1.0));
        RoutingDiagnostics.ClassRouting b1 = new RoutingDiagnostics.ClassRouting(2, List.of(0.3, 0.7), List.of(0.0, 1.0));
        // Repeat 2: label a has 6 rows, weights (0.4, 0.6), accuracies (1.0, 0.5).
        RoutingDiagnostics.ClassRouting a2 = new RoutingDiagnostics.ClassRouting(6, List.of(0.4, 0.6), List.of(1.0, 0.5));
        RoutingDiagnostics.ClassRouting b2 = new RoutingDiagnostics.ClassRouting(0, List.of(0.0, 0.0), List.of(0.0, 0.0));
        List<RoutingDiagnostics> repeats = List.of(diagnostics(a1, b1), diagnostics(a2, b2));
        int[][] confusion = {{6, 2}, {1, 1}};
        List<ClassRouting> rows = ClassRouting.of(repeats, List.of("a", "b"), List.of("x", "y"), confusion);
        ClassRouting a = rows.get(0);
        assertEquals(8, a.rows());
        // Pooled over the 8 rows: weight x (2*0.8 + 6*0.4)/8 = 0.5, y 0.5: the tie goes to the first; accuracy x 7/8.
        assertEquals(0.5, a.meanWeight().get(0), 1e-12);
        assertEquals(0.875, a.expertAccuracy().get(0), 1e-12);
        assertEquals(0.625, a.expertAccuracy().get(1), 1e-12);
        assertEquals("x", a.mostWeighted());
        assertEquals("x", a.mostAccurate());
        assertEquals(0.75, a.moeAccuracy(), 1e-12);
        ClassRouting b = rows.get(1);
        assertEquals("y", b.mostWeighted());
        assertEquals(0.7, b.mostWeightedWeight(), 1e-12);
        assertEquals(1.0, b.mostWeightedAccuracy(), 1e-12);
        assertEquals(0.5, b.moeAccuracy(), 1e-12);
    }

    private static RoutingDiagnostics diagnostics(RoutingDiagnostics.ClassRouting... classes) {
        return new RoutingDiagnostics(0, 2, 1, List.of(), 0, 0, 0, 0, 0, List.of(classes));
    }
}
