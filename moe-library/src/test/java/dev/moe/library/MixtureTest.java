package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.experts.tribuo.TribuoExpert;
import dev.moe.gating.mixture.ExpertCalibration;
import dev.moe.runtime.MoeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;

class MixtureTest {

    private static final IrisData IRIS = new IrisData();

    @TempDir
    Path dir;

    @Test
    void combinesTribuoModelsTrainedInMemoryAndRoundTripsThroughABundle() {
        Model<Label> logistic = new LogisticRegressionTrainer().train(IRIS.train);
        Model<Label> cart = new CARTClassificationTrainer(3).train(IRIS.train);
        Model<Label> stump = new CARTClassificationTrainer(1).train(IRIS.train);

        Mixture mixture = Mixture.builder()
                .expert("logistic", logistic)
                .expert("cart", cart)
                .expert("stump", stump)
                .train(IRIS.train);

        assertEquals(List.of("logistic", "cart", "stump"), mixture.expertIds());
        assertEquals(4, mixture.featureNames().size());
        assertEquals(3, mixture.labelNames().size());
        assertTrue(List.of("uniform", "product").contains(mixture.combiner()), mixture.combiner());

        FloatMatrix rows = rows(IRIS.test, mixture.featureNames());
        Predictions p = mixture.predict(rows);
        assertEquals(IRIS.test.size(), p.rows());
        int right = 0;
        int r = 0;
        for (Example<Label> example : IRIS.test) {
            right += p.label(r).equals(example.getOutput().getLabel()) ? 1 : 0;
            float sum = 0;
            for (String label : p.labelNames()) {
                sum += p.probability(r, label);
            }
            assertEquals(1f, sum, 1e-4f);
            r++;
        }
        assertTrue(right >= 0.9 * IRIS.test.size(), right + " of " + IRIS.test.size());

        Path file = dir.resolve("iris.moe");
        mixture.save(file);
        Mixture loaded = Mixture.load(file);
        assertEquals(mixture.expertIds(), loaded.expertIds());
        assertEquals(mixture.featureNames(), loaded.featureNames());
        assertEquals(mixture.combiner(), loaded.combiner());
        assertArrayEquals(p.probabilities().values(), loaded.predict(rows).probabilities().values());
        assertArrayEquals(p.weights().values(), loaded.predict(rows).weights().values());

        MoeException exists = assertThrows(MoeException.class, () -> mixture.save(file));
        assertTrue(exists.getMessage().contains("exists"), exists.getMessage());
        loaded.save(file, true);
        assertArrayEquals(p.probabilities().values(), Mixture.load(file).predict(rows).probabilities().values());
    }

    /** The defaults are the CLI's: cross-fitted experts, calibration, the combiner chosen by cross-validation. */
    @Test
    void trainsWithTheDefaultsOfMoeTrain() {
        AtomicInteger fits = new AtomicInteger();
        Trainer<Label> counted = new CountingTrainer(new CARTClassificationTrainer(2), fits);
        FloatMatrix features = rows(IRIS.train, List.of("sepal_length", "sepal_width", "petal_length", "petal_width"));
        List<String> labelNames = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");
        int[] labels = new int[IRIS.train.size()];
        int r = 0;
        for (Example<Label> example : IRIS.train) {
            labels[r++] = labelNames.indexOf(example.getOutput().getLabel());
        }

        Mixture mixture = Mixture.builder()
                .expert("cart", counted)
                .expert("tribuo-logistic", "tribuo", Map.of("algorithm", "logistic-regression"))
                .train(features, List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), labels, labelNames);

        // 105 training rows: below 1000, so 10 folds of cross-fitting and the final fit.
        assertEquals(11, fits.get());
        assertTrue(List.of("uniform", "product").contains(mixture.combiner()), mixture.combiner());
        if (!mixture.combiner().equals("uniform")) {
            assertFalse(mixture.model().calibrations().stream().allMatch(ExpertCalibration::isIdentity),
                    "a learned combiner mixes calibrated experts");
        }
        Mixture again = Mixture.builder()
                .expert("cart", new CARTClassificationTrainer(2))
                .expert("tribuo-logistic", "tribuo", Map.of("algorithm", "logistic-regression"))
                .train(features, List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), labels, labelNames);
        assertArrayEquals(mixture.predict(features).probabilities().values(), again.predict(features).probabilities().values(),
                "the same seed gives the same mixture");
    }

    @Test
    void aNamedStrategyTrainsThatGate() {
        Mixture mixture = Mixture.builder()
                .expert("logistic", new LogisticRegressionTrainer())
                .expert("cart", new CARTClassificationTrainer(3))
                .strategy("top-k", Map.of("k", 1))
                .gate(g -> g.epochs(50))
                .crossFitFolds(3)
                .train(IRIS.train);
        assertEquals("features", mixture.combiner(), "a gate on the features, as the CLI's choose: gate");
        assertEquals("top-k", mixture.strategy());
        Predictions p = mixture.predict(rows(IRIS.test, mixture.featureNames()));
        for (int r = 0; r < p.rows(); r++) {
            int nonZero = 0;
            for (int k = 0; k < 2; k++) {
                nonZero += p.weights().get(r, k) != 0 ? 1 : 0;
            }
            assertEquals(1, nonZero, "top-1 routes each row to one expert");
        }
    }

    @Test
    void refusesWhatItCannotDo() {
        assertThrows(IllegalStateException.class, () -> Mixture.builder().train(IRIS.train));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Mixture.builder()
                .expert("a", new CARTClassificationTrainer(2)).expert("a", new LogisticRegressionTrainer()));
        assertTrue(twice.getMessage().contains("two experts named 'a'"), twice.getMessage());

        Expert own = new Expert() {
            @Override
            public String id() {
                return "own";
            }

            @Override
            public List<String> featureNames() {
                return List.of("petal_length");
            }

            @Override
            public List<String> labelNames() {
                return List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");
            }

            @Override
            public Map<String, String> provenance() {
                return Map.of();
            }

            @Override
            public FloatMatrix predict(FloatMatrix features) {
                FloatMatrix out = FloatMatrix.zeros(features.rows(), 3);
                for (int r = 0; r < features.rows(); r++) {
                    float length = features.get(r, 0);
                    out.set(r, length < 2.5f ? 0 : length < 4.9f ? 1 : 2, 1f);
                }
                return out;
            }
        };
        Mixture mixture = Mixture.builder().expert(own).expert(TribuoExpert.of("cart", new CARTClassificationTrainer(3)
                .train(IRIS.train))).crossFitFolds(3).train(IRIS.train);
        Path file = dir.resolve("own.moe");
        MoeException unsaved = assertThrows(MoeException.class, () -> mixture.save(file));
        assertTrue(unsaved.getMessage().contains("expert 'own'") && unsaved.getMessage().contains("no expert provider"),
                unsaved.getMessage());
        assertFalse(Files.exists(file));
    }

    static FloatMatrix rows(Dataset<Label> data, List<String> featureNames) {
        List<Example<Label>> examples = new java.util.ArrayList<>();
        data.forEach(examples::add);
        return TribuoRows.rows(examples, featureNames);
    }

    /** Counts the fits of a Tribuo trainer moe runs. */
    private static final class CountingTrainer implements Trainer<Label> {
        private final Trainer<Label> inner;
        private final AtomicInteger fits;

        CountingTrainer(Trainer<Label> inner, AtomicInteger fits) {
            this.inner = inner;
            this.fits = fits;
        }

        @Override
        public Model<Label> train(Dataset<Label> examples, Map<String, com.oracle.labs.mlrg.olcut.provenance.Provenance> provenance) {
            fits.incrementAndGet();
            return inner.train(examples, provenance);
        }

        @Override
        public Model<Label> train(Dataset<Label> examples, Map<String, com.oracle.labs.mlrg.olcut.provenance.Provenance> provenance,
                                  int invocationCount) {
            fits.incrementAndGet();
            return inner.train(examples, provenance, invocationCount);
        }

        @Override
        public int getInvocationCount() {
            return inner.getInvocationCount();
        }

        @Override
        public org.tribuo.provenance.TrainerProvenance getProvenance() {
            return inner.getProvenance();
        }
    }

    @Test
    void aGateDescribedInCodeJoinsTheDefaultCandidatesUnlessTheyOrAStrategyAreNamed() {
        assertEquals("uniform, product", Mixture.builder().describe().get("candidates"));
        assertEquals("uniform, product, features", Mixture.builder().gate(g -> g.epochs(50)).describe().get("candidates"));
        assertEquals("uniform, constant", Mixture.builder().gate(g -> g.epochs(50)).candidates("uniform", "constant")
                .describe().get("candidates"));
        assertEquals("uniform, product", Mixture.builder().gate(g -> g.epochs(50)).strategy("top-k", Map.of("k", 2))
                .describe().get("candidates"));
    }

    @Test
    void theFloorsMarginIsTheConfigsKey() {
        assertEquals("2.0", Mixture.builder().describe().get("floor-margin"));
        assertEquals("0.0", Mixture.builder().floorMargin(0).describe().get("floor-margin"));
        assertThrows(IllegalArgumentException.class, () -> Mixture.builder().floorMargin(-1));
    }
}
