package dev.moe.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SyntheticSeedSourceTest {

    @Test
    void classesAreEqualAndShiftedAsTheArticleSays() {
        Dataset d = SyntheticSeedSource.generate(30000, 1);
        double[][] sum = new double[3][4];
        int[] count = new int[3];
        for (int r = 0; r < d.rows(); r++) {
            int y = d.labels()[r];
            count[y]++;
            for (int j = 0; j < 4; j++) {
                sum[y][j] += d.features().get(r, j);
            }
        }
        assertArrayEquals(new int[] {10000, 10000, 10000}, count);
        double[][] expected = {{1, 0, 0, 0}, {0, -1, 0, 0}, {-1, 0, 0, 0}};
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 4; j++) {
                // the standard error of a mean of 10000 unit normals is 0.01
                assertEquals(expected[c][j], sum[c][j] / count[c], 0.04, "class " + c + " feature " + j);
            }
        }
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        assertEquals(SyntheticSeedSource.generate(100, 5).features(), SyntheticSeedSource.generate(100, 5).features());
        assertEquals(false, SyntheticSeedSource.generate(100, 5).features().equals(SyntheticSeedSource.generate(100, 6).features()));
    }
}
