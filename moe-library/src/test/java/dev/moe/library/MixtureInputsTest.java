package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.AbstractExpert;
import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertSignature;
import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a Java caller gets for inputs moe cannot use: an exception that says what is wrong, before any expert runs. */
class MixtureInputsTest {

    private static final List<String> FEATURES = List.of("x", "y");
    private static final List<String> LABELS = List.of("low", "high");

    /** Labels by the sign of x, with probabilities from it: passes a NaN feature on, as many models do. */
    private static final class SignOfX extends AbstractExpert {
        SignOfX(String id) {
            super(new ExpertSignature(id, FEATURES, LABELS, ExpertProvenance.trained("sign-of-x", Map.of())));
        }

        @Override
        public FloatMatrix predict(FloatMatrix features) {
            FloatMatrix out = FloatMatrix.zeros(features.rows(), 2);
            for (int r = 0; r < features.rows(); r++) {
                float high = 1 / (1 + (float) Math.exp(-features.get(r, 0)));
                out.set(r, 0, 1 - high);
                out.set(r, 1, high);
            }
            return out;
        }
    }

    private static FloatMatrix rows(int n) {
        FloatMatrix m = FloatMatrix.zeros(n, 2);
        for (int r = 0; r < n; r++) {
            m.set(r, 0, (r % 2 == 0 ? 1 : -1) * (1 + r % 3));
            m.set(r, 1, r);
        }
        return m;
    }

    private static int[] labels(FloatMatrix rows) {
        int[] y = new int[rows.rows()];
        for (int r = 0; r < y.length; r++) {
            y[r] = rows.get(r, 0) > 0 ? 1 : 0;
        }
        return y;
    }

    private static Mixture trained() {
        FloatMatrix x = rows(40);
        return Mixture.builder().expert(new SignOfX("a")).expert(new SignOfX("b")).crossFitFolds(2).candidates("uniform")
                .train(x, FEATURES, labels(x), LABELS);
    }

    @Test
    void aNaNOrInfiniteFeatureIsRefusedNamingItsRowAndFeature() {
        // Was the experts' NaN probabilities reported as "expert 'a' returned an invalid probability row".
        Mixture mixture = trained();
        FloatMatrix bad = rows(3);
        bad.set(2, 1, Float.NaN);
        assertEquals("row 2, feature 'y' is NaN; moe reads finite values only",
                assertThrows(IllegalArgumentException.class, () -> mixture.predict(bad)).getMessage());
        FloatMatrix x = rows(40);
        x.set(7, 0, Float.NEGATIVE_INFINITY);
        assertEquals("row 7, feature 'x' is -Infinity; moe reads finite values only",
                assertThrows(IllegalArgumentException.class, () -> Mixture.builder().expert(new SignOfX("a"))
                        .candidates("uniform").train(x, FEATURES, labels(x), LABELS)).getMessage());
    }

    @Test
    void aRowOutsideThePredictionsIsRefusedNamingTheRowCount() {
        // Was an ArrayIndexOutOfBoundsException for an index into the flat array ("Index 7 out of bounds for length 6"
        // for row 3 of 3 rows), which names neither the row nor the number of rows.
        Predictions p = new Predictions(LABELS, List.of("a"), new FloatMatrix(3, 2, new float[] {.1f, .9f, .8f, .2f, .5f, .5f}),
                new FloatMatrix(3, 1, new float[] {1, 1, 1}));
        assertEquals("high", p.label(0));
        assertEquals(.2f, p.probability(1, "high"));
        for (int row : new int[] {3, -1}) {
            assertEquals("row " + row + " of predictions for 3 rows",
                    assertThrows(IndexOutOfBoundsException.class, () -> p.label(row)).getMessage());
            assertEquals("row " + row + " of predictions for 3 rows",
                    assertThrows(IndexOutOfBoundsException.class, () -> p.probability(row, "low")).getMessage());
        }
    }

    @Test
    void anUnknownCandidateIsRefusedWhenNamedListingTheKnownOnes() {
        // Was refused only once training reached the combiner's choice, listing the gate inputs alone as "known".
        String known = String.join(", ", dev.moe.runtime.config.MoeConfig.GateConfig.KNOWN_CANDIDATES);
        assertEquals("unknown candidate 'prodcut' (did you mean 'product'?); known: " + known,
                assertThrows(IllegalArgumentException.class, () -> Mixture.builder().candidates("uniform", "prodcut")).getMessage());
        assertEquals("candidate 'uniform' is listed twice",
                assertThrows(IllegalArgumentException.class, () -> Mixture.builder().candidates("uniform", "uniform")).getMessage());
        assertEquals("uniform, product-signals, both-raw",
                Mixture.builder().candidates("uniform", "product-signals", "both-raw").describe().get("candidates"));
    }

    @Test
    void aNullArgumentIsNamed() {
        // Were NullPointerExceptions about moe's own variables ("because \"m\" is null", "\"path\" is null").
        Mixture mixture = trained();
        assertEquals("rows", assertThrows(NullPointerException.class, () -> mixture.predict(null)).getMessage());
        assertEquals("file", assertThrows(NullPointerException.class, () -> Mixture.load(null)).getMessage());
        assertEquals("params", assertThrows(NullPointerException.class,
                () -> Mixture.builder().expert("mlp", "nd4j-mlp", null)).getMessage());
        assertEquals("data", assertThrows(NullPointerException.class,
                () -> Mixture.builder().expert(new SignOfX("a")).train((org.tribuo.Dataset<org.tribuo.classification.Label>) null))
                .getMessage());
    }

    @Test
    void aFeatureOrLabelNamedTwiceIsRefused() {
        // Experts find columns by name: the second 'x' was never read (or the expert's own error named another cause).
        FloatMatrix x = rows(40);
        assertEquals("feature 'x' is named twice: at 0 and 1", assertThrows(IllegalArgumentException.class,
                () -> Mixture.builder().expert(new SignOfX("a")).candidates("uniform").train(x, List.of("x", "x"), labels(x), LABELS))
                .getMessage());
        assertEquals("label 'low' is named twice: at 0 and 1", assertThrows(IllegalArgumentException.class,
                () -> Mixture.builder().expert(new SignOfX("a")).candidates("uniform").train(x, FEATURES, labels(x), List.of("low", "low")))
                .getMessage());
    }

    @Test
    void tooFewRowsSayWhatToChange() {
        // The message named the problem only; the default folds (10 below 1000 rows) are not the caller's own choice.
        FloatMatrix x = rows(9);
        assertEquals("9 rows are too few for 10-fold cross-fitting: give at least 20 rows, or fewer folds with crossFitFolds(n),"
                + " n from 2 to 4", assertThrows(IllegalArgumentException.class, () -> Mixture.builder().expert(new SignOfX("a"))
                .train(x, FEATURES, labels(x), LABELS)).getMessage());
    }
}
