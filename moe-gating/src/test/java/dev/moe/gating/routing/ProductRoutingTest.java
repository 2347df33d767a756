package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.gating.mixture.MixtureModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductRoutingTest {

    @Test
    void anExpertSureThatALabelIsWrongVetoesItWhereTheSumWouldNot() {
        // A is sure of label 0; B is sure label 0 is wrong and undecided between 1 and 2.
        FloatMatrix a = new FloatMatrix(1, 3, new float[] {0.9f, 0.1f, 0f});
        FloatMatrix b = new FloatMatrix(1, 3, new float[] {0f, 0.5f, 0.5f});
        FloatMatrix equal = new FloatMatrix(1, 2, new float[] {0, 0});
        FloatMatrix halves = new SoftmaxDenseRouting(1.0).route(equal, false).weights();
        // The average names label 0 (0.45 against 0.30 and 0.25) ...
        assertArrayEquals(new float[] {0.45f, 0.30f, 0.25f}, MixtureModel.mix(halves, List.of(a, b), 3).values(), 1e-6f);
        // ... the product names label 1: 0.9 x 1e-7, 0.1 x 0.5, 1e-7 x 0.5 (a 0 counts as 1e-7), normalised.
        float[] product = ProductRouting.pool(equal, List.of(a, b), 3).values();
        double[] expected = {0.9 * 1e-7, 0.1 * 0.5, 1e-7 * 0.5};
        double total = expected[0] + expected[1] + expected[2];
        for (int j = 0; j < 3; j++) {
            assertEquals(expected[j] / total, product[j], 1e-6, "label " + j);
        }
    }

    @Test
    void theExponentsAreTheExponentialsOfTheLogitsAndTheWeightsTheirShares() {
        float l2 = (float) Math.log(2);
        FloatMatrix logits = new FloatMatrix(1, 2, new float[] {l2, 0});
        FloatMatrix a = new FloatMatrix(1, 2, new float[] {0.6f, 0.4f});
        FloatMatrix b = new FloatMatrix(1, 2, new float[] {0.3f, 0.7f});
        // q_a^2 q_b: 0.36 x 0.3 = 0.108 against 0.16 x 0.7 = 0.112.
        float[] p = ProductRouting.pool(logits, List.of(a, b), 2).values();
        assertEquals(0.108 / 0.220, p[0], 1e-6);
        assertEquals(0.112 / 0.220, p[1], 1e-6);
        assertArrayEquals(new float[] {2 / 3f, 1 / 3f}, new ProductRouting().route(logits, false).weights().values(), 1e-6f);
    }

    @Test
    void eachRowIsPooledFromItsOwnProbabilities() {
        // Three rows of three labels, each expert sure of a different label on each row: the pool follows the row.
        FloatMatrix a = new FloatMatrix(3, 3, new float[] {0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f});
        FloatMatrix b = new FloatMatrix(3, 3, new float[] {0.6f, 0.2f, 0.2f, 0.2f, 0.2f, 0.6f, 0.2f, 0.6f, 0.2f});
        float l2 = (float) Math.log(2);
        // Exponents 2 for A and 1 for B on every row.
        FloatMatrix logits = new FloatMatrix(3, 2, new float[] {l2, 0, l2, 0, l2, 0});
        float[] p = ProductRouting.pool(logits, List.of(a, b), 3).values();
        for (int r = 0; r < 3; r++) {
            double[] unnormalised = new double[3];
            double total = 0;
            for (int j = 0; j < 3; j++) {
                unnormalised[j] = Math.pow(a.get(r, j), 2) * b.get(r, j);
                total += unnormalised[j];
            }
            for (int j = 0; j < 3; j++) {
                assertEquals(unnormalised[j] / total, p[r * 3 + j], 1e-6, "row " + r + " label " + j);
            }
        }
    }

    @Test
    void largeExponentsOnExpertsThatVetoEachOthersLabelStillGiveADistribution() {
        // A gives label 0 1e-5, B gives label 1 1e-6, both with exponent e^5 (about 148): the labels' log-scores are
        // about -1700 and -2045, and exp() of them is 0 unless the larger is taken out first. Label 0 is far likelier.
        FloatMatrix a = new FloatMatrix(1, 2, new float[] {1e-5f, 1f});
        FloatMatrix b = new FloatMatrix(1, 2, new float[] {1f, 1e-6f});
        float[] p = ProductRouting.pool(new FloatMatrix(1, 2, new float[] {5, 5}), List.of(a, b), 2).values();
        assertArrayEquals(new float[] {1, 0}, p, 1e-6f);
    }

    @Test
    void onlyAnExponentStoredAsZeroIsNegligible() {
        // A negligible expert is not run at all, so an expert with any real exponent must never count as one.
        assertEquals(true, ProductRouting.negligible(ProductRouting.logitOf(0)));
        assertEquals(false, ProductRouting.negligible(ProductRouting.logitOf(1)));
        assertEquals(false, ProductRouting.negligible(ProductRouting.logitOf(1e-6)));
    }

    @Test
    void providerTakesNoParameters() {
        assertEquals("routing.params: unknown key 'k'; product takes no parameters",
                assertThrows(ParameterException.class, () -> new ProductRoutingProvider()
                        .create(new Parameters("routing.params", Map.of("k", 2)), 3)).getMessage());
    }
}
