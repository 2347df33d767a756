package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermutationsTest {

    @Test
    void stratifiedFoldsShareEveryLabelAndDifferInSizeByAtMostOne() {
        int[] labels = new int[103];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 7 ? 2 : (i % 2); // a rare label 2 with 7 rows
        }
        int k = 5;
        int[] fold = Permutations.stratifiedFolds(labels, k, new SplittableRandom(4));
        int[][] counts = new int[k][3];
        int[] sizes = new int[k];
        for (int r = 0; r < labels.length; r++) {
            counts[fold[r]][labels[r]]++;
            sizes[fold[r]]++;
        }
        for (int f = 0; f < k; f++) {
            assertTrue(Math.abs(sizes[f] - labels.length / (double) k) < 1, "fold sizes " + java.util.Arrays.toString(sizes));
            assertTrue(counts[f][2] >= 1 && counts[f][2] <= 2, "the rare label in fold " + f + ": " + counts[f][2]);
        }
        assertArrayEquals(fold, Permutations.stratifiedFolds(labels, k, new SplittableRandom(4)));
        int[] in = Permutations.foldRows(fold, 3, true);
        int[] out = Permutations.foldRows(fold, 3, false);
        assertEquals(labels.length, in.length + out.length);
        for (int r : in) {
            assertEquals(3, fold[r]);
        }
        for (int r : out) {
            assertTrue(fold[r] != 3);
        }
    }

    @Test
    void tooFewRowsOrFoldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Permutations.stratifiedFolds(new int[3], 5, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> Permutations.stratifiedFolds(new int[30], 1, new SplittableRandom(1)));
    }
}
