package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;

class TribuoExpertProviderTest {

    private static final TribuoExpertProvider PROVIDER = new TribuoExpertProvider();
    private static TrainingSet glassTrain;
    private static TrainingSet glassTest;
    private static TrainingSet wineTrain;
    private static TrainingSet wineTest;

    @TempDir
    Path dir;

    @BeforeAll
    static void readData() {
        TrainingSet[] glass = CsvData.split(CsvData.read("glass.csv"), 0.7, 42);
        glassTrain = glass[0];
        glassTest = glass[1];
        TrainingSet[] wine = CsvData.split(CsvData.read("wine.csv"), 0.7, 42);
        wineTrain = wine[0];
        wineTest = wine[1];
    }

    static ExpertSpec spec(String id, Path base, Map<String, Object> params) {
        return new ExpertSpec(id, TribuoExpertProvider.NAME, new Parameters("experts[" + id + "].params", params), base, 7L);
    }

    private ExpertSpec spec(Map<String, Object> params) {
        return spec("e1", dir, params);
    }

    private static double accuracy(Expert expert, TrainingSet test) {
        return CsvData.accuracy(expert.predict(test.features()), expert.labelNames(), test);
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        List<String> names = new ArrayList<>();
        ServiceLoader.load(ExpertProvider.class).forEach(p -> names.add(p.name()));
        assertTrue(names.contains("tribuo"), names.toString());
        assertTrue(PROVIDER.canTrain());
    }

    /** Glass, 70/30 split with seed 42 (64 test rows); measured: 0.703, 0.672, 0.656, 0.750. */
    @ParameterizedTest
    @CsvSource({"logistic-regression, 0.65", "cart, 0.62", "knn, 0.60", "xgboost, 0.70"})
    void trainsEachAlgorithmOnGlassAboveAnAccuracyFloor(String algorithm, double floor) {
        Expert expert = PROVIDER.train(spec(Map.of("algorithm", algorithm)), glassTrain);
        double accuracy = accuracy(expert, glassTest);
        assertTrue(accuracy >= floor, algorithm + " accuracy " + accuracy + " below " + floor);
        assertEquals(glassTrain.featureNames(), expert.featureNames());
        assertEquals("tribuo", expert.provenance().get("provider"));
        assertEquals(algorithm, expert.provenance().get("algorithm"));
    }

    /** Wine's proline is in the hundreds and hue below 2: unscaled, proline decides every distance. */
    @Test
    void standardisingMakesKnnWorkOnUnscaledFeatures() {
        Expert scaled = PROVIDER.train(spec(Map.of("algorithm", "knn")), wineTrain);
        Expert raw = PROVIDER.train(spec(Map.of("algorithm", "knn", "standardise", false)), wineTrain);
        double scaledAccuracy = accuracy(scaled, wineTest);
        double rawAccuracy = accuracy(raw, wineTest);
        assertTrue(scaledAccuracy >= 0.95, "standardised accuracy " + scaledAccuracy);
        assertTrue(rawAccuracy < scaledAccuracy - 0.1, "raw " + rawAccuracy + " vs standardised " + scaledAccuracy);
        assertEquals("true", scaled.provenance().get("standardise"));
        assertEquals("true", scaled.provenance().get("transformed"));
        assertEquals("false", raw.provenance().get("standardise"));
        assertEquals(null, raw.provenance().get("transformed"));
        assertTrue(accuracy(PROVIDER.train(spec(Map.of("algorithm", "logistic-regression")), wineTrain), wineTest) >= 0.98);
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic-regression", "cart", "knn", "xgboost"})
    void savedAndReloadedModelGivesIdenticalProbabilities(String algorithm) throws IOException {
        Expert trained = PROVIDER.train(spec(Map.of("algorithm", algorithm, "save", "models/" + algorithm + ".tribuo")), wineTrain);
        Path file = dir.resolve("models/" + algorithm + ".tribuo");
        assertTrue(Files.size(file) > 0);
        assertEquals(file.toString(), trained.provenance().get("saved-to"));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left beside the model");
        }

        Expert loaded = PROVIDER.load(spec(Map.of("model", "models/" + algorithm + ".tribuo")));
        assertEquals(trained.featureNames(), loaded.featureNames());
        assertEquals(trained.labelNames(), loaded.labelNames());
        assertEquals(trained.predict(wineTest.features()), loaded.predict(wineTest.features()));
        assertEquals(algorithm, loaded.provenance().get("algorithm"));
        assertEquals(file.toString(), loaded.provenance().get("model"));
        assertEquals(trained.provenance().get("model-class"), loaded.provenance().get("model-class"));
        assertEquals(trained.provenance().get("probabilities"), loaded.provenance().get("probabilities"));
    }

    @Test
    void reportsWhetherProbabilitiesAreScoresOrOneHot() {
        assertEquals("scores", PROVIDER.train(spec(Map.of("algorithm", "logistic-regression")), wineTrain)
                .provenance().get("probabilities"));
        assertEquals("scores", PROVIDER.train(spec(Map.of("algorithm", "xgboost")), wineTrain)
                .provenance().get("probabilities"));
        // Tribuo does not call a tree's leaf frequencies probabilities: auto means one-hot ...
        Expert cart = PROVIDER.train(spec(Map.of("algorithm", "cart")), wineTrain);
        assertEquals("one-hot", cart.provenance().get("probabilities"));
        assertEquals("org.tribuo.common.tree.TreeModel", cart.provenance().get("model-class"));
        // ... unless the config asks for the scores.
        Expert cartScores = PROVIDER.train(spec(Map.of("algorithm", "cart", "probabilities", "scores")), wineTrain);
        assertEquals("scores", cartScores.provenance().get("probabilities"));
        Expert lrOneHot = PROVIDER.train(spec(Map.of("algorithm", "logistic-regression", "probabilities", "one-hot")), wineTrain);
        assertEquals("one-hot", lrOneHot.provenance().get("probabilities"));
    }

    @Test
    void aLabelAbsentFromTheTrainingRowsIsAbsentFromLabelNames() {
        // Keep only wine classes class_0 and class_2; the training set still declares all three.
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < wineTrain.rows(); r++) {
            if (wineTrain.labels()[r] != 1) {
                keep.add(r);
            }
        }
        TrainingSet twoClasses = CsvData.subset(wineTrain, keep.stream().mapToInt(Integer::intValue).toArray());
        assertEquals(List.of("class_0", "class_1", "class_2"), twoClasses.labelNames());

        Expert expert = PROVIDER.train(spec(Map.of("algorithm", "xgboost", "save", "two.tribuo")), twoClasses);
        assertEquals(List.of("class_0", "class_2"), expert.labelNames());
        FloatMatrix out = expert.predict(wineTest.features());
        assertEquals(2, out.columns());
        assertEquals(List.of("class_0", "class_2"), PROVIDER.load(spec(Map.of("model", "two.tribuo"))).labelNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic-regression", "knn", "cart", "xgboost"})
    void constantColumnsDoNotBreakTraining(String algorithm) {
        // Iris plus a constant column of 5s and one of 0s: Tribuo's MeanStdDevTransformation would make them NaN.
        TrainingSet iris = CsvData.read("iris.csv");
        int rows = iris.rows();
        int columns = iris.features().columns() + 2;
        float[] values = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(iris.features().values(), r * (columns - 2), values, r * columns, columns - 2);
            values[r * columns + columns - 2] = 5f;
            values[r * columns + columns - 1] = 0f;
        }
        List<String> names = new ArrayList<>(iris.featureNames());
        names.add("constant-five");
        names.add("constant-zero");
        TrainingSet withConstants = new TrainingSet(new FloatMatrix(rows, columns, values), iris.labels(), names, iris.labelNames());
        TrainingSet[] split = CsvData.split(withConstants, 0.7, 3);

        Expert expert = PROVIDER.train(spec(Map.of("algorithm", algorithm, "standardise", true, "save", "c.tribuo")), split[0]);
        assertEquals(names, expert.featureNames());
        FloatMatrix out = expert.predict(split[1].features());
        for (int r = 0; r < out.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < out.columns(); c++) {
                assertTrue(Float.isFinite(out.get(r, c)) && out.get(r, c) >= 0, "row " + r + ": " + out.get(r, c));
                sum += out.get(r, c);
            }
            assertEquals(1.0, sum, 1e-5);
        }
        double accuracy = CsvData.accuracy(out, expert.labelNames(), split[1]);
        assertTrue(accuracy >= 0.88, algorithm + " accuracy " + accuracy);
        // The all-zero column is unknown to Tribuo's feature domain; the reloaded expert still reads it.
        assertEquals(names, PROVIDER.load(spec(Map.of("model", "c.tribuo"))).featureNames());
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedAnotherOne() {
        Map<String, Object> params = Map.of("algorithm", "xgboost", "subsample", 0.7, "feature-subsample", 0.6, "trees", 20);
        FloatMatrix a = PROVIDER.train(spec(params), glassTrain).predict(glassTest.features());
        FloatMatrix b = PROVIDER.train(spec(params), glassTrain).predict(glassTest.features());
        Map<String, Object> otherSeed = new HashMap<>(params);
        otherSeed.put("seed", 99);
        FloatMatrix c = PROVIDER.train(spec(otherSeed), glassTrain).predict(glassTest.features());
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void xgboostsTreeMethodReachesTheTrainer() {
        // One feature with 3,000 distinct values and the label flipping at 0.5003: the exact search splits between
        // two neighbouring values, hist between its 256 bins, so rows near the flip get other predictions.
        int n = 3000;
        float[] x = new float[n];
        int[] y = new int[n];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < n; i++) {
            x[i] = random.nextFloat();
            y[i] = x[i] > 0.5003f ? 1 : 0;
        }
        TrainingSet data = new TrainingSet(new FloatMatrix(n, 1, x), y, List.of("x"), List.of("low", "high"));
        float[] grid = new float[2001];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = 0.49f + i * 1e-5f;
        }
        FloatMatrix near = new FloatMatrix(grid.length, 1, grid);
        Map<String, Object> params = Map.of("algorithm", "xgboost", "trees", 3);
        FloatMatrix byDefault = PROVIDER.train(spec(params), data).predict(near);
        Map<String, Object> exact = new HashMap<>(params);
        exact.put("tree-method", "exact");
        Map<String, Object> hist = new HashMap<>(params);
        hist.put("tree-method", "hist");
        Expert histExpert = PROVIDER.train(spec(hist), data);
        assertEquals(byDefault, PROVIDER.train(spec(exact), data).predict(near), "auto is the exact search on small data");
        assertNotEquals(byDefault, histExpert.predict(near));
        assertEquals("hist", histExpert.provenance().get("tree-method"));
        Map<String, Object> unknown = new HashMap<>(params);
        unknown.put("tree-method", "gpu_hist");
        assertEquals("experts[e1].params.tree-method: unknown value 'gpu_hist'; one of: auto, exact, approx, hist",
                assertThrows(ParameterException.class, () -> PROVIDER.train(spec(unknown), data)).getMessage());
    }

    @Test
    void unknownAlgorithmIsRefusedWithTheKnownOnes() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> PROVIDER.train(spec(Map.of("algorithm", "svm")), wineTrain));
        assertEquals("experts[e1].params.algorithm: unknown algorithm 'svm'; known algorithms: "
                + "cart, knn, logistic-regression, xgboost", e.getMessage());
    }

    @Test
    void aKeyOfAnotherAlgorithmIsRefused() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> PROVIDER.train(spec(Map.of("algorithm", "cart", "k", 3)), wineTrain));
        assertEquals("experts[e1].params: unknown key 'k'; known keys: algorithm, fraction-features, impurity, "
                + "max-depth, min-child-weight, min-impurity-decrease, probabilities, save, seed, standardise", e.getMessage());
    }

    @Test
    void badHyperparametersAreRefusedNamingTheKey() {
        assertEquals("experts[e1].params.k: must be positive, got 0", assertThrows(ParameterException.class,
                () -> PROVIDER.train(spec(Map.of("algorithm", "knn", "k", 0)), wineTrain)).getMessage());
        assertEquals("experts[e1].params.subsample: must be in (0, 1], got 1.5", assertThrows(ParameterException.class,
                () -> PROVIDER.train(spec(Map.of("algorithm", "xgboost", "subsample", 1.5)), wineTrain)).getMessage());
        assertEquals("experts[e1].params.probabilities: unknown value 'soft'; one of: auto, scores, one-hot",
                assertThrows(ParameterException.class,
                        () -> PROVIDER.train(spec(Map.of("algorithm", "cart", "probabilities", "soft")), wineTrain)).getMessage());
    }

    @Test
    void aMissingModelFileIsNamed() {
        ExpertException e = assertThrows(ExpertException.class,
                () -> PROVIDER.load(spec(Map.of("model", "models/nope.tribuo"))));
        assertEquals("expert 'e1': Tribuo model file not found: " + dir.resolve("models/nope.tribuo"), e.getMessage());
    }

    @Test
    void aFileThatIsNotATribuoModelIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.tribuo"), "these are not the bytes you are looking for");
        ExpertException e = assertThrows(ExpertException.class, () -> PROVIDER.load(spec(Map.of("model", "notes.tribuo"))));
        assertTrue(e.getMessage().startsWith("expert 'e1': " + file + " is not a"), e.getMessage());
    }

    @Test
    void aRegressionModelIsRefusedNamingTheFile() throws IOException {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance("test", factory), factory);
        for (int i = 0; i < 20; i++) {
            data.add(new ArrayExample<>(new Regressor("y", i * 2.0), new String[] {"x"}, new double[] {i}));
        }
        Path file = dir.resolve("regression.tribuo");
        new CARTRegressionTrainer(3).train(data).serializeToFile(file);

        ExpertException e = assertThrows(ExpertException.class, () -> PROVIDER.load(spec(Map.of("model", "regression.tribuo"))));
        assertEquals("expert 'e1': " + file + " holds a Tribuo IndependentRegressionTreeModel over Regressor outputs, "
                + "not a classification model (Label outputs)", e.getMessage());
    }

    @Test
    void loadsAModelFromTheClassPathThroughTheContextClassLoader() throws IOException {
        PROVIDER.train(spec(Map.of("algorithm", "cart", "save", "jar/models/wine-cart.tribuo")), wineTrain);
        Expert fromFile = PROVIDER.load(spec(Map.of("model", "jar/models/wine-cart.tribuo")));
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader plugin = new URLClassLoader(new URL[] {dir.resolve("jar").toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(plugin);
            Expert fromResource = PROVIDER.load(spec(Map.of("model", "classpath:models/wine-cart.tribuo")));
            assertEquals("classpath:models/wine-cart.tribuo", fromResource.provenance().get("model"));
            assertEquals(fromFile.predict(wineTest.features()), fromResource.predict(wineTest.features()));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        ExpertException e = assertThrows(ExpertException.class,
                () -> PROVIDER.load(spec(Map.of("model", "classpath:models/wine-cart.tribuo"))));
        assertEquals("expert 'e1': Tribuo model resource not found on the class path: classpath:models/wine-cart.tribuo",
                e.getMessage());
    }

    @Test
    void aNaNInTheTrainingRowsIsNamed() {
        float[] values = wineTrain.features().values().clone();
        values[3 * wineTrain.features().columns() + 2] = Float.NaN;
        TrainingSet bad = new TrainingSet(new FloatMatrix(wineTrain.rows(), wineTrain.features().columns(), values),
                wineTrain.labels(), wineTrain.featureNames(), wineTrain.labelNames());
        ExpertException e = assertThrows(ExpertException.class, () -> PROVIDER.train(spec(Map.of("algorithm", "cart")), bad));
        assertEquals("expert 'e1': training row 3, feature 'ash' is NaN; Tribuo trains on finite values only", e.getMessage());
    }

    @Test
    void loadTakesOnlyItsOwnKeys() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> PROVIDER.load(spec(Map.of("model", "m.tribuo", "algorithm", "cart"))));
        assertEquals("experts[e1].params: unknown key 'algorithm'; known keys: model, probabilities", e.getMessage());
        assertFalse(PROVIDER.description().isEmpty());
    }
}
