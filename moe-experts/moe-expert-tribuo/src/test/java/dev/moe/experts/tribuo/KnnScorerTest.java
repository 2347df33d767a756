package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.common.nearest.KNNTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The kNN fast path against Tribuo's own KNNModel: the same probabilities, bit for bit, on real data (letter's
 * integer features tie often) and on grids built to tie, for each of Tribuo's neighbour-selection rules.
 */
class KnnScorerTest {

    private static final TribuoExpertProvider PROVIDER = new TribuoExpertProvider();

    @TempDir
    Path dir;

    private ExpertSpec spec(Map<String, Object> params) {
        return TribuoExpertProviderTest.spec("knn", dir, params);
    }

    private static void assertSameAsTribuo(TribuoExpert expert, FloatMatrix rows) {
        FloatMatrix fast = expert.predict(rows);
        FloatMatrix tribuo = expert.predictThroughTribuo(rows);
        assertEquals(tribuo.rows(), fast.rows());
        for (int r = 0; r < rows.rows(); r++) {
            float[] want = Arrays.copyOfRange(tribuo.values(), r * tribuo.columns(), (r + 1) * tribuo.columns());
            float[] got = Arrays.copyOfRange(fast.values(), r * fast.columns(), (r + 1) * fast.columns());
            assertArrayEquals(want, got, 0f, "row " + r);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "letter-3000.csv, 1, true", "letter-3000.csv, 5, true", "letter-3000.csv, 10, true",
            "letter-3000.csv, 1, false", "letter-3000.csv, 5, false", "letter-3000.csv, 10, false",
            "satellite-sample.csv, 5, true", "satellite-sample.csv, 5, false",
            "wine.csv, 3, true", "glass.csv, 4, false"})
    void givesTribuosProbabilitiesOnRealData(String file, int k, boolean standardise) {
        TrainingSet[] split = CsvData.split(CsvData.read(file), 0.67, 11);
        for (String probabilities : List.of("scores", "one-hot")) {
            TribuoExpert expert = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "knn", "k", k,
                    "standardise", standardise, "probabilities", probabilities)), split[0]);
            KnnScorer scorer = expert.knnScorer();
            assertNotNull(scorer, "fast path taken");
            // Standardised: a TransformedModel, which Tribuo scores row by row (sorting); raw: the batch path (queue).
            assertEquals(standardise ? KnnScorer.Selection.SORTED : KnnScorer.Selection.HEAP, scorer.selection());
            assertSameAsTribuo(expert, split[1].features());
        }
    }

    /** The letter data does exercise ties: many test rows have the k-th and (k+1)-th nearest at the same distance. */
    @Test
    void letterTiesAtTheKthNeighbourAreCommon() {
        TrainingSet[] split = CsvData.split(CsvData.read("letter-3000.csv"), 0.67, 11);
        float[] train = split[0].features().values();
        float[] test = split[1].features().values();
        int dims = split[0].features().columns();
        int k = 5;
        int ties = 0;
        for (int r = 0; r < split[1].rows(); r++) {
            double[] d = new double[split[0].rows()];
            for (int j = 0; j < d.length; j++) {
                double s = 0;
                for (int f = 0; f < dims; f++) {
                    double diff = test[r * dims + f] - train[j * dims + f];
                    s += diff * diff;
                }
                d[j] = s;
            }
            Arrays.sort(d);
            if (d[k - 1] == d[k]) {
                ties++;
            }
        }
        assertTrue(ties > 200, ties + " of " + split[1].rows() + " rows tie at the 5th neighbour");
    }

    /**
     * Integer grids in 3 dimensions with 4 labels: nearly every query has several neighbours at the same distance,
     * so a different choice among tied rows changes the votes. Each of Tribuo's three selection routes.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7})
    void breaksTiesAsTribuoDoes(int k) {
        Random random = new Random(k);
        int n = 300;
        int dims = 3;
        List<String> names = List.of("a", "b", "c");
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("grid", new LabelFactory()),
                new LabelFactory());
        for (int j = 0; j < n; j++) {
            double[] v = new double[dims];
            for (int f = 0; f < dims; f++) {
                v[f] = random.nextInt(4);
            }
            data.add(new ArrayExample<>(new Label("L" + random.nextInt(4)), names.toArray(new String[0]), v));
        }
        float[] q = new float[500 * dims];
        for (int i = 0; i < q.length; i++) {
            q[i] = random.nextInt(5) - 0.5f * random.nextInt(2);
        }
        FloatMatrix queries = new FloatMatrix(500, dims, q);

        Map<String, KnnScorer.Selection> routes = new HashMap<>();
        for (int threads : new int[] {1, 2}) {
            KNNTrainer<Label> trainer = new KNNTrainer<>(k, new L2Distance(), threads, new VotingCombiner(),
                    KNNModel.Backend.STREAMS, NeighboursQueryFactoryType.BRUTE_FORCE);
            Model<Label> model = trainer.train(data);
            TribuoExpert expert = new TribuoExpert("grid", model, names,
                    ModelMetadata.labelNames(model), Map.of(), ProbabilityMode.SCORES);
            assertNotNull(expert.knnScorer());
            routes.put("threads " + threads, expert.knnScorer().selection());
            assertSameAsTribuo(expert, queries);
        }
        assertEquals(Map.of("threads 1", KnnScorer.Selection.HEAP, "threads 2", KnnScorer.Selection.SORTED), routes);
    }

    /**
     * Rows far from the origin and close to each other: {@code ||a||^2 + ||b||^2 - 2ab} in float loses every digit of
     * the distances here, so only the error bounds and the exact check keep the neighbours right.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void survivesCancellationInTheFloatProduct(int threads) {
        Random random = new Random(17);
        int dims = 8;
        String[] names = new String[dims];
        for (int f = 0; f < dims; f++) {
            names[f] = "f" + f;
        }
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("far", new LabelFactory()),
                new LabelFactory());
        for (int j = 0; j < 400; j++) {
            double[] v = new double[dims];
            for (int f = 0; f < dims; f++) {
                v[f] = 3000 + 0.01 * random.nextGaussian();
            }
            data.add(new ArrayExample<>(new Label("L" + random.nextInt(3)), names, v));
        }
        float[] q = new float[300 * dims];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (3000 + 0.01 * random.nextGaussian());
        }
        Model<Label> model = new KNNTrainer<>(3, new L2Distance(), threads, new VotingCombiner(),
                KNNModel.Backend.STREAMS, NeighboursQueryFactoryType.BRUTE_FORCE).train(data);
        TribuoExpert expert = new TribuoExpert("far", model, List.of(names), ModelMetadata.labelNames(model), Map.of(),
                ProbabilityMode.SCORES);
        assertNotNull(expert.knnScorer());
        assertSameAsTribuo(expert, new FloatMatrix(300, dims, q));
    }

    /** The two Tribuo rules really differ on ties, so each test above can tell them apart. */
    @Test
    void tribuosTwoRulesDisagreeOnTies() {
        // Rows 0 and 1 at distance 5 from the query (labels a, b), row 2 at 3 (label c); k = 2. Sorting keeps
        // rows 2 and 0; the queue evicts its head, row 0, for row 2, keeping rows 1 and 2.
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("ties", new LabelFactory()),
                new LabelFactory());
        String[] names = {"x", "y"};
        data.add(new ArrayExample<>(new Label("a"), names, new double[] {5, 0}));
        data.add(new ArrayExample<>(new Label("b"), names, new double[] {0, 5}));
        data.add(new ArrayExample<>(new Label("c"), names, new double[] {3, 0}));
        FloatMatrix query = new FloatMatrix(1, 2, new float[] {0, 0});
        List<String> got = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            Model<Label> model = new KNNTrainer<>(2, new L2Distance(), threads, new VotingCombiner(),
                    KNNModel.Backend.STREAMS, NeighboursQueryFactoryType.BRUTE_FORCE).train(data);
            TribuoExpert expert = new TribuoExpert("t", model, List.of(names), List.of("a", "b", "c"), Map.of(),
                    ProbabilityMode.SCORES);
            assertSameAsTribuo(expert, query);
            got.add(Arrays.toString(expert.predict(query).values()));
        }
        assertEquals(List.of("[0.0, 0.5, 0.5]", "[0.5, 0.0, 0.5]"), got);
    }

    @Test
    void aModelLoadedFromAFileGetsTheFastPathToo() {
        TrainingSet[] split = CsvData.split(CsvData.read("satellite-sample.csv"), 0.67, 3);
        Path file = dir.resolve("knn.tribuo");
        TribuoExpert trained = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "knn", "save", file.toString(),
                "probabilities", "scores")), split[0]);
        TribuoExpert loaded = (TribuoExpert) PROVIDER.load(spec(Map.of("model", file.toString(),
                "probabilities", "scores")));
        assertNotNull(loaded.knnScorer());
        assertEquals(split[0].rows(), loaded.knnScorer().trainingRows());
        assertArrayEquals(trained.predictThroughTribuo(split[1].features()).values(),
                loaded.predict(split[1].features()).values(), 0f);
    }

    /** The protobuf route (when reflection is refused) reads the same model as reflection does. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void protobufAndReflectionReadTheSameModel(boolean standardise) throws Exception {
        TrainingSet[] split = CsvData.split(CsvData.read("satellite-sample.csv"), 0.67, 3);
        TribuoExpert expert = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "knn", "k", 7,
                "standardise", standardise)), split[0]);
        Model<Label> model = expert.model();
        KNNModel<Label> knn = (KNNModel<Label>) (model instanceof org.tribuo.transform.TransformedModel<Label> t
                ? t.getInnerModel() : model);
        KnnScorer.Parts reflected = KnnScorer.Parts.reflected(knn);
        KnnScorer.Parts serialized = KnnScorer.Parts.serialized(knn);
        assertEquals(List.of(7, 1, "STREAMS", L2Distance.class.getName(), VotingCombiner.class.getName()),
                List.of(reflected.k(), reflected.numThreads(), reflected.backend(), reflected.distance(),
                        reflected.combiner()));
        assertEquals(List.of(reflected.k(), reflected.numThreads(), reflected.backend(), reflected.distance(),
                        reflected.combiner(), reflected.queryFactory()),
                List.of(serialized.k(), serialized.numThreads(), serialized.backend(), serialized.distance(),
                        serialized.combiner(), serialized.queryFactory()));
        assertEquals(split[0].rows(), reflected.vectors().length);
        assertArrayEquals(reflected.vectors(), serialized.vectors());
        assertArrayEquals(reflected.labels(), serialized.labels());
        assertNotNull(KnnScorer.of(model, false));
    }

    /**
     * An expert may read more columns than its model knows (a model file whose stored feature list is longer than
     * its feature map): its rows then go through Tribuo's examples (a sparse vector, as Tribuo builds it).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void rowsWithAColumnTheModelDoesNotKnow(boolean standardise) {
        TrainingSet[] split = CsvData.split(CsvData.read("wine.csv"), 0.67, 3);
        TribuoExpert trained = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "knn", "standardise",
                standardise, "probabilities", "scores")), split[0]);
        List<String> names = new ArrayList<>(trained.featureNames());
        names.add(3, "unknown");
        TribuoExpert expert = new TribuoExpert("wider", trained.model(), names, trained.labelNames(), Map.of(),
                ProbabilityMode.SCORES);
        assertNotNull(expert.knnScorer());
        assertNull(expert.knnScorer().directColumns(expert.featureNames()));
        assertNotNull(trained.knnScorer().directColumns(trained.featureNames()));
        FloatMatrix narrow = split[1].features();
        int columns = narrow.columns() + 1;
        float[] values = new float[narrow.rows() * columns];
        for (int r = 0; r < narrow.rows(); r++) {
            for (int c = 0, from = 0; c < columns; c++) {
                values[r * columns + c] = c == 3 ? r % 5 : narrow.values()[r * narrow.columns() + from++];
            }
        }
        FloatMatrix wide = new FloatMatrix(narrow.rows(), columns, values);
        assertSameAsTribuo(expert, wide);
        // Tribuo ignores the feature it does not know: the same neighbours as the narrow expert's.
        assertArrayEquals(trained.predictThroughTribuo(narrow).values(), expert.predict(wide).values(), 0f);
    }

    @Test
    void otherDistancesGoThroughTribuo() {
        TrainingSet[] split = CsvData.split(CsvData.read("wine.csv"), 0.67, 3);
        TribuoExpert expert = (TribuoExpert) PROVIDER.train(spec(Map.of("algorithm", "knn", "distance", "l1",
                "probabilities", "scores")), split[0]);
        assertNull(expert.knnScorer());
        assertArrayEquals(expert.predictThroughTribuo(split[1].features()).values(),
                expert.predict(split[1].features()).values(), 0f);
    }

    /** Blocks are fixed by size and scored side by side: the result is the same as scoring row by row. */
    @ParameterizedTest
    @ValueSource(strings = {"logistic-regression", "cart", "knn", "xgboost"})
    void blocksGiveWhatRowByRowGives(String algorithm) {
        TrainingSet[] split = CsvData.split(CsvData.read("satellite-sample.csv"), 0.5, 5);
        Expert expert = PROVIDER.train(spec(Map.of("algorithm", algorithm, "probabilities", "scores")), split[0]);
        FloatMatrix all = expert.predict(split[1].features());
        int labels = expert.labelNames().size();
        for (int r = 0; r < split[1].rows(); r += 7) {
            FloatMatrix one = expert.predict(split[1].features().selectRows(new int[] {r}));
            assertArrayEquals(one.values(), Arrays.copyOfRange(all.values(), r * labels, (r + 1) * labels), 0f,
                    algorithm + " row " + r);
        }
    }
}
