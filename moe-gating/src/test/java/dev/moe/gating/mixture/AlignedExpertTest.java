package dev.moe.gating.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlignedExpertTest {

    @Test
    void selectsFeaturesByNameAndPlacesLabelsInDatasetOrder() {
        // The expert reads (c, a) and knows labels (z, x); the data set has features (a, b, c) and labels (x, y, z).
        FakeExperts.RuleExpert expert = new FakeExperts.RuleExpert("e", List.of("c", "a"), List.of("z", "x"),
                row -> row[0] > row[1] ? 0 : 1, 1.0f);
        AlignedExpert aligned = AlignedExpert.align(expert, List.of("a", "b", "c"), List.of("x", "y", "z"));
        FloatMatrix rows = new FloatMatrix(2, 3, new float[] {1, 100, 5, 5, 100, 1});
        FloatMatrix p = aligned.predict(rows);
        // row 0: c=5 > a=1 -> the expert's label 0 = z; row 1: c=1 < a=5 -> label 1 = x. y is unknown: 0.
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, p.values());
    }

    @Test
    void anExpertReadingSomeOrAllOfTheFeaturesInAnotherOrderGetsItsOwnColumns() {
        // Each expert answers the index of the largest value in the row it is given.
        java.util.function.ToIntFunction<float[]> largest = row -> {
            int best = 0;
            for (int i = 1; i < row.length; i++) {
                best = row[i] > row[best] ? i : best;
            }
            return best;
        };
        List<String> labels = List.of("x", "y", "z");
        FloatMatrix rows = new FloatMatrix(1, 3, new float[] {1, 2, 9});
        // The first two features in the data set's order: the expert must not see the third.
        FakeExperts.RuleExpert firstTwo = new FakeExperts.RuleExpert("e", List.of("a", "b"), labels, largest, 1.0f);
        assertArrayEquals(new float[] {0, 1, 0}, AlignedExpert.align(firstTwo, List.of("a", "b", "c"), labels).predict(rows).values());
        // Every feature, none in its place: (b, c, a) = (2, 9, 1), the largest second.
        FakeExperts.RuleExpert rotated = new FakeExperts.RuleExpert("e", List.of("b", "c", "a"), labels, largest, 1.0f);
        assertArrayEquals(new float[] {0, 1, 0}, AlignedExpert.align(rotated, List.of("a", "b", "c"), labels).predict(rows).values());
    }

    @Test
    void anExpertWithTheDataSetsLabelsInAnotherOrderIsReordered() {
        // The expert knows (y, x), the data set (x, y): its 0.8 on y is the data set's second column.
        FakeExperts.RuleExpert swapped = new FakeExperts.RuleExpert("e", List.of("a"), List.of("y", "x"), row -> 0, 0.8f);
        AlignedExpert aligned = AlignedExpert.align(swapped, List.of("a"), List.of("x", "y"));
        assertArrayEquals(new float[] {0.2f, 0.8f}, aligned.predict(FloatMatrix.zeros(1, 1)).values(), 1e-6f);
        FloatMatrix own = new FloatMatrix(1, 2, new float[] {0.8f, 0.2f});
        assertArrayEquals(new float[] {0.2f, 0.8f}, aligned.toDatasetLabelsShared(own, 1).values(), 1e-6f);
        // Gradients go back the other way, into the expert's order.
        assertArrayEquals(new float[] {2, 1}, aligned.toExpertLabels(new FloatMatrix(1, 2, new float[] {1, 2})).values());
    }

    @Test
    void gradientsOfLabelsTheExpertLacksAreDroppedOnTheWayBack() {
        // The expert knows (z, x, w); the data set (x, y, z). w is not the data set's: its gradient is 0.
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("a"), List.of("z", "x", "w"), 0);
        AlignedExpert aligned = AlignedExpert.align(expert, List.of("a"), List.of("x", "y", "z"));
        FloatMatrix datasetGradient = new FloatMatrix(2, 3, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new float[] {3, 1, 0, 6, 4, 0}, aligned.toExpertLabels(datasetGradient).values());
    }

    @Test
    void missingFeaturesAreNamed() {
        FakeExperts.RuleExpert expert = FakeExperts.constant("glass-tree", List.of("Na", "Mg", "K"), List.of("1"), 0);
        ExpertException e = assertThrows(ExpertException.class,
                () -> AlignedExpert.align(expert, List.of("Na", "Al"), List.of("1", "2")));
        assertEquals("expert 'glass-tree' reads features the data set lacks: 'Mg', 'K' (data set has: Na, Al)", e.getMessage());
    }

    @Test
    void namesWithStraySpacesMatchTheTrimmedColumns() {
        // Tribuo's CSV loader keeps a header's spaces ("K "); moe trims them ("K").
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("K ", " Na"), List.of("2 ", "1"), 0);
        AlignedExpert aligned = AlignedExpert.align(expert, List.of("Na", "Al", "K"), List.of("1", "2"));
        FloatMatrix rows = new FloatMatrix(1, 3, new float[] {10, 20, 30});
        assertArrayEquals(new float[] {30, 10}, aligned.expertFeatures(rows).values());
        assertArrayEquals(new float[] {7, 5, 9, 8}, aligned.toExpertLabels(new FloatMatrix(2, 2, new float[] {5, 7, 8, 9})).values(),
                "label '2 ' is the data set's second label, '1' its first");
    }

    @Test
    void tribuoColumnarNamesReadMoesColumnsAndOneHotFeatures() {
        // DoubleFieldProcessor's "x@value" is moe's x; IdentityProcessor's "c@y" moe's one-hot "c=y"; "c@" (a blank cell)
        // and "e@NA" are 1 where all of their column's features are 0; "c@z", a level the data set has no feature for, is 0.
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("x@value", "c@y", "c@", "c@z", "e@NA", "c@x"),
                List.of("1"), 0);
        AlignedExpert aligned = AlignedExpert.align(expert, List.of("c=x", "x", "c=y", "e=u"), List.of("1"));
        FloatMatrix rows = new FloatMatrix(3, 4, new float[] {
                1, 2, 0, 1, // c = x, e = u
                0, 3, 0, 0, // c and e missing (or a level moe's rows lack)
                0, 4, 1, 1}); // c = y, e = u
        assertArrayEquals(new float[] {
                2, 0, 0, 0, 0, 1,
                3, 0, 1, 0, 1, 0,
                4, 1, 0, 0, 0, 0}, aligned.expertFeatures(rows).values());
    }

    @Test
    void aOneHotLevelTheDataSetLacksReadsZeroAsTribuosDoes() {
        // An expert trained on a file with purple meets rows without it: "c=purple" reads 0 like "c@purple", "c=NA" (a
        // missing cell's level) 1 where the column's features are all 0, as "c@NA".
        List<String> data = List.of("c=blue", "c=red", "x");
        FloatMatrix rows = new FloatMatrix(2, 3, new float[] {
                0, 1, 7, // red
                0, 0, 8}); // missing
        for (String sep : List.of("=", "@")) {
            FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("c" + sep + "red", "c" + sep + "purple", "c" + sep + "NA", "x"),
                    List.of("1"), 0);
            assertArrayEquals(new float[] {1, 0, 0, 7, 0, 0, 1, 8},
                    AlignedExpert.align(expert, data, List.of("1")).expertFeatures(rows).values(), sep);
        }
    }

    /**
     * One level the data set has, even as its first feature, is enough for the others to read 0; a refusal lists only
     * the column's own levels.
     */
    @Test
    void aKnownLevelAsTheFirstFeatureLetsAnAbsentOneReadZero() {
        List<String> data = List.of("c=blue", "c=red", "x");
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("c=blue", "c=purple", "x"), List.of("1"), 0);
        FloatMatrix rows = new FloatMatrix(2, 3, new float[] {1, 0, 5, 0, 1, 6});
        assertArrayEquals(new float[] {1, 0, 5, 0, 0, 6},
                AlignedExpert.align(expert, data, List.of("1")).expertFeatures(rows).values());
        FakeExperts.RuleExpert respelled = FakeExperts.constant("e", List.of("c=Blue", "x"), List.of("1"), 0);
        assertEquals("expert 'e' reads levels of column 'c' none of which the data set has: 'c=Blue' (data set has: c=blue,"
                + " c=red); a level is matched by its text, case included",
                assertThrows(ExpertException.class, () -> AlignedExpert.align(respelled, data, List.of("1"))).getMessage());
    }

    @Test
    void aRenamedOrRespelledCategoricalColumnIsStillRefused() {
        List<String> data = List.of("color=blue", "color=red");
        for (String sep : List.of("=", "@")) {
            // Another column's name: no level of it at all.
            FakeExperts.RuleExpert renamed = FakeExperts.constant("e", List.of("colour" + sep + "red"), List.of("1"), 0);
            ExpertException e = assertThrows(ExpertException.class, () -> AlignedExpert.align(renamed, data, List.of("1")));
            assertTrue(e.getMessage().startsWith("expert 'e' reads features the data set lacks: 'colour" + sep + "red' (data set has:"
                    + " color=blue, color=red)"), e.getMessage());
            // The column's levels, written otherwise: none of them is the data set's.
            FakeExperts.RuleExpert respelled = FakeExperts.constant("e", List.of("color" + sep + "Red", "color" + sep + "Blue"),
                    List.of("1"), 0);
            e = assertThrows(ExpertException.class, () -> AlignedExpert.align(respelled, data, List.of("1")));
            assertEquals("expert 'e' reads levels of column 'color' none of which the data set has: 'color" + sep + "Red', 'color"
                    + sep + "Blue' (data set has: color=blue, color=red); a level is matched by its text, case included", e.getMessage());
        }
        // A numeric column where the expert reads levels: says where the levels come from.
        ExpertException e = assertThrows(ExpertException.class, () -> AlignedExpert.align(
                FakeExperts.constant("e", List.of("size=3"), List.of("1"), 0), List.of("size"), List.of("1")));
        assertEquals("expert 'e' reads features the data set lacks: 'size=3' (data set has: size); a column=level feature is a"
                + " level of a categorical column: name the column in data.categorical", e.getMessage());
    }

    @Test
    void theDataSetsLabelsAnExpertLacksAreNamed() {
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("a"), List.of("z", "x", "w"), 0);
        assertArrayEquals(new int[] {1, 3}, AlignedExpert.align(expert, List.of("a"), List.of("x", "y", "z", "v")).absentLabels());
        assertArrayEquals(new int[0], AlignedExpert.align(expert, List.of("a"), List.of("x", "z")).absentLabels());
    }

    @Test
    void twoMissingCellLevelsOfOneColumnAreRefused() {
        // Tribuo saw blank and "?" as two levels; moe reads both as one missing cell.
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("c@", "c@y", "c@?"), List.of("1"), 0);
        ExpertException e = assertThrows(ExpertException.class, () -> AlignedExpert.align(expert, List.of("c=y"), List.of("1")));
        assertEquals("expert 'e' reads 'c@' and 'c@?', two spellings of a missing cell that moe reads as one (none of the"
                + " column's levels), so it cannot tell which a row has: write the column's missing cells one way (blank) and"
                + " train the model on that", e.getMessage());
    }

    @Test
    void aTribuoNameOfNoColumnIsRefusedWithWhatToDo() {
        // Soybean read as numbers: IdentityProcessor's "date@3" has no one-hot feature to read.
        FakeExperts.RuleExpert expert = FakeExperts.constant("soy", List.of("date@3", "hail@value"), List.of("1"), 0);
        ExpertException e = assertThrows(ExpertException.class,
                () -> AlignedExpert.align(expert, List.of("date", "hail"), List.of("1")));
        assertEquals("expert 'soy' reads features the data set lacks: 'date@3' (data set has: date, hail); a Tribuo model's"
                + " column@level features are read from moe's column=level ones: name the column in data.categorical (its"
                + " numbers, column@value, are read from a numeric column)", e.getMessage());
    }

    @Test
    void aTribuoNameThatIsAFeatureOfTwoColumnsIsRefused() {
        // Column "a" with level "b@c", and column "a@b" with level "c": "a@b@c" could be either.
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("a@b@c"), List.of("1"), 0);
        ExpertException e = assertThrows(ExpertException.class,
                () -> AlignedExpert.align(expert, List.of("a=b@c", "a@b=c"), List.of("1")));
        assertEquals("expert 'e' reads 'a@b@c', which is a feature of column 'a' and of column 'a@b' of the data set:"
                + " rename one of them", e.getMessage());
    }

    @Test
    void upperCasedLabelsAreTheDataSetsWhenNoneMatchesExactly() {
        // Tribuo's FieldResponseProcessor upper-cases labels: REPUBLICAN is republican. "Dem" is matched as it is.
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("a"), List.of("REPUBLICAN", "OTHER", "Dem"), 0);
        AlignedExpert aligned = AlignedExpert.align(expert, List.of("a"), List.of("Dem", "republican"));
        FloatMatrix own = new FloatMatrix(1, 3, new float[] {0.5f, 0.2f, 0.3f});
        assertArrayEquals(new float[] {0.3f, 0.5f}, aligned.toDatasetLabels(own, 1).values());
        // Two labels of one upper-case form: neither is guessed.
        assertThrows(ExpertException.class,
                () -> AlignedExpert.align(FakeExperts.constant("e", List.of("a"), List.of("A"), 0), List.of("a"), List.of("a", "A ")));
    }

    @Test
    void anExpertWithNoSharedLabelIsRefused() {
        FakeExperts.RuleExpert expert = FakeExperts.constant("e", List.of("a"), List.of("cat", "dog"), 0);
        ExpertException e = assertThrows(ExpertException.class, () -> AlignedExpert.align(expert, List.of("a"), List.of("1", "2")));
        assertEquals("expert 'e' predicts labels [cat, dog], none of which the data set has (1, 2)", e.getMessage());
    }

    @Test
    void wrongOutputShapeIsReported() {
        dev.moe.api.Expert broken = new FakeExperts.RuleExpert("b", List.of("a"), List.of("x"), r -> 0, 1f) {
            @Override
            public FloatMatrix predict(FloatMatrix x) {
                return FloatMatrix.zeros(x.rows() + 1, 1);
            }
        };
        AlignedExpert aligned = AlignedExpert.align(broken, List.of("a"), List.of("x"));
        // The id alone named the config's entry, not whose code answered (the provider, the class, its jar), nor the rule.
        assertEquals("expert 'b' (provider 'test', " + broken.getClass().getName() + ") returned 3x1 probabilities for 2 rows"
                + " and 1 labels: predict must return one row per row it is given and one column per label of its labelNames(),"
                + " in that order",
                assertThrows(ExpertException.class, () -> aligned.predict(FloatMatrix.zeros(2, 1))).getMessage());
    }

    @Test
    void anExpertAnsweringNullIsNamed() {
        // Both were NullPointerExceptions about moe's code ("because \"own\" is null"): exit 1, no expert named.
        dev.moe.api.Expert silent = new FakeExperts.RuleExpert("s", List.of("a"), List.of("x"), r -> 0, 1f) {
            @Override
            public FloatMatrix predict(FloatMatrix x) {
                return null;
            }
        };
        AlignedExpert aligned = AlignedExpert.align(silent, List.of("a"), List.of("x"));
        String nothing = "expert 's' (provider 'test', " + silent.getClass().getName() + ") returned no probabilities (null)"
                + " for 2 rows: predict must return one row per row it is given and one column per label of its labelNames()";
        assertEquals(nothing,
                assertThrows(ExpertException.class, () -> aligned.predict(FloatMatrix.zeros(2, 1))).getMessage());
        assertEquals(nothing,
                assertThrows(ExpertException.class, () -> aligned.toDatasetLabelsShared(null, 2)).getMessage());
        dev.moe.api.Expert nameless = new FakeExperts.RuleExpert("n", List.of("a"), List.of("x"), r -> 0, 1f) {
            @Override
            public List<String> featureNames() {
                return null;
            }
        };
        assertTrue(assertThrows(ExpertException.class, () -> AlignedExpert.align(nameless, List.of("a"), List.of("x")))
                .getMessage().matches("expert 'n' \\(.*\\) gives no feature names \\(null\\)"));
    }

    /** How {@link #answering}'s expert is named: its id, provider and class (a directory of classes: no jar). */
    private static final String PLUGIN = "expert 'plugin' (provider 'test', " + AlignedExpertTest.class.getName() + "$Fixed)";
    private static final String RULE = "; predict must return probabilities: each finite and non-negative, each row summing to 1"
            + " (within 0.001)";

    /** An expert answering fixed rows, whatever it is asked. */
    private static AlignedExpert answering(float[] rows, int columns) {
        return AlignedExpert.align(new Fixed(rows, columns), List.of("a"), List.of("x", "y", "z"));
    }

    @Test
    void anExpertReturningNaNIsNamedWithTheRow() {
        AlignedExpert e = answering(new float[] {0.5f, 0.5f, 0f, Float.NaN, 0.5f, 0.5f}, 3);
        assertEquals(PLUGIN + " returned an invalid probability row (row 2 of the 2 it scored): probability of 'x' is NaN "
                + "[NaN, 0.5, 0.5]" + RULE, assertThrows(ExpertException.class, () -> e.predict(FloatMatrix.zeros(2, 1))).getMessage());
    }

    @Test
    void anExpertWhoseRowSumsToThreeOrIsNegativeIsRefused() {
        AlignedExpert three = answering(new float[] {1f, 1f, 1f}, 3);
        assertEquals(PLUGIN + " returned an invalid probability row (row 1 of the 1 it scored): its probabilities sum to 3.0, "
                + "not 1 [1.0, 1.0, 1.0]" + RULE, assertThrows(ExpertException.class, () -> three.predict(FloatMatrix.zeros(1, 1))).getMessage());
        AlignedExpert negative = answering(new float[] {1.2f, -0.2f}, 2);
        assertEquals(PLUGIN + " returned an invalid probability row (row 1 of the 1 it scored): probability of 'y' is negative "
                + "(-0.2) [1.2, -0.2]" + RULE, assertThrows(ExpertException.class, () -> negative.predict(FloatMatrix.zeros(1, 1))).getMessage());
        AlignedExpert infinite = answering(new float[] {Float.POSITIVE_INFINITY, 0f}, 2);
        assertThrows(ExpertException.class, () -> infinite.predict(FloatMatrix.zeros(1, 1)));
    }

    @Test
    void roundingWithinTheToleranceIsAccepted() {
        // Float softmaxes do not sum to exactly 1; 1e-4 off is rounding, 1e-2 off is not.
        AlignedExpert close = answering(new float[] {0.3334f, 0.3333f, 0.3334f}, 3);
        FloatMatrix p = close.predict(FloatMatrix.zeros(1, 1));
        assertEquals(0.3334f, p.get(0, 0));
        AlignedExpert off = answering(new float[] {0.34f, 0.34f, 0.34f}, 3);
        assertThrows(ExpertException.class, () -> off.predict(FloatMatrix.zeros(1, 1)));
    }

    @Test
    void theSharedConversionPassesAnExpertsOwnMatrixOnlyWhenItsLabelsAreTheDataSets() {
        FloatMatrix own = new FloatMatrix(1, 3, new float[] {0.2f, 0.3f, 0.5f});
        AlignedExpert same = answering(own.values(), 3);
        assertSame(own, same.toDatasetLabelsShared(own, 1));
        assertSame(own, same.toExpertLabels(own));
        AlignedExpert fewer = answering(new float[] {0.4f, 0.6f}, 2); // labels x, y of x, y, z: moved into a new matrix
        FloatMatrix two = new FloatMatrix(1, 2, new float[] {0.4f, 0.6f});
        assertArrayEquals(new float[] {0.4f, 0.6f, 0f}, fewer.toDatasetLabelsShared(two, 1).values());
        assertThrows(ExpertException.class, () -> same.toDatasetLabelsShared(new FloatMatrix(1, 3, new float[] {1f, 1f, 1f}), 1),
                "checked all the same");
    }

    /**
     * A plugin's expert (its class defined by another loader, from a jar): it predicts with its own loader as the thread's
     * context loader, the caller's is back afterwards, and a wrong answer names its jar.
     */
    @Test
    void aPluginsExpertPredictsWithItsLoaderAsTheContextLoaderAndIsNamedWithItsJar() throws Exception {
        Expert probe = (Expert) new JarLoader(getClass().getClassLoader()).define(ContextProbe.class)
                .getDeclaredConstructor().newInstance();
        AlignedExpert aligned = AlignedExpert.align(probe, List.of("a"), List.of("x", "y"));
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        assertArrayEquals(new float[] {1, 0}, aligned.predict(FloatMatrix.zeros(1, 1)).values(), "its own loader");
        assertSame(before, Thread.currentThread().getContextClassLoader());
        String wrong = assertThrows(ExpertException.class,
                () -> aligned.predict(new FloatMatrix(1, 1, new float[] {-1}))).getMessage();
        assertTrue(wrong.startsWith("expert 'probe' (provider 'probe', " + ContextProbe.class.getName() + " in"
                + " probe-plugin-1.0.jar) returned an invalid probability row"), wrong);
        assertSame(before, Thread.currentThread().getContextClassLoader());
    }

    /** Defines a class anew, as a plugin's loader would, from a jar (a code source of that name). */
    private static final class JarLoader extends ClassLoader {
        JarLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(Class<?> type) throws java.io.IOException {
            byte[] bytes;
            try (java.io.InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
                bytes = in.readAllBytes();
            }
            java.security.CodeSource jar = new java.security.CodeSource(
                    new java.net.URL("file:/plugins/probe-plugin-1.0.jar"), (java.security.cert.Certificate[]) null);
            return defineClass(type.getName(), bytes, 0, bytes.length, new java.security.ProtectionDomain(jar, null));
        }
    }

    /** Answers [1, 0] when the thread's context loader is its own, else [0, 1]; a row that sums to 3 for a feature of -1. */
    public static final class ContextProbe implements Expert {
        public ContextProbe() {
        }

        @Override
        public String id() {
            return "probe";
        }

        @Override
        public List<String> featureNames() {
            return List.of("a");
        }

        @Override
        public List<String> labelNames() {
            return List.of("x", "y");
        }

        @Override
        public java.util.Map<String, String> provenance() {
            return java.util.Map.of("provider", "probe");
        }

        @Override
        public FloatMatrix predict(FloatMatrix x) {
            boolean own = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
            float[] out = new float[x.rows() * 2];
            for (int r = 0; r < x.rows(); r++) {
                out[2 * r] = x.get(r, 0) == -1 ? 2 : own ? 1 : 0;
                out[2 * r + 1] = x.get(r, 0) == -1 ? 1 : own ? 0 : 1;
            }
            return new FloatMatrix(x.rows(), 2, out);
        }
    }

    private static final class Fixed extends FakeExperts.RuleExpert {
        private final float[] rows;
        private final int columns;

        Fixed(float[] rows, int columns) {
            super("plugin", List.of("a"), List.of("x", "y", "z").subList(0, columns), r -> 0, 1f);
            this.rows = rows;
            this.columns = columns;
        }

        @Override
        public FloatMatrix predict(FloatMatrix x) {
            return new FloatMatrix(rows.length / columns, columns, rows.clone());
        }
    }
}
