package dev.moe.runtime.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.experiment.ExpertFactory;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void uniformIsTheMeanOfTheExperts() {
        FloatMatrix a = new FloatMatrix(1, 2, new float[] {1, 0});
        FloatMatrix b = new FloatMatrix(1, 2, new float[] {0.5f, 0.5f});
        assertArrayEquals(new float[] {0.75f, 0.25f}, Baselines.uniform(List.of(a, b)).values(), 1e-7f);
    }

    @Test
    void tribuosEnsembleSoftVotesTheExpertsModels() throws Exception {
        Dataset wine = CsvSource.read(Path.of(getClass().getResource("/data/wine.csv").toURI()), "label");
        ExpertFactory factory = new ExpertFactory(ProviderRegistry.fromClassPath());
        int[] rows = IntStream.range(0, wine.rows()).toArray();
        Expert lr = factory.create(new MoeConfig.ExpertConfig("lr", "tribuo", null, null,
                Map.of("algorithm", "logistic-regression", "epochs", 20)), wine, rows, Path.of("."), 1);
        Expert knn = factory.create(new MoeConfig.ExpertConfig("knn", "tribuo", null, null,
                Map.of("algorithm", "knn", "k", 4, "probabilities", "scores")), wine, rows, Path.of("."), 1);
        List<AlignedExpert> experts = List.of(AlignedExpert.align(lr, wine.featureNames(), wine.labelNames()),
                AlignedExpert.align(knn, wine.featureNames(), wine.labelNames()));
        // Found through the BaselineProvider SPI: the baseline lives with the Tribuo provider.
        FloatMatrix ensemble = Baselines.provided(experts, wine.features(), wine.featureNames(), wine.labelNames()).get("tribuo-ensemble");
        FloatMatrix mean = Baselines.uniform(List.of(experts.get(0).predict(wine.features()), experts.get(1).predict(wine.features())));
        assertArrayEquals(mean.values(), ensemble.values(), 1e-5f);
        assertTrue(TribuoEvaluation.evaluate(ensemble, wine.labels(), wine.labelNames()).accuracy() > 0.9);

        // Tribuo refuses experts that read different features: no row rather than a wrong one.
        Expert fewFeatures = factory.create(new MoeConfig.ExpertConfig("few", "tribuo", null,
                new MoeConfig.SubsetConfig(null, List.of("alcohol", "hue"), null), Map.of("algorithm", "cart")), wine, rows, Path.of("."), 1);
        assertTrue(Baselines.provided(List.of(experts.get(0), AlignedExpert.align(fewFeatures, wine.featureNames(), wine.labelNames())),
                wine.features(), wine.featureNames(), wine.labelNames()).isEmpty());
    }

    @Test
    void noTribuoEnsembleWhenAnExpertIsNotATribuoModel() {
        dev.moe.api.Expert plain = new dev.moe.api.Expert() {
            public String id() { return "p"; }
            public List<String> featureNames() { return List.of("x"); }
            public List<String> labelNames() { return List.of("a"); }
            public Map<String, String> provenance() { return Map.of(); }
            public FloatMatrix predict(FloatMatrix f) { return FloatMatrix.zeros(f.rows(), 1); }
        };
        assertTrue(Baselines.provided(List.of(AlignedExpert.align(plain, List.of("x"), List.of("a"))),
                FloatMatrix.zeros(1, 1), List.of("x"), List.of("a")).isEmpty());
    }

    @Test
    void stackingLearnsWhichExpertToBelieveFromTheirProbabilities() {
        // Expert 0 is always right, expert 1 always wrong; the labels alternate. Stacking learns to follow expert 0.
        int n = 200;
        int[] labels = new int[n];
        FloatMatrix right = FloatMatrix.zeros(n, 2);
        FloatMatrix wrong = FloatMatrix.zeros(n, 2);
        for (int r = 0; r < n; r++) {
            labels[r] = r % 2;
            right.set(r, labels[r], 0.6f);
            right.set(r, 1 - labels[r], 0.4f);
            wrong.set(r, 1 - labels[r], 0.9f);
            wrong.set(r, labels[r], 0.1f);
        }
        dev.moe.gating.training.GateData trainedOn = new dev.moe.gating.training.GateData(FloatMatrix.zeros(n, 1), labels,
                List.of(right, wrong));
        FloatMatrix p = Baselines.stacking(trainedOn, List.of(right, wrong), List.of("a", "b"), 3);
        int correct = 0;
        for (int r = 0; r < n; r++) {
            correct += p.argMaxOfRow(r) == labels[r] ? 1 : 0;
        }
        assertTrue(correct == n, correct + " of " + n);
        // Uniform averaging follows the confident wrong expert.
        FloatMatrix uniform = Baselines.uniform(List.of(right, wrong));
        assertTrue(uniform.argMaxOfRow(0) != labels[0]);
    }

    @Test
    void stackingIsAPenalisedLogisticRegressionFittedToConvergenceAsScikitLearnFitsIt() {
        // The reference: scikit-learn 1.2's LogisticRegression(C=1, solver="liblinear", tol=1e-8) on the same twelve
        // rows (two experts' probabilities of three labels as the features). An unpenalised fit, or one stopped early,
        // lands elsewhere: these rows do not separate, and the penalty keeps every probability below 0.41.
        float[] expertA = {
                0.200000f, 0.600000f, 0.200000f,
                0.200000f, 0.600000f, 0.200000f,
                0.200000f, 0.200000f, 0.600000f,
                0.600000f, 0.200000f, 0.200000f,
                0.200000f, 0.200000f, 0.600000f,
                0.200000f, 0.200000f, 0.600000f,
                0.600000f, 0.200000f, 0.200000f,
                0.200000f, 0.600000f, 0.200000f,
                0.600000f, 0.200000f, 0.200000f,
                0.600000f, 0.200000f, 0.200000f,
                0.200000f, 0.600000f, 0.200000f,
                0.200000f, 0.200000f, 0.600000f};
        float[] expertB = {
                0.222222f, 0.333333f, 0.444444f,
                0.333333f, 0.444444f, 0.222222f,
                0.444444f, 0.222222f, 0.333333f,
                0.222222f, 0.333333f, 0.444444f,
                0.333333f, 0.444444f, 0.222222f,
                0.444444f, 0.222222f, 0.333333f,
                0.222222f, 0.333333f, 0.444444f,
                0.333333f, 0.444444f, 0.222222f,
                0.444444f, 0.222222f, 0.333333f,
                0.222222f, 0.333333f, 0.444444f,
                0.333333f, 0.444444f, 0.222222f,
                0.444444f, 0.222222f, 0.333333f};
        float[] reference = {
                0.342282f, 0.371506f, 0.286211f,
                0.313149f, 0.401172f, 0.285678f,
                0.285678f, 0.313149f, 0.401172f,
                0.401172f, 0.285678f, 0.313149f,
                0.286211f, 0.342282f, 0.371506f,
                0.285678f, 0.313149f, 0.401172f,
                0.401172f, 0.285678f, 0.313149f,
                0.313149f, 0.401172f, 0.285678f,
                0.371506f, 0.286211f, 0.342282f,
                0.401172f, 0.285678f, 0.313149f,
                0.313149f, 0.401172f, 0.285678f,
                0.285678f, 0.313149f, 0.401172f};
        int n = 12;
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            labels[r] = r % 3;
        }
        FloatMatrix a = new FloatMatrix(n, 3, expertA);
        FloatMatrix b = new FloatMatrix(n, 3, expertB);
        FloatMatrix p = Baselines.stacking(new dev.moe.gating.training.GateData(FloatMatrix.zeros(n, 1), labels, List.of(a, b)),
                List.of(a, b), List.of("x", "y", "z"), 3);
        for (int i = 0; i < reference.length; i++) {
            assertEquals(reference[i], p.values()[i], 2e-3, "row " + i / 3 + ", label " + i % 3);
        }
    }
}
