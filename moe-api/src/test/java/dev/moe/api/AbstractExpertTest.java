package dev.moe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbstractExpertTest {

    /** An expert as a plugin writes one on the base class: predict only. */
    private static final class ConstantExpert extends AbstractExpert {
        ConstantExpert(ExpertSignature signature) {
            super(signature);
        }

        @Override
        public FloatMatrix predict(FloatMatrix features) {
            requireColumns(features);
            FloatMatrix out = FloatMatrix.zeros(features.rows(), labelNames().size());
            for (int r = 0; r < features.rows(); r++) {
                out.set(r, 0, 1f);
            }
            return out;
        }
    }

    private static ExpertSignature signature() {
        return new ExpertSignature("e1", List.of("x", "y"), List.of("a", "b"),
                ExpertProvenance.loaded("my-provider", "model.bin", Map.of("depth", "3")));
    }

    @Test
    void theSignatureAnswersEveryQuestionButPredict() {
        Expert expert = new ConstantExpert(signature());
        assertEquals("e1", expert.id());
        assertEquals(List.of("x", "y"), expert.featureNames());
        assertEquals(List.of("a", "b"), expert.labelNames());
        assertEquals(List.of("provider", "model", "depth"), List.copyOf(expert.provenance().keySet()));
        assertEquals("my-provider", expert.provenance().get("provider"));
        assertEquals(new FloatMatrix(1, 2, new float[] {1, 0}), expert.predict(new FloatMatrix(1, 2, new float[] {3, 4})));
        expert.close(); // the default close: nothing to free, and no checked exception to handle
    }

    @Test
    void aBatchWithTheWrongWidthIsRefusedNamingTheExpert() {
        Expert expert = new ConstantExpert(signature());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> expert.predict(new FloatMatrix(1, 3, new float[3])));
        assertEquals("expert 'e1' expects 2 feature columns, got 3", e.getMessage());
    }

    @Test
    void aSignatureRefusesDuplicateNamesAndAnEmptyLabelSpace() {
        ExpertProvenance p = ExpertProvenance.trained("p", Map.of());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ExpertSignature("e", List.of("x", "x"), List.of("a"), p)).getMessage().contains("duplicate feature names"));
        assertThrows(IllegalArgumentException.class, () -> new ExpertSignature("e", List.of("x"), List.of(), p));
        assertThrows(IllegalArgumentException.class, () -> new ExpertSignature("e", List.of("x"), List.of("a", "a"), p));
    }

    @Test
    void provenanceRoundTripsThroughItsFlatMap() {
        ExpertProvenance loaded = ExpertProvenance.loaded("tribuo", "/models/m.tribuo", Map.of("algorithm", "cart"));
        assertEquals(loaded, ExpertProvenance.fromMap(loaded.asMap(), "unused"));
        ExpertProvenance trained = ExpertProvenance.trained("nd4j-mlp", Map.of("epochs", "500")).with("fine-tuned", "true");
        assertEquals(Map.of("provider", "nd4j-mlp", "epochs", "500", "fine-tuned", "true"), trained.asMap());
        assertEquals(trained, ExpertProvenance.fromMap(trained.asMap(), "unused"));
        // An old format's map without a provider key gets the reader's.
        assertEquals("nd4j-mlp", ExpertProvenance.fromMap(Map.of("epochs", "1"), "nd4j-mlp").provider());
        assertThrows(IllegalArgumentException.class, () -> ExpertProvenance.trained("p", Map.of("model", "x")));
    }

    @Test
    void renamingKeepsEverythingElse() {
        ExpertSignature renamed = signature().withId("e2");
        assertEquals("e2", renamed.id());
        assertEquals(signature().featureNames(), renamed.featureNames());
        assertEquals(signature().provenance(), renamed.provenance());
    }
}
