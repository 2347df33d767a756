package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void rowsSumToOneAndSurviveLargeLogits() {
        FloatMatrix p = Softmax.rows(new FloatMatrix(2, 3, new float[] {0, 0, 0, 1000, 0, -1000}));
        assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f, 1, 0, 0}, p.values(), 1e-6f);
    }

    @Test
    void inPlaceGivesTheSameValuesInTheGivenArray() {
        float[] logits = {0.5f, -2f, 3f, 1000f, 0f, -1000f, -7f, -7.5f, 0.25f};
        FloatMatrix copy = new FloatMatrix(3, 3, logits.clone());
        FloatMatrix p = Softmax.rowsInPlace(copy);
        assertSame(copy, p);
        assertArrayEquals(Softmax.rows(new FloatMatrix(3, 3, logits)).values(), p.values());
    }

    /** A dense sweep of exp's range, its ends, and values beyond them (clamped), zeros, infinities and NaN. */
    private static float[] expArguments() {
        int dense = (int) ((88f - -87f) / 0.000731f) + 1;
        float[] extremes = {-87f, 88f, Math.nextUp(-87f), Math.nextDown(88f), -1000f, 1000f, -0f, 0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.NaN, 0.5f * 0.6931472f, -0.5f * 0.6931472f};
        float[] x = new float[dense + extremes.length];
        for (int i = 0; i < dense; i++) {
            x[i] = -87f + i * 0.000731f;
        }
        System.arraycopy(extremes, 0, x, dense, extremes.length);
        return x;
    }

    @Test
    void singlePrecisionExpIsWithinTwoUlpsOverItsRange() {
        for (float x : expArguments()) {
            double exact = Math.exp(Math.min(Math.max(x, -87f), 88f));
            float e = Softmax.exp(x);
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(e), "exp(NaN) is NaN");
            } else {
                assertEquals(exact, e, 2 * Math.ulp((float) exact), "exp(" + x + ")");
            }
        }
        assertEquals(1f, Softmax.exp(0f));
        assertEquals((float) Math.exp(-87), Softmax.exp(-1000f), 1e-44f, "clamped: never NaN or negative");
    }

    @Test
    void expInPlaceGivesExpsVeryBitsOverTheWholeRange() {
        float[] x = expArguments();
        // Offsets that are not a multiple of a vector's length, and more values than one round of the loop holds.
        float[] values = new float[x.length + 5];
        System.arraycopy(x, 0, values, 3, x.length);
        values[0] = 42f;
        values[values.length - 1] = 43f;
        Softmax.expInPlace(values, 3, 3 + x.length);
        for (int i = 0; i < x.length; i++) {
            float expected = Softmax.exp(x[i]);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(values[3 + i]),
                    "exp(" + x[i] + "): " + expected + " one by one, " + values[3 + i] + " in place");
        }
        assertEquals(42f, values[0], "values before the range are left alone");
        assertEquals(43f, values[values.length - 1], "values after the range are left alone");
        Softmax.expInPlace(values, 2, 2);
        assertEquals(42f, values[0]);
    }

    @Test
    void rowsAreExpsOverTheirSumsBitForBit() {
        SplittableRandom random = new SplittableRandom(7);
        for (int c : new int[] {1, 2, 3, 7}) {
            int n = 1500;  // more values than one round of expInPlace
            float[] logits = new float[n * c];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (random.nextGaussian() * 20);
            }
            float[] p = Softmax.rows(new FloatMatrix(n, c, logits)).values();
            for (int r = 0; r < n; r++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    max = Math.max(max, logits[r * c + j]);
                }
                double sum = 0;
                float[] e = new float[c];
                for (int j = 0; j < c; j++) {
                    e[j] = Softmax.exp(logits[r * c + j] - max);
                    sum += e[j];
                }
                for (int j = 0; j < c; j++) {
                    assertEquals(e[j] * (float) (1 / sum), p[r * c + j], 0f, "row " + r + " of " + c + " columns");
                }
            }
        }
    }

    @Test
    void crossEntropyGradientIsProbabilitiesMinusOneHot() {
        FloatMatrix p = new FloatMatrix(2, 2, new float[] {0.25f, 0.75f, 0.5f, 0.5f});
        float[] g = new float[4];
        double loss = Softmax.crossEntropy(p, new int[] {1, 0}, g);
        assertEquals((-Math.log(0.75) - Math.log(0.5)) / 2, loss, 1e-6);
        assertArrayEquals(new float[] {0.125f, -0.125f, -0.25f, 0.25f}, g, 1e-6f);
        float[] alone = new float[4];
        Softmax.crossEntropyGradient(p, new int[] {1, 0}, alone);
        assertArrayEquals(g, alone, "the gradient alone is the same");
    }
}
