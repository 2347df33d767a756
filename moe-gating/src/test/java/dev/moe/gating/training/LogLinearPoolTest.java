package dev.moe.gating.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogLinearPoolTest {

    /** Rows whose label is drawn from a known distribution over 3 labels. */
    private static final class Draws {
        final float[] truth;
        final int[] labels;

        Draws(int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            truth = new float[n * 3];
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                double[] w = {r.nextDouble() * 4, r.nextDouble(), r.nextDouble()};
                shuffle(w, r);
                double s = w[0] + w[1] + w[2];
                double u = r.nextDouble() * s;
                labels[i] = u < w[0] ? 0 : u < w[0] + w[1] ? 1 : 2;
                for (int j = 0; j < 3; j++) {
                    truth[i * 3 + j] = (float) (w[j] / s);
                }
            }
        }

        private static void shuffle(double[] w, SplittableRandom r) {
            for (int i = w.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double t = w[i];
                w[i] = w[j];
                w[j] = t;
            }
        }
    }

    @Test
    void anExpertThatGivesTheTrueProbabilitiesGetsAnExponentOfOne() {
        Draws d = new Draws(20_000, 1);
        LogLinearPool.Fit fit = LogLinearPool.fit(List.of(new FloatMatrix(d.labels.length, 3, d.truth)), d.labels);
        assertEquals(1.0, fit.exponents()[0], 0.05);
    }

    @Test
    void anAlwaysWrongExpertGetsNothingAndAnOverConfidentOneIsSoftened() {
        Draws d = new Draws(5000, 2);
        int n = d.labels.length;
        float[] sharp = new float[n * 3];
        float[] contrarian = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                s += Math.pow(d.truth[i * 3 + j], 3);
            }
            for (int j = 0; j < 3; j++) {
                sharp[i * 3 + j] = (float) (Math.pow(d.truth[i * 3 + j], 3) / s); // the truth cubed: too sure
                contrarian[i * 3 + j] = (1 - d.truth[i * 3 + j]) / 2;
            }
        }
        LogLinearPool.Fit fit = LogLinearPool.fit(List.of(new FloatMatrix(n, 3, sharp), new FloatMatrix(n, 3, contrarian)), d.labels);
        // (truth^3)^(1/3) is the truth: the exponent undoes the over-confidence.
        assertEquals(1 / 3.0, fit.exponents()[0], 0.03);
        assertEquals(0.0, fit.exponents()[1], 0.02);
    }

    @Test
    void theFitIsAConstrainedOptimumOfTheLikelihood() {
        Draws d = new Draws(3000, 3);
        int n = d.labels.length;
        SplittableRandom r = new SplittableRandom(4);
        List<FloatMatrix> experts = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
            float[] p = new float[n * 3];
            for (int i = 0; i < n; i++) {
                double s = 0;
                double[] v = new double[3];
                for (int j = 0; j < 3; j++) {
                    // Each expert: the truth blurred by its own noise, some far noisier than others.
                    v[j] = d.truth[i * 3 + j] * Math.exp(r.nextGaussian() * (0.3 + k)) + 1e-3;
                    s += v[j];
                }
                for (int j = 0; j < 3; j++) {
                    p[i * 3 + j] = (float) (v[j] / s);
                }
            }
            experts.add(new FloatMatrix(n, 3, p));
        }
        LogLinearPool.Fit fit = LogLinearPool.fit(experts, d.labels);
        double[] a = fit.exponents();
        double at = loss(experts, d.labels, a);
        assertEquals(at, fit.loss(), 1e-9);
        assertTrue(at <= loss(experts, d.labels, new double[] {0.25, 0.25, 0.25, 0.25}));
        // Karush-Kuhn-Tucker, by central differences of an independent loss: zero slope where an exponent is
        // positive, no descent into the allowed side where it is 0.
        for (int k = 0; k < a.length; k++) {
            double h = 1e-5;
            double[] up = a.clone();
            up[k] += h;
            double[] down = a.clone();
            down[k] = Math.max(0, down[k] - h);
            double slope = (loss(experts, d.labels, up) - loss(experts, d.labels, down)) / (up[k] - down[k]);
            if (a[k] > 1e-4) {
                assertEquals(0, slope, 1e-5, "exponent " + k + " = " + a[k]);
            } else {
                assertTrue(slope > -1e-5, "exponent " + k + " at 0 with slope " + slope);
            }
        }
        assertTrue(a[0] > a[3], "the least noisy expert counts more: " + java.util.Arrays.toString(a));
    }

    @Test
    void anUnderConfidentExpertIsSharpenedFarFromTheStartAndEveryStepLowersTheLoss() {
        // The truth to the power 1/4, normalised: exponent 4 undoes it, far from the start at 1 where a full Newton
        // step overshoots and the line search must shorten it.
        Draws d = new Draws(5000, 5);
        int n = d.labels.length;
        float[] soft = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                s += Math.pow(d.truth[i * 3 + j], 0.25);
            }
            for (int j = 0; j < 3; j++) {
                soft[i * 3 + j] = (float) (Math.pow(d.truth[i * 3 + j], 0.25) / s);
            }
        }
        List<FloatMatrix> experts = List.of(new FloatMatrix(n, 3, soft));
        LogLinearPool.Fit fit = LogLinearPool.fit(experts, d.labels);
        assertEquals(4, fit.exponents()[0], 0.2);
        assertHistoryDescends(fit, experts, d.labels);
    }

    @Test
    void anOverConfidentExpertIsSoftenedWithoutAStepThatRaisesTheLoss() {
        // The truth to the power 2.5: exponent 0.4 undoes it. A full Newton step from 1 goes below 0, and the bound
        // puts it at 0, where the loss (log 3, every label equal) is above the start's: the line search must shorten it.
        Draws d = new Draws(5000, 8);
        int n = d.labels.length;
        float[] sharp = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                s += Math.pow(d.truth[i * 3 + j], 2.5);
            }
            for (int j = 0; j < 3; j++) {
                sharp[i * 3 + j] = (float) (Math.pow(d.truth[i * 3 + j], 2.5) / s);
            }
        }
        List<FloatMatrix> experts = List.of(new FloatMatrix(n, 3, sharp));
        LogLinearPool.Fit fit = LogLinearPool.fit(experts, d.labels);
        assertTrue(fit.lossHistory()[0] < Math.log(3), "the start is better than exponent 0");
        assertEquals(0.4, fit.exponents()[0], 0.03);
        assertHistoryDescends(fit, experts, d.labels);
    }

    @Test
    void anExpertHeldAtZeroDoesNotBendTheOthersExponents() {
        // A calibrated expert, a noisy copy of it, and one sure of a wrong label on every row (any exponent above 0
        // moves mass to that label): the wrong one sits at 0 and the other two must be the pool's optimum without it.
        Draws d = new Draws(4000, 6);
        int n = d.labels.length;
        SplittableRandom r = new SplittableRandom(7);
        float[] noisy = new float[n * 3];
        float[] contrarian = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double s = 0;
            double[] v = new double[3];
            for (int j = 0; j < 3; j++) {
                v[j] = d.truth[i * 3 + j] * Math.exp(r.nextGaussian()) + 1e-3;
                s += v[j];
            }
            for (int j = 0; j < 3; j++) {
                noisy[i * 3 + j] = (float) (v[j] / s);
            }
            int wrong = (d.labels[i] + 1 + r.nextInt(2)) % 3;
            for (int j = 0; j < 3; j++) {
                contrarian[i * 3 + j] = j == wrong ? 0.98f : 0.01f;
            }
        }
        FloatMatrix truth = new FloatMatrix(n, 3, d.truth);
        FloatMatrix noise = new FloatMatrix(n, 3, noisy);
        List<FloatMatrix> three = List.of(truth, noise, new FloatMatrix(n, 3, contrarian));
        LogLinearPool.Fit fit = LogLinearPool.fit(three, d.labels);
        LogLinearPool.Fit two = LogLinearPool.fit(List.of(truth, noise), d.labels);
        assertEquals(0, fit.exponents()[2], 0);
        assertEquals(two.exponents()[0], fit.exponents()[0], 1e-5);
        assertEquals(two.exponents()[1], fit.exponents()[1], 1e-5);
        assertEquals(two.loss(), fit.loss(), 1e-12);
        assertHistoryDescends(fit, three, d.labels);
    }

    /** The history starts at equal exponents, ends at the fit's loss, and each accepted step lowered the loss. */
    private static void assertHistoryDescends(LogLinearPool.Fit fit, List<FloatMatrix> experts, int[] labels) {
        double[] history = fit.lossHistory();
        double[] equal = new double[experts.size()];
        java.util.Arrays.fill(equal, 1.0 / experts.size());
        assertEquals(loss(experts, labels, equal), history[0], 1e-9);
        assertEquals(loss(experts, labels, fit.exponents()), fit.loss(), 1e-9);
        for (int i = 1; i < history.length; i++) {
            assertTrue(history[i] < history[i - 1], "step " + i + ": " + java.util.Arrays.toString(history));
        }
    }

    private static double loss(List<FloatMatrix> experts, int[] labels, double[] a) {
        double total = 0;
        int c = experts.get(0).columns();
        for (int i = 0; i < labels.length; i++) {
            double[] z = new double[c];
            for (int k = 0; k < experts.size(); k++) {
                for (int j = 0; j < c; j++) {
                    z[j] += a[k] * Math.log(Math.max(experts.get(k).get(i, j), 1e-7));
                }
            }
            double max = java.util.Arrays.stream(z).max().getAsDouble();
            double s = 0;
            for (double v : z) {
                s += Math.exp(v - max);
            }
            total += max + Math.log(s) - z[labels[i]];
        }
        return total / labels.length;
    }
}
