package dev.moe.gating.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import org.junit.jupiter.api.Test;

class FeatureScalerTest {

    /**
     * Columns: a measurement (1, 2, 3, 6), a constant 5, a one-hot level in one row of four (0, 0, 1, 0), and a column of
     * 1s. The measurement is standardised and the constants become 0; the level is centred and divided by 0.5, so its 1
     * is 1.5 (standardised it would be sqrt(3) = 1.73, and in 1 row of 241 about 15.5 where this gives 2).
     */
    @Test
    void standardisesMeasurementsAndScalesColumnsOfZerosAndOnesAsABalancedOne() {
        FloatMatrix rows = new FloatMatrix(4, 4, new float[] {1, 5, 0, 1, 2, 5, 0, 1, 3, 5, 1, 1, 6, 5, 0, 1});
        FeatureScaler scaler = FeatureScaler.fit(rows);
        assertArrayEquals(new float[] {3, 5, 0.25f, 1}, scaler.means());
        assertArrayEquals(new float[] {(float) Math.sqrt(3.5), 1, FeatureScaler.BINARY_SCALE, 1}, scaler.scales(), 1e-6f);
        FloatMatrix scaled = scaler.apply(rows);
        assertEquals((1 - 3) / Math.sqrt(3.5), scaled.values()[0], 1e-6);
        assertEquals(0, scaled.values()[1]);
        assertEquals(1.5, scaled.values()[2 * 4 + 2], 1e-6);
        assertEquals(-0.5, scaled.values()[2], 1e-6);
        assertEquals(0, scaled.values()[3]);

        // A balanced 0/1 column is standardised exactly as before: its deviation is 0.5.
        FeatureScaler balanced = FeatureScaler.fit(new FloatMatrix(4, 1, new float[] {0, 1, 1, 0}));
        assertEquals(0.5f, balanced.means()[0]);
        assertEquals(0.5f, balanced.scales()[0]);
    }
}
