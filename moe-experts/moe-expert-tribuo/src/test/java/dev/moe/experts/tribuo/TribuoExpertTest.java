package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

class TribuoExpertTest {

    private static final TribuoExpertProvider PROVIDER = new TribuoExpertProvider();
    private static TrainingSet train;
    private static TrainingSet test;

    @BeforeAll
    static void readData() {
        TrainingSet[] wine = CsvData.split(CsvData.read("wine.csv"), 0.7, 42);
        train = wine[0];
        test = wine[1];
    }

    private static Expert trained(Map<String, Object> params) {
        return PROVIDER.train(TribuoExpertProviderTest.spec("e", Path.of("."), params), train);
    }

    @Test
    void scoresRowsAreTheModelsProbabilitiesAndSumToOne() {
        TribuoExpert expert = (TribuoExpert) trained(Map.of("algorithm", "logistic-regression"));
        FloatMatrix out = expert.predict(test.features());
        assertEquals(test.rows(), out.rows());
        assertEquals(3, out.columns());
        // Row 0 by hand through Tribuo: the same scores under the expert's label order.
        List<Prediction<Label>> direct = expert.model().predict(List.of(example(expert, 0)));
        for (int c = 0; c < 3; c++) {
            double expected = direct.get(0).getOutputScores().get(expert.labelNames().get(c)).getScore();
            assertEquals(expected, out.get(0, c), 1e-6);
        }
        int notOneHot = 0;
        for (int r = 0; r < out.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < out.columns(); c++) {
                sum += out.get(r, c);
                if (out.get(r, c) > 0.001f && out.get(r, c) < 0.999f) {
                    notOneHot++;
                }
            }
            assertEquals(1.0, sum, 1e-5);
        }
        assertTrue(notOneHot > 0, "logistic regression gives graded probabilities");
    }

    private static Example<Label> example(TribuoExpert expert, int row) {
        String[] names = expert.featureNames().toArray(String[]::new);
        double[] values = new double[names.length];
        for (int c = 0; c < names.length; c++) {
            values[c] = test.features().get(row, c);
        }
        return new org.tribuo.impl.ArrayExample<>(org.tribuo.classification.LabelFactory.UNKNOWN_LABEL, names, values);
    }

    @Test
    void oneHotRowsMarkThePredictedLabel() {
        TribuoExpert cart = (TribuoExpert) trained(Map.of("algorithm", "cart", "max-depth", 2));
        FloatMatrix out = cart.predict(test.features());
        for (int r = 0; r < out.rows(); r++) {
            int ones = 0;
            for (int c = 0; c < out.columns(); c++) {
                float v = out.get(r, c);
                assertTrue(v == 0f || v == 1f, "row " + r + " has " + v);
                ones += v == 1f ? 1 : 0;
            }
            assertEquals(1, ones);
            String predicted = cart.model().predict(example(cart, r)).getOutput().getLabel();
            assertEquals(predicted, cart.labelNames().get(out.argMaxOfRow(r)));
        }
        // The same tree with its leaf frequencies as scores: the same argmax, graded rows.
        FloatMatrix scores = ((TribuoExpert) trained(Map.of("algorithm", "cart", "max-depth", 2, "probabilities", "scores")))
                .predict(test.features());
        int graded = 0;
        for (int r = 0; r < out.rows(); r++) {
            assertEquals(out.argMaxOfRow(r), scores.argMaxOfRow(r));
            graded += scores.get(r, scores.argMaxOfRow(r)) < 1f ? 1 : 0;
        }
        assertTrue(graded > 0, "a tree of depth 2 has impure leaves on wine");
    }

    @Test
    void columnsAreMatchedToTheModelByNameNotByPosition() {
        // The same tree trained on wine with its columns reversed: fed reversed rows, it predicts identically.
        int columns = train.featureNames().size();
        int[] reversed = new int[columns];
        for (int c = 0; c < columns; c++) {
            reversed[c] = columns - 1 - c;
        }
        List<String> reversedNames = new ArrayList<>();
        for (int c : reversed) {
            reversedNames.add(train.featureNames().get(c));
        }
        TrainingSet reversedTrain = new TrainingSet(train.features().selectColumns(reversed), train.labels(),
                reversedNames, train.labelNames());
        Expert straight = trained(Map.of("algorithm", "xgboost"));
        Expert backwards = PROVIDER.train(TribuoExpertProviderTest.spec("b", Path.of("."), Map.of("algorithm", "xgboost")),
                reversedTrain);
        assertEquals(reversedNames, backwards.featureNames());
        assertEquals(straight.predict(test.features()), backwards.predict(test.features().selectColumns(reversed)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic-regression", "cart", "knn", "xgboost"})
    void concurrentPredictionsAgreeWithASingleOne(String algorithm) throws Exception {
        Expert expert = trained(Map.of("algorithm", algorithm, "probabilities", "scores"));
        FloatMatrix expected = expert.predict(test.features());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger agreed = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                futures.add(pool.submit(() -> {
                    if (expert.predict(test.features()).equals(expected)) {
                        agreed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(32, agreed.get());
    }

    @Test
    void anEmptyBatchGivesAnEmptyResult() {
        FloatMatrix out = trained(Map.of("algorithm", "cart")).predict(FloatMatrix.zeros(0, 13));
        assertEquals(0, out.rows());
        assertEquals(3, out.columns());
    }

    @Test
    void aWrongColumnCountOrANaNIsRefused() {
        Expert expert = trained(Map.of("algorithm", "cart"));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> expert.predict(FloatMatrix.zeros(2, 12)));
        assertEquals("expert 'e' expects 13 feature columns, got 12", wrong.getMessage());
        FloatMatrix rows = FloatMatrix.zeros(2, 13);
        rows.set(1, 0, Float.NaN);
        ExpertException nan = assertThrows(ExpertException.class, () -> expert.predict(rows));
        assertEquals("expert 'e': row 1, feature 'alcohol' is NaN; Tribuo models take finite values only", nan.getMessage());
    }

    @Test
    void provenanceNamesProviderAlgorithmAndHyperparameters() {
        Map<String, String> p = trained(Map.of("algorithm", "xgboost", "trees", 10)).provenance();
        assertEquals("tribuo", p.get("provider"));
        assertEquals("xgboost", p.get("algorithm"));
        assertEquals("10", p.get("trees"));
        assertEquals("6", p.get("max-depth"));
        assertEquals("7", p.get("seed"));
        assertEquals(String.valueOf(train.rows()), p.get("training-rows"));
        assertEquals("org.tribuo.common.xgboost.XGBoostModel", p.get("model-class"));
        assertEquals("scores", p.get("probabilities"));
        assertEquals("4.3.2", p.get("tribuo-version"));
        Model<Label> model = ((TribuoExpert) trained(Map.of("algorithm", "cart"))).model();
        assertTrue(model.validate(Label.class));
    }

    @Test
    void aModelTrainedOnTribuosDoublesGetsTheDecimalsMoesFloatsWereReadFrom() throws Exception {
        // Tribuo's CSVLoader reads iris as doubles; some of the bagged trees' thresholds are data values (1.6), which
        // moe's float 1.6 widened to double (1.600000023841858) passes on the wrong side.
        Path csv = Path.of(TribuoExpertTest.class.getResource("/data/iris.csv").toURI());
        var rows = new org.tribuo.MutableDataset<>(new org.tribuo.data.csv.CSVLoader<>(new org.tribuo.classification.LabelFactory())
                .loadDataSource(csv, "label"));
        Model<Label> bagging = new org.tribuo.ensemble.BaggingTrainer<>(new org.tribuo.classification.dtree.CARTClassificationTrainer(4),
                new org.tribuo.classification.ensemble.VotingCombiner(), 10).train(rows);
        TribuoExpert expert = TribuoExpert.of("bagged", bagging);
        TrainingSet iris = CsvData.read("iris.csv");
        int[] columns = expert.featureNames().stream().mapToInt(iris.featureNames()::indexOf).toArray();
        FloatMatrix p = expert.predict(iris.features().selectColumns(columns));
        List<Prediction<Label>> expected = bagging.predict(rows);
        for (int r = 0; r < iris.rows(); r++) {
            for (int j = 0; j < expert.labelNames().size(); j++) {
                String label = expert.labelNames().get(j);
                assertEquals(expected.get(r).getOutputScores().get(label).getScore(), p.get(r, j), 1e-6, "row " + r + ", " + label);
            }
        }
    }

    @Test
    void aFloatIsGivenAsTheDecimalItWasReadFrom() {
        assertEquals(1.6, TribuoExpert.decimal(1.6f));
        assertEquals(-0.07, TribuoExpert.decimal(-0.07f));
        assertEquals(15.0, TribuoExpert.decimal(15f));
        // Whole, but beyond 2^24 a float's widened double is not its decimal.
        assertEquals(1.0e20, TribuoExpert.decimal(1.0e20f));
    }
}
