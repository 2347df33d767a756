package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.routing.ProductRouting;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalPoolTest {

    private static final int M = GateInputs.SIGNALS_PER_EXPERT;

    private static FloatMatrix standardisedSignals(GateData data) {
        FloatMatrix signals = GateInputs.SIGNALS.build(data.features(), data.expertProbabilities());
        return FeatureScaler.fit(signals).apply(signals);
    }

    @Test
    void withTheSlopesHeldAtZeroItIsTheProduct() {
        GateData data = sureWhenRight(600, 5);
        LogLinearPool.Fit product = LogLinearPool.fit(data.expertProbabilities(), data.labels());
        // The start (slopes 0) is the product's optimum, and a penalty too large to move the slopes keeps it there.
        SignalPool.Fit held = SignalPool.fit(data.expertProbabilities(), standardisedSignals(data), M, data.labels(),
                product.exponents(), 1e12);
        assertEquals(product.loss(), held.lossHistory()[0], 1e-12);
        assertEquals(product.loss(), held.loss(), 1e-9);
        for (int k = 0; k < 2; k++) {
            assertEquals(Math.log(product.exponents()[k]), held.bias()[k], 1e-4);
            for (double w : held.slopes()[k]) {
                assertEquals(0, w, 1e-9);
            }
        }
    }

    /**
     * Three labels. Expert A is right exactly when it is sure: 0.9 on the true label on half of the rows, 0.6 on a
     * wrong one on the others. Expert B is the same on every row: 0.5 on its answer, right on 70% of the rows.
     */
    static GateData sureWhenRight(int n, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int[] labels = new int[n];
        FloatMatrix a = FloatMatrix.zeros(n, 3);
        FloatMatrix b = FloatMatrix.zeros(n, 3);
        for (int r = 0; r < n; r++) {
            labels[r] = random.nextInt(3);
            int wrong = (labels[r] + 1 + random.nextInt(2)) % 3;
            boolean sure = random.nextBoolean();
            for (int j = 0; j < 3; j++) {
                a.set(r, j, sure ? (j == labels[r] ? 0.9f : 0.05f) : (j == wrong ? 0.6f : 0.2f));
            }
            int answer = random.nextDouble() < 0.7 ? labels[r] : (labels[r] + 1 + random.nextInt(2)) % 3;
            for (int j = 0; j < 3; j++) {
                b.set(r, j, j == answer ? 0.5f : 0.25f);
            }
        }
        return new GateData(FloatMatrix.zeros(n, 1), labels, List.of(a, b));
    }

    @Test
    void anExpertRightExactlyWhenConfidentGetsTheLargerExponentWhereItIsSure() {
        // No row-independent exponents can use A's confidence: the product gives it one exponent for both kinds of row.
        GateData data = sureWhenRight(3000, 6);
        LogLinearPool.Fit product = LogLinearPool.fit(data.expertProbabilities(), data.labels());
        FloatMatrix signals = standardisedSignals(data);
        SignalPool.Fit fit = SignalPool.fit(data.expertProbabilities(), signals, M, data.labels(), product.exponents(),
                SignalPool.DEFAULT_PENALTY);
        assertTrue(fit.loss() < product.loss() - 0.1, fit.loss() + " against the product's " + product.loss());
        FloatMatrix a = data.expertProbabilities().get(0);
        double sure = Double.NaN;
        double unsure = Double.NaN;
        for (int r = 0; r < data.rows(); r++) {
            double logExponent = fit.bias()[0];
            for (int i = 0; i < M; i++) {
                logExponent += fit.slopes()[0][i] * signals.get(r, i);
            }
            if (a.get(r, 0) > 0.8f || a.get(r, 1) > 0.8f || a.get(r, 2) > 0.8f) {
                sure = logExponent;
            } else {
                unsure = logExponent;
            }
        }
        // At least e times the exponent where it is sure.
        assertTrue(sure - unsure > 1, "log-exponent where sure " + sure + ", where not " + unsure);
        assertTrue(fit.slopes()[0][0] > 0, "slope on A's top probability " + fit.slopes()[0][0]);
    }

    @Test
    void theFitIsAStationaryPointOfThePenalisedLikelihood() {
        // By central differences of an independent penalised loss: zero slope in every bias and every slope.
        GateData data = sureWhenRight(1500, 8);
        LogLinearPool.Fit product = LogLinearPool.fit(data.expertProbabilities(), data.labels());
        FloatMatrix signals = standardisedSignals(data);
        double penalty = SignalPool.DEFAULT_PENALTY;
        SignalPool.Fit fit = SignalPool.fit(data.expertProbabilities(), signals, M, data.labels(), product.exponents(), penalty);
        double[][] theta = new double[2][1 + M];
        for (int k = 0; k < 2; k++) {
            theta[k][0] = fit.bias()[k];
            System.arraycopy(fit.slopes()[k], 0, theta[k], 1, M);
        }
        assertEquals(penalisedLoss(data, signals, theta, penalty), fit.loss(), 1e-9);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i <= M; i++) {
                double h = 1e-5;
                double old = theta[k][i];
                theta[k][i] = old + h;
                double up = penalisedLoss(data, signals, theta, penalty);
                theta[k][i] = old - h;
                double down = penalisedLoss(data, signals, theta, penalty);
                theta[k][i] = old;
                assertEquals(0, (up - down) / (2 * h), 1e-6, "expert " + k + " parameter " + i);
            }
        }
        double[] history = fit.lossHistory();
        for (int i = 1; i < history.length; i++) {
            assertTrue(history[i] < history[i - 1], "step " + i + ": " + java.util.Arrays.toString(history));
        }
    }

    /** The mean negative log-likelihood of the signal pool at these parameters plus penalty / 2 * sum of slopes^2. */
    private static double penalisedLoss(GateData data, FloatMatrix signals, double[][] theta, double penalty) {
        List<FloatMatrix> q = data.expertProbabilities();
        int c = q.get(0).columns();
        double total = 0;
        for (int r = 0; r < data.rows(); r++) {
            double[] z = new double[c];
            for (int k = 0; k < q.size(); k++) {
                double logExponent = theta[k][0];
                for (int i = 0; i < M; i++) {
                    logExponent += theta[k][1 + i] * signals.get(r, k * M + i);
                }
                for (int j = 0; j < c; j++) {
                    z[j] += Math.exp(logExponent) * Math.log(Math.max(q.get(k).get(r, j), 1e-7));
                }
            }
            double max = java.util.Arrays.stream(z).max().getAsDouble();
            double s = 0;
            for (double v : z) {
                s += Math.exp(v - max);
            }
            total += max + Math.log(s) - z[data.labels()[r]];
        }
        double squares = 0;
        for (double[] expert : theta) {
            for (int i = 1; i < expert.length; i++) {
                squares += expert[i] * expert[i];
            }
        }
        return total / data.rows() + penalty / 2 * squares;
    }

    @Test
    void noPenaltyIsAllowed() {
        GateData data = sureWhenRight(400, 9);
        LogLinearPool.Fit product = LogLinearPool.fit(data.expertProbabilities(), data.labels());
        SignalPool.Fit free = SignalPool.fit(data.expertProbabilities(), standardisedSignals(data), M, data.labels(),
                product.exponents(), 0);
        assertTrue(free.loss() < product.loss(), free.loss() + " against the product's " + product.loss());
        assertThrows(IllegalArgumentException.class, () -> SignalPool.fit(data.expertProbabilities(), standardisedSignals(data), M,
                data.labels(), product.exponents(), -0.1));
    }

    @Test
    void anExpertTheProductDroppedStaysDropped() {
        GateData data = sureWhenRight(400, 7);
        SignalPool.Fit fit = SignalPool.fit(data.expertProbabilities(), standardisedSignals(data), M, data.labels(),
                new double[] {0.8, 0}, SignalPool.DEFAULT_PENALTY);
        assertTrue(fit.bias()[1] < -60, String.valueOf(fit.bias()[1]));
        // Stored as the product stores an exponent of 0: a finite logit, so a saved gate holds no infinity.
        assertEquals(ProductRouting.logitOf(0), fit.bias()[1]);
        assertEquals(List.of(0.0, 0.0, 0.0), java.util.Arrays.stream(fit.slopes()[1]).boxed().toList());
    }
}
