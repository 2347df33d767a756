package dev.moe.examples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertSignature;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.classification.Label;

class WineCartExpertProviderTest {

    private static Expert load(Map<String, Object> params) {
        ExpertProvider provider = ServiceLoader.load(ExpertProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("wine-cart-example"))
                .findFirst().orElseThrow(() -> new AssertionError("wine-cart-example not found by ServiceLoader"));
        return provider.load(new ExpertSpec("wine", provider.name(), new Parameters("experts[wine].params", params),
                Path.of("."), 1L));
    }

    private static double accuracy(Expert expert, WineData data) {
        FloatMatrix out = expert.predict(data.features());
        int correct = 0;
        for (int r = 0; r < out.rows(); r++) {
            if (expert.labelNames().get(out.argMaxOfRow(r)).equals(data.labels().get(r))) {
                correct++;
            }
        }
        return (double) correct / out.rows();
    }

    @Test
    void readsTheWineColumnsByTheirCsvNamesAndPredictsTheThreeClasses() {
        Expert expert = load(Map.of());
        assertEquals(WineData.read().featureNames(), expert.featureNames());
        assertEquals(List.of("class_0", "class_1", "class_2"), expert.labelNames().stream().sorted().toList());
        assertEquals("wine-cart-example", expert.provenance().get("provider"));
        assertEquals("scores", expert.provenance().get("probabilities"));
    }

    /** The 53 held-out rows of the seed-42 split, which the shipped tree never saw: measured 0.943 (50 of 53). */
    @Test
    void predictsHeldOutWineRowsAboveAnAccuracyFloor() {
        WineData test = WineData.read().split()[1];
        double accuracy = accuracy(load(Map.of()), test);
        assertTrue(accuracy >= 0.88, "held-out accuracy " + accuracy);
        assertEquals(accuracy, accuracy(load(Map.of("probabilities", "one-hot")), test), 1e-12);
    }

    @Test
    void rowsAreProbabilitiesAndOneHotRowsAreOneHot() {
        WineData all = WineData.read();
        FloatMatrix scores = load(Map.of()).predict(all.features());
        FloatMatrix oneHot = load(Map.of("probabilities", "one-hot")).predict(all.features());
        for (int r = 0; r < scores.rows(); r++) {
            double sum = 0;
            double ones = 0;
            for (int c = 0; c < scores.columns(); c++) {
                assertTrue(scores.get(r, c) >= 0);
                sum += scores.get(r, c);
                assertTrue(oneHot.get(r, c) == 0f || oneHot.get(r, c) == 1f);
                ones += oneHot.get(r, c);
            }
            assertEquals(1.0, sum, 1e-6);
            assertEquals(1.0, ones);
            assertEquals(scores.argMaxOfRow(r), oneHot.argMaxOfRow(r));
        }
    }

    /** The shipped file is what the generator makes: a tree trained afresh predicts identically on every row. */
    @Test
    void theShippedModelIsReproducibleFromItsGenerator() {
        Model<Label> shipped = WineCartExpertProvider.loadModel();
        Model<Label> fresh = WineCartModelGenerator.train();
        Expert shippedExpert = new WineCartExpert(new ExpertSignature("a", WineCartExpertProvider.FEATURES, WineCartExpert.labelsOf(shipped),
                ExpertProvenance.trained("test", Map.of())), shipped, true);
        Expert freshExpert = new WineCartExpert(new ExpertSignature("b", WineCartExpertProvider.FEATURES, WineCartExpert.labelsOf(fresh),
                ExpertProvenance.trained("test", Map.of())), fresh, true);
        assertEquals(shippedExpert.labelNames(), freshExpert.labelNames());
        FloatMatrix rows = WineData.read().features();
        assertEquals(freshExpert.predict(rows), shippedExpert.predict(rows));
    }

    @Test
    void refusesParametersItDoesNotKnow() {
        assertEquals("experts[wine].params.model: unknown key; known keys: probabilities",
                assertThrows(ParameterException.class, () -> load(Map.of("model", "x.tribuo"))).getMessage());
        assertEquals("experts[wine].params.probabilities: unknown value 'auto'; one of: scores, one-hot",
                assertThrows(ParameterException.class, () -> load(Map.of("probabilities", "auto"))).getMessage());
    }
}
