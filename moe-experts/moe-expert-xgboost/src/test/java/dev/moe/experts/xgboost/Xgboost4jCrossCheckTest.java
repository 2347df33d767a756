package dev.moe.experts.xgboost;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The same files read by xgboost4j 1.6.2, the XGBoost that Tribuo pins and moe therefore has on its class path: moe's
 * own evaluation gives what XGBoost's native code gives, row for row; and 1.6.2 misreads the 3.x spelling of
 * base_score (one reason moe reads the files itself).
 */
class Xgboost4jCrossCheckTest {

    static Booster xgboost4j(String file) throws IOException, XGBoostError {
        try (InputStream in = Files.newInputStream(XGBoostExpertProviderTest.FIXTURES.resolve(file))) {
            return XGBoost.loadModel(in);
        }
    }

    /** xgboost4j's probabilities; for multi:softmax (it predicts a class) the softmax of its margins. */
    static FloatMatrix probabilities(Booster booster, FloatMatrix x, boolean softmax, boolean binary) throws XGBoostError {
        DMatrix matrix = new DMatrix(x.values(), x.rows(), x.columns(), Float.NaN);
        try {
            float[][] out = booster.predict(matrix, softmax);
            int classes = binary ? 2 : out[0].length;
            FloatMatrix p = FloatMatrix.zeros(x.rows(), classes);
            for (int r = 0; r < x.rows(); r++) {
                if (binary) {
                    p.set(r, 0, 1 - out[r][0]);
                    p.set(r, 1, out[r][0]);
                } else if (softmax) {
                    double max = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    for (float v : out[r]) {
                        max = Math.max(max, v);
                    }
                    for (float v : out[r]) {
                        sum += Math.exp(v - max);
                    }
                    for (int c = 0; c < classes; c++) {
                        p.set(r, c, (float) (Math.exp(out[r][c] - max) / sum));
                    }
                } else {
                    for (int c = 0; c < classes; c++) {
                        p.set(r, c, out[r][c]);
                    }
                }
            }
            return p;
        } finally {
            matrix.dispose();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wine-softprob", "wine-softmax", "wine-missing", "wine-dart", "wine-forest", "pima-binary-named",
            "vehicle-classifier"})
    void moeAndXgboost4jGiveTheSameProbabilities(String name) throws Exception {
        Expected expected = Expected.read(XGBoostExpertProviderTest.FIXTURES.resolve(name + ".expected.csv"));
        byte[] bytes = Files.readAllBytes(XGBoostExpertProviderTest.FIXTURES.resolve(name + ".json"));
        XGBoostExpert moe = XGBoostExpertProvider.open("e1", bytes, name, expected.names(), null, false, null);
        FloatMatrix ours = moe.predict(expected.features());
        Booster booster = xgboost4j(name + ".json");
        try {
            FloatMatrix theirs = probabilities(booster, expected.features(), name.equals("wine-softmax"),
                    name.startsWith("pima"));
            float worst = XGBoostExpertProviderTest.assertClose(theirs, ours, XGBoostExpertProviderTest.TOLERANCE);
            System.out.println(name + ": largest difference from xgboost4j 1.6.2 " + worst);
        } finally {
            booster.dispose();
        }
    }

    @Test
    void aUbjsonFileOfXGBoost174GivesWhatXgboost4jGivesOnIt() throws Exception {
        // wine-small.ubj: Python's XGBoost 1.7.4 saved it as UBJSON (2 rounds, no expected rows of its own): moe's
        // UBJSON reader against xgboost4j's on wine's rows
        Expected expected = Expected.read(XGBoostExpertProviderTest.FIXTURES.resolve("wine-missing.expected.csv"));
        byte[] bytes = Files.readAllBytes(XGBoostExpertProviderTest.FIXTURES.resolve("wine-small.ubj"));
        FloatMatrix ours = XGBoostExpertProvider.open("e1", bytes, "wine-small.ubj", expected.names(), null, false, null)
                .predict(expected.features());
        Booster booster = XGBoost.loadModel(bytes);
        try {
            FloatMatrix theirs = probabilities(booster, expected.features(), false, false);
            float worst = XGBoostExpertProviderTest.assertClose(theirs, ours, XGBoostExpertProviderTest.TOLERANCE);
            System.out.println("wine-small.ubj: largest difference from xgboost4j 1.6.2 " + worst);
        } finally {
            booster.dispose();
        }
    }

    @Test
    void xgboost4j162MisreadsTheBaseScoreXGBoost3Writes() throws Exception {
        // A binary model whose base_score is 0.25 (2.x estimates it from the labels), spelled as 1.x/2.x ("2.5E-1") and
        // as 3.x ("[2.5E-1]"): moe reads both alike; xgboost4j 1.6.2 loads the second without a word, and predicts
        // other probabilities.
        String original = Files.readString(XGBoostExpertProviderTest.FIXTURES.resolve("pima-binary-named.json"));
        Expected expected = Expected.read(XGBoostExpertProviderTest.FIXTURES.resolve("pima-binary-named.expected.csv"));
        FloatMatrix[] moe = new FloatMatrix[2];
        FloatMatrix[] xgb = new FloatMatrix[2];
        String[] spellings = {"\"base_score\":\"2.5E-1\"", "\"base_score\":\"[2.5E-1]\""};
        for (int i = 0; i < 2; i++) {
            byte[] bytes = original.replace("\"base_score\":\"5E-1\"", spellings[i]).getBytes();
            moe[i] = XGBoostExpertProvider.open("e1", bytes, "edited", null, null, false, null).predict(expected.features());
            Booster booster = XGBoost.loadModel(bytes);
            try {
                xgb[i] = probabilities(booster, expected.features(), false, true);
            } finally {
                booster.dispose();
            }
        }
        XGBoostExpertProviderTest.assertClose(moe[0], moe[1], 0f);
        XGBoostExpertProviderTest.assertClose(xgb[0], moe[0], XGBoostExpertProviderTest.TOLERANCE);
        float worst = 0;
        for (int i = 0; i < xgb[1].values().length; i++) {
            worst = Math.max(worst, Math.abs(xgb[1].values()[i] - moe[1].values()[i]));
        }
        System.out.println("xgboost4j 1.6.2 on base_score [2.5E-1]: largest difference " + worst + "; row 0: "
                + xgb[1].get(0, 1) + " against " + moe[1].get(0, 1));
        assertTrue(worst > 0.05, "xgboost4j 1.6.2 now reads [2.5E-1] right: " + worst);
    }
}
