package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.moe.api.FloatMatrix;
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

    @Test
    void singlePrecisionExpIsWithinTwoUlpsOverItsRange() {
        for (float x = -87f; x <= 88f; x += 0.001373f) {
            double exact = Math.exp(x);
            assertEquals(exact, Softmax.exp(x), 2 * Math.ulp((float) exact), "exp(" + x + ")");
        }
        assertEquals(1f, Softmax.exp(0f));
        assertEquals((float) Math.exp(-87), Softmax.exp(-1000f), 1e-44f, "clamped: never NaN or negative");
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
