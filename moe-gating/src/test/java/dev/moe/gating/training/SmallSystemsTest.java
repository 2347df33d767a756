package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SmallSystemsTest {

    @Test
    void solvesASystemWhoseFirstPivotIsZero() {
        // Without a row swap the first step divides by 0; x = (1, 2, 3).
        double[][] a = {{0, 2, 1}, {1, 1, 1}, {4, 0, 1}};
        double[] x = {1, 2, 3};
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                b[i] += a[i][j] * x[j];
            }
        }
        assertArrayEquals(x, SmallSystems.solve(a, b, 0), 1e-12);
        // The inputs are left as they were.
        assertArrayEquals(new double[] {0, 2, 1}, a[0]);
    }

    @Test
    void theRidgeIsAddedToTheDiagonalOnly() {
        // (a + 0.5 I) x = b with a singular a: [[2.5, 1], [1, 0.5]] x = (4.5, 2), so x = (1, 2).
        double[][] a = {{2, 1}, {1, 0}};
        assertArrayEquals(new double[] {1, 2}, SmallSystems.solve(a, new double[] {4.5, 2}, 0.5), 1e-12);
    }
}
