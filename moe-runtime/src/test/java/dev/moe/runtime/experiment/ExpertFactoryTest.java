package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertFactoryTest {

    @TempDir
    Path dir;

    private final ExpertFactory factory = new ExpertFactory(ProviderRegistry.fromClassPath());

    private static Dataset data(String name) throws Exception {
        return CsvSource.read(Path.of(ExpertFactoryTest.class.getResource("/data/" + name).toURI()), "label");
    }

    private static MoeConfig.ExpertConfig tribuo(String id, List<String> labels, List<String> features, Map<String, Object> params) {
        return new MoeConfig.ExpertConfig(id, "tribuo", null, new MoeConfig.SubsetConfig(labels, features, null), params);
    }

    @Test
    void aLabelTheExpertNeverSawGetsProbabilityZero() throws Exception {
        Dataset wine = data("wine.csv");
        MoeConfig.ExpertConfig config = tribuo("two-class", List.of("class_0", "class_1"), null,
                Map.of("algorithm", "logistic-regression", "epochs", 30));
        int[] rows = ExpertSubsets.select(wine, IntStream.range(0, wine.rows()).toArray(), List.of(config), false, 1).get(0);
        Expert expert = factory.create(config, wine, rows, dir, 1);
        assertEquals(List.of("class_0", "class_1"), expert.labelNames());
        FloatMatrix p = AlignedExpert.align(expert, wine.featureNames(), wine.labelNames()).predict(wine.features());
        int class2 = wine.labelNames().indexOf("class_2");
        double knownMass = 0;
        for (int r = 0; r < p.rows(); r++) {
            assertEquals(0f, p.get(r, class2), "row " + r);
            knownMass += p.get(r, 0) + p.get(r, 1);
        }
        assertEquals(p.rows(), knownMass, 1e-3);
    }

    @Test
    void aSavedTribuoModelOnOtherFeaturesFailsNamingTheMissingOnes() throws Exception {
        Dataset wine = data("wine.csv");
        int[] rows = IntStream.range(0, wine.rows()).toArray();
        factory.create(tribuo("colour", null, List.of("color_intensity", "hue"),
                Map.of("algorithm", "cart", "save", "colour.tribuo")), wine, rows, dir, 1);
        Dataset glass = data("glass.csv");
        Expert loaded = factory.create(new MoeConfig.ExpertConfig("colour", "tribuo", null, null, Map.of("model", "colour.tribuo")),
                glass, new int[0], dir, 1);
        ExpertException e = assertThrows(ExpertException.class,
                () -> AlignedExpert.align(loaded, glass.featureNames(), glass.labelNames()));
        assertTrue(e.getMessage().startsWith("expert 'colour' reads features the data set lacks: color_intensity, hue"), e.getMessage());
    }

    @Test
    void anUnknownSubsetFeatureOrAnEmptySubsetIsAUserError() throws Exception {
        Dataset wine = data("wine.csv");
        assertEquals("experts[x].subset.features: no feature 'colour' in the data (features: " + String.join(", ", wine.featureNames()) + ")",
                assertThrows(MoeException.class, () -> factory.create(tribuo("x", null, List.of("colour"), Map.of("algorithm", "cart")),
                        wine, new int[] {0, 1}, dir, 1)).getMessage());
        assertEquals("experts[x]: its subset of the training rows is empty",
                assertThrows(MoeException.class, () -> factory.create(tribuo("x", null, null, Map.of("algorithm", "cart")),
                        wine, new int[0], dir, 1)).getMessage());
    }
}
