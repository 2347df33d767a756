package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import dev.moe.experts.xgboost.XGBoostExpertProvider;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.common.xgboost.XGBoostModel;

/**
 * The xgboost provider on trees Tribuo trained (xgboost4j 1.6.2 writes the JSON): the same probabilities as the tribuo
 * provider's {@link XGBoostScorer}, which runs XGBoost's native predictor, and, with {@code -Dmoe.speed=true}, rows per
 * second of each on the same trees and the same block of rows. In this package for the scorer, which is the tribuo
 * provider's own.
 *
 * <pre>
 * mvn -B -q -o test -pl moe-experts/moe-expert-xgboost -am -Dtest=TribuoXGBoostComparisonTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dmoe.speed=true
 * </pre>
 */
class TribuoXGBoostComparisonTest {

    @TempDir
    Path dir;

    /** Gaussian classes around random means: enough structure for deep trees. */
    static TrainingSet synthetic(int rows, int features, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] means = new float[classes][features];
        for (float[] mean : means) {
            for (int f = 0; f < features; f++) {
                mean[f] = (float) random.nextGaussian();
            }
        }
        FloatMatrix x = FloatMatrix.zeros(rows, features);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(classes);
            for (int f = 0; f < features; f++) {
                x.set(r, f, means[labels[r]][f] + (float) (1.5 * random.nextGaussian()));
            }
        }
        List<String> names = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            names.add(String.format("f%02d", f)); // Tribuo orders features by name: this keeps the columns' order
        }
        List<String> labelNames = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            labelNames.add("c" + c);
        }
        return new TrainingSet(x, labels, names, labelNames);
    }

    record Pair(TribuoExpert tribuo, Expert own, XGBoostScorer scorer, Booster booster) {
    }

    /** A Tribuo XGBoost expert, and the same booster saved as JSON and loaded by the xgboost provider. */
    Pair pair(TrainingSet data, int trees, int depth) throws Exception {
        ExpertSpec tribuoSpec = new ExpertSpec("t", TribuoExpertProvider.NAME, new Parameters("experts[t].params",
                Map.of("algorithm", "xgboost", "trees", trees, "max-depth", depth, "probabilities", "scores")), dir, 3L);
        TribuoExpert tribuo = (TribuoExpert) new TribuoExpertProvider().train(tribuoSpec, data);
        Field models = XGBoostModel.class.getDeclaredField("models");
        models.setAccessible(true);
        Booster booster = (Booster) ((List<?>) models.get(tribuo.model())).get(0);
        Files.write(dir.resolve("tribuo.json"), booster.toByteArray("json"));
        // Tribuo's label ids are the labels' order of first appearance; name the classes in its output order.
        List<String> labels = new ArrayList<>();
        for (int id = 0; id < tribuo.model().getOutputIDInfo().size(); id++) {
            labels.add(tribuo.model().getOutputIDInfo().getOutput(id).getLabel());
        }
        ExpertSpec ownSpec = new ExpertSpec("x", XGBoostExpertProvider.NAME, new Parameters("experts[x].params",
                Map.of("model", "tribuo.json", "features", data.featureNames(), "labels", labels)), dir, 3L);
        Expert own = new XGBoostExpertProvider().load(ownSpec);
        XGBoostScorer scorer = XGBoostScorer.of(tribuo.model());
        assertTrue(scorer != null);
        return new Pair(tribuo, own, scorer, booster);
    }

    /** The scorer's probabilities, columns in the own expert's label order. */
    static FloatMatrix scorerProbabilities(Pair pair, FloatMatrix x) {
        int[] direct = XGBoostScorer.directColumns(pair.tribuo().model().getFeatureIDMap(), pair.own().featureNames());
        float[][] p = pair.scorer().probabilities(x.values(), x.columns(), 0, x.rows(), direct);
        FloatMatrix out = FloatMatrix.zeros(x.rows(), p[0].length);
        for (int r = 0; r < x.rows(); r++) {
            for (int c = 0; c < p[r].length; c++) {
                out.set(r, c, p[r][c]);
            }
        }
        return out;
    }

    @Test
    void theSameTreesGiveTheSameProbabilitiesAsXGBoostsNativePredictor() throws Exception {
        TrainingSet data = synthetic(2000, 16, 4, 5);
        Pair pair = pair(data, 30, 6);
        FloatMatrix x = synthetic(500, 16, 4, 6).features();
        FloatMatrix theirs = scorerProbabilities(pair, x);
        FloatMatrix ours = pair.own().predict(x);
        float worst = 0;
        for (int i = 0; i < ours.values().length; i++) {
            assertEquals(theirs.values()[i], ours.values()[i], 1e-6f, "value " + i);
            worst = Math.max(worst, Math.abs(theirs.values()[i] - ours.values()[i]));
        }
        assertEquals("1.6.2", pair.own().provenance().get("xgboost-version"));
        System.out.println("Tribuo-trained trees (xgboost4j 1.6.2's JSON): largest difference " + worst);
    }

    @Test
    @EnabledIfSystemProperty(named = "moe.speed", matches = "true")
    void rowsPerSecondOnTheSameTrees() throws Exception {
        TrainingSet data = synthetic(20000, 16, 4, 5);
        for (int[] shape : new int[][] {{50, 4}, {200, 6}}) {
            Pair pair = pair(data, shape[0], shape[1]);
            FloatMatrix x = synthetic(8192, 16, 4, 9).features();
            double[] scorer = new double[2];
            double own = 0;
            for (int threads : new int[] {Runtime.getRuntime().availableProcessors(), 1}) {
                pair.booster().setParam("nthread", threads);
                for (int round = 0; round < 7; round++) { // the best of 7, after the first two (warm-up)
                    long t0 = System.nanoTime();
                    scorerProbabilities(pair, x);
                    long t1 = System.nanoTime();
                    pair.own().predict(x);
                    long t2 = System.nanoTime();
                    if (round >= 2) {
                        int i = threads == 1 ? 1 : 0;
                        scorer[i] = Math.max(scorer[i], x.rows() / ((t1 - t0) / 1e9));
                        own = Math.max(own, x.rows() / ((t2 - t1) / 1e9));
                    }
                }
            }
            System.out.printf("%d trees x 4 classes, depth %d, %d nodes, block of %d rows: XGBoostScorer (xgboost4j"
                    + " 1.6.2) %.0f rows/s on %d threads, %.0f on 1; xgboost provider (Java, 1 thread) %.0f rows/s%n",
                    shape[0], shape[1], Integer.parseInt(pair.own().provenance().get("nodes")), x.rows(), scorer[0],
                    Runtime.getRuntime().availableProcessors(), scorer[1], own);
        }
    }
}
