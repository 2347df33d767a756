package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformerMap;
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
        assertEquals(List.of(Pattern.quote("a")), List.copyOf(perFeature.keySet()));
        assertEquals(List.of(), map.getGlobalTransformations());
        double deviation = Math.sqrt(3.5);
        assertEquals((1 - 3) / deviation, apply(perFeature.get(Pattern.quote("a")), 1), 1e-12);
        assertEquals((6 - 3) / deviation, apply(perFeature.get(Pattern.quote("a")), 6), 1e-12);
        assertEquals(0.0, apply(perFeature.get(Pattern.quote("a")), 3), 1e-12);
    }

    /**
     * A one-hot level in 1 row of 4 and a fill's indicator in 2 are 0s and 1s: centred and divided by 0.5, so that the
     * rare level's 1 is 1.5, not sqrt(3) = 1.73 (in 1 row of 241, 2.0 against 15.5); a column of 1s is constant.
     */
    @Test
    void columnsOfZerosAndOnesAreDividedByTheDeviationOfABalancedOne() {
        FloatMatrix m = new FloatMatrix(4, 4, new float[] {1, 0, 1, 1, 2, 0, 0, 1, 3, 1, 0, 1, 6, 0, 1, 1});
        Map<String, List<Transformation>> perFeature = FeatureStandardiser.transformations(m,
                List.of("a", "colour=mauve", "age=missing", "ones")).getFeatureTransformations();
        assertEquals(java.util.Set.of(Pattern.quote("a"), Pattern.quote("colour=mauve"), Pattern.quote("age=missing")),
                perFeature.keySet());
        assertEquals(1.5, apply(perFeature.get(Pattern.quote("colour=mauve")), 1), 1e-12);
        assertEquals(-0.5, apply(perFeature.get(Pattern.quote("colour=mauve")), 0), 1e-12);
        assertEquals(1.0, apply(perFeature.get(Pattern.quote("age=missing")), 1), 1e-12);
    }

    /** Letter's feature names: "x.bar" read as a regular expression would match "xybar" too, and Tribuo refuses that. */
    @Test
    void namesAreNotReadAsRegularExpressions() {
        List<String> names = List.of("x.bar", "xybar");
        FloatMatrix m = new FloatMatrix(2, 2, new float[] {0, 10, 2, 30});
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("t", new LabelFactory()),
                new LabelFactory());
        for (int r = 0; r < 2; r++) {
            data.add(new ArrayExample<>(new Label("y"), names.toArray(new String[0]),
                    new double[] {m.values()[2 * r], m.values()[2 * r + 1]}));
        }
        TransformerMap fitted = data.createTransformers(FeatureStandardiser.transformations(m, names));
        // Each column with its own mean and deviation: x.bar (0, 2) -> -1, 1; xybar (10, 30) -> -1, 1.
        MutableDataset<Label> transformed = fitted.transformDataset(data);
        double[] first = new double[2];
        transformed.getExample(0).forEach(f -> first[names.indexOf(f.getName())] = f.getValue());
        assertEquals(-1.0, first[0], 1e-12);
        assertEquals(-1.0, first[1], 1e-12);
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
