package dev.moe.gating.diagnostics;

import dev.moe.api.FloatMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The sums behind {@link RoutingDiagnostics.ClassRouting}: per true label, its rows, each expert's summed gate weight
 * there and how often each expert was right there. Blocks of rows are counted apart and added with {@link #plus}.
 */
public final class ClassRoutingCounts implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] rows;
    private final double[][] weightSum;
    private final long[][] right;

    public ClassRoutingCounts(int labels, int experts) {
        rows = new long[labels];
        weightSum = new double[labels][experts];
        right = new long[labels][experts];
    }

    /**
     * @param weights             rows x experts, the routing weights
     * @param expertProbabilities per expert, rows x labels
     * @param labels              each row's true label index
     */
    public void add(FloatMatrix weights, List<FloatMatrix> expertProbabilities, int[] labels) {
        boolean[][] expertRight = new boolean[weights.columns()][labels.length];
        for (int k = 0; k < expertRight.length; k++) {
            for (int r = 0; r < labels.length; r++) {
                expertRight[k][r] = expertProbabilities.get(k).argMaxOfRow(r) == labels[r];
            }
        }
        add(weights, expertRight, labels);
    }

    /**
     * The same, with each expert's right/wrong per row already known (the routing counts work it out once for both).
     *
     * @param expertRight per expert, per row: whether its arg max is the row's label
     */
    void add(FloatMatrix weights, boolean[][] expertRight, int[] labels) {
        int e = weights.columns();
        float[] w = weights.values();
        for (int r = 0; r < labels.length; r++) {
            int c = labels[r];
            rows[c]++;
            for (int k = 0; k < e; k++) {
                weightSum[c][k] += w[r * e + k];
                right[c][k] += expertRight[k][r] ? 1 : 0;
            }
        }
    }

    /** Both together. */
    public ClassRoutingCounts plus(ClassRoutingCounts other) {
        ClassRoutingCounts sum = new ClassRoutingCounts(rows.length, rows.length == 0 ? 0 : weightSum[0].length);
        for (int c = 0; c < rows.length; c++) {
            sum.rows[c] = rows[c] + other.rows[c];
            for (int k = 0; k < weightSum[c].length; k++) {
                sum.weightSum[c][k] = weightSum[c][k] + other.weightSum[c][k];
                sum.right[c][k] = right[c][k] + other.right[c][k];
            }
        }
        return sum;
    }

    /** Per label, the mean weights and accuracies (0 for a label without rows). */
    public List<RoutingDiagnostics.ClassRouting> classes() {
        List<RoutingDiagnostics.ClassRouting> out = new ArrayList<>(rows.length);
        for (int c = 0; c < rows.length; c++) {
            List<Double> weight = new ArrayList<>();
            List<Double> accuracy = new ArrayList<>();
            for (int k = 0; k < weightSum[c].length; k++) {
                weight.add(rows[c] == 0 ? 0 : weightSum[c][k] / rows[c]);
                accuracy.add(rows[c] == 0 ? 0 : (double) right[c][k] / rows[c]);
            }
            out.add(new RoutingDiagnostics.ClassRouting((int) rows[c], weight, accuracy));
        }
        return out;
    }
}
