package dev.moe.gating.training;

/** Dense linear systems of a handful of unknowns, as the combiners' Newton steps need them. */
final class SmallSystems {

    private SmallSystems() {
    }

    /**
     * Solves {@code (a + ridge I) x = b} by Gaussian elimination with partial pivoting. The tiny ridge keeps a
     * near-singular curvature solvable; an entry that still comes out non-finite is 0 (no step along it).
     */
    static double[] solve(double[][] a, double[] b, double ridge) {
        int size = b.length;
        double[][] system = new double[size][size + 1];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                system[i][j] = a[i][j] + (i == j ? ridge : 0);
            }
            system[i][size] = b[i];
        }
        for (int col = 0; col < size; col++) {
            int pivot = col;
            for (int r = col + 1; r < size; r++) {
                if (Math.abs(system[r][col]) > Math.abs(system[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = system[col];
            system[col] = system[pivot];
            system[pivot] = swap;
            for (int r = col + 1; r < size; r++) {
                double factor = system[r][col] / system[col][col];
                for (int c = col; c <= size; c++) {
                    system[r][c] -= factor * system[col][c];
                }
            }
        }
        double[] solution = new double[size];
        for (int r = size - 1; r >= 0; r--) {
            double sum = system[r][size];
            for (int c = r + 1; c < size; c++) {
                sum -= system[r][c] * solution[c];
            }
            solution[r] = sum / system[r][r];
        }
        for (int i = 0; i < size; i++) {
            solution[i] = Double.isFinite(solution[i]) ? solution[i] : 0;
        }
        return solution;
    }
}
