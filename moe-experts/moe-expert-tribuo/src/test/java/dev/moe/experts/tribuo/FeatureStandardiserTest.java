package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.Transformer;

class FeatureStandardiserTest {

    @Test
    void standardisesEachVaryingColumnAndLeavesConstantOnesAlone() {
        // Column a: 1, 2, 3, 6 (mean 3, population deviation sqrt(3.5)); b constant 5; c constant 0.1 (float).
        FloatMatrix m = new FloatMatrix(4, 3, new float[] {1, 5, 0.1f, 2, 5, 0.1f, 3, 5, 0.1f, 6, 5, 0.1f});
        TransformationMap map = FeatureStandardiser.transformations(m, List.of("a", "b", "c"));
        Map<String, List<Transformation>> perFeature = map.getFeatureTransformations();
        assertEquals(List.of("a"), List.copyOf(perFeature.keySet()));
        assertEquals(List.of(), map.getGlobalTransformations());
        double deviation = Math.sqrt(3.5);
        assertEquals((1 - 3) / deviation, apply(perFeature.get("a"), 1), 1e-12);
        assertEquals((6 - 3) / deviation, apply(perFeature.get("a"), 6), 1e-12);
        assertEquals(0.0, apply(perFeature.get("a"), 3), 1e-12);
    }

    private static double apply(List<Transformation> steps, double value) {
        double v = value;
        for (Transformation t : steps) {
            Transformer transformer = t.createStats().generateTransformer();
            v = transformer.transform(v);
        }
        return v;
    }
}
