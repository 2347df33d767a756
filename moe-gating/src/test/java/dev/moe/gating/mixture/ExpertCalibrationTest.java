package dev.moe.gating.mixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExpertCalibrationTest {

    /** An expert that puts probability 1 on its answer and is right on {@code accuracy} of the rows (3 labels). */
    private static FloatMatrix overConfident(int n, double accuracy, int[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FloatMatrix p = FloatMatrix.zeros(n, 3);
        for (int r = 0; r < n; r++) {
            labels[r] = random.nextInt(3);
            int answer = random.nextDouble() < accuracy ? labels[r] : (labels[r] + 1 + random.nextInt(2)) % 3;
            p.set(r, answer, 1f);
        }
        return p;
    }

    @Test
    void aHardZeroOneExpertGetsAFloorNearItsErrorRate() {
        int[] labels = new int[3000];
        FloatMatrix p = overConfident(3000, 0.7, labels, 1);
        ExpertCalibration c = ExpertCalibration.fit(p, labels);
        assertTrue(c.floor() > 0, "a floor is needed: log(0) on every wrong row");
        // The best calibrated probability of its answer is its accuracy, 0.7: (1 - floor) + floor / 3 = 0.7.
        float top = c.apply(p).get(0, p.argMaxOfRow(0));
        assertEquals(0.7, top, 0.05);
        assertTrue(c.loss(p, labels) < 0.85, "log-loss " + c.loss(p, labels));
    }

    @Test
    void anOverConfidentSoftExpertIsSoftenedAndAnUnderConfidentOneSharpened() {
        // Logits scaled by 3 (over-confident) or by 1/3 (under-confident) from a calibrated source.
        SplittableRandom random = new SplittableRandom(2);
        int n = 4000;
        int[] labels = new int[n];
        FloatMatrix over = FloatMatrix.zeros(n, 2);
        FloatMatrix under = FloatMatrix.zeros(n, 2);
        FloatMatrix truth = FloatMatrix.zeros(n, 2);
        for (int r = 0; r < n; r++) {
            double z = random.nextGaussian() * 2;
            double p1 = 1 / (1 + Math.exp(-z));
            labels[r] = random.nextDouble() < p1 ? 1 : 0;
            double o = 1 / (1 + Math.exp(-3 * z));
            double u = 1 / (1 + Math.exp(-z / 3));
            over.set(r, 1, (float) o);
            over.set(r, 0, (float) (1 - o));
            under.set(r, 1, (float) u);
            under.set(r, 0, (float) (1 - u));
            truth.set(r, 1, (float) p1);
            truth.set(r, 0, (float) (1 - p1));
        }
        double best = ExpertCalibration.IDENTITY.loss(truth, labels);
        ExpertCalibration softened = ExpertCalibration.fit(over, labels);
        ExpertCalibration sharpened = ExpertCalibration.fit(under, labels);
        // Temperature and floor both soften, so they share the work; the loss ends at the true probabilities' loss.
        assertTrue(softened.temperature() > 1.8, softened.toString());
        assertTrue(sharpened.temperature() < 0.45, sharpened.toString());
        assertEquals(best, softened.loss(over, labels), 0.005);
        assertEquals(best, sharpened.loss(under, labels), 0.005);
        assertTrue(ExpertCalibration.IDENTITY.loss(over, labels) > best + 0.05);
    }

    @Test
    void calibratedRowsSumToOneAndKeepTheExpertsRanking() {
        FloatMatrix p = new FloatMatrix(2, 3, new float[] {0.7f, 0.2f, 0.1f, 0f, 0f, 1f});
        FloatMatrix q = new ExpertCalibration(2.0, 0.1).apply(p);
        for (int r = 0; r < 2; r++) {
            assertEquals(1.0, q.get(r, 0) + q.get(r, 1) + q.get(r, 2), 1e-6);
        }
        assertTrue(q.get(0, 0) > q.get(0, 1) && q.get(0, 1) > q.get(0, 2));
        // p^(1/2) normalised: 0.837, 0.447, 0.316 over 1.600; times 0.9, plus 0.1 / 3.
        assertEquals(0.9 * Math.sqrt(0.7) / (Math.sqrt(0.7) + Math.sqrt(0.2) + Math.sqrt(0.1)) + 0.1 / 3, q.get(0, 0), 1e-6);
        assertEquals(0.1 / 3, q.get(1, 0), 1e-6);
        assertEquals(ExpertCalibration.IDENTITY.apply(p), p);
    }

    @Test
    void aWellCalibratedExpertStaysNearTheIdentity() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 5000;
        int[] labels = new int[n];
        FloatMatrix p = FloatMatrix.zeros(n, 2);
        for (int r = 0; r < n; r++) {
            double p1 = random.nextDouble();
            labels[r] = random.nextDouble() < p1 ? 1 : 0;
            p.set(r, 1, (float) p1);
            p.set(r, 0, (float) (1 - p1));
        }
        ExpertCalibration c = ExpertCalibration.fit(p, labels);
        assertEquals(1, c.temperature(), 0.15);
        assertTrue(c.floor() <= 0.03, "floor " + c.floor());
        double identity = ExpertCalibration.IDENTITY.loss(p, labels);
        assertTrue(c.loss(p, labels) <= identity && c.loss(p, labels) > identity - 0.005);
    }

    @Test
    void theFitFindsALossAsLowAsTheTrueTemperatures() {
        // Three labels, logits scaled by 3 from the labels' true distribution: temperature 3 and no floor undo it
        // exactly, so the fit on these rows must reach at least that loss.
        SplittableRandom random = new SplittableRandom(4);
        int n = 3000;
        int[] labels = new int[n];
        FloatMatrix over = FloatMatrix.zeros(n, 3);
        for (int r = 0; r < n; r++) {
            double[] z = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double trueSum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
            double u = random.nextDouble() * trueSum;
            labels[r] = u < Math.exp(z[0]) ? 0 : u < Math.exp(z[0]) + Math.exp(z[1]) ? 1 : 2;
            double overSum = Math.exp(3 * z[0]) + Math.exp(3 * z[1]) + Math.exp(3 * z[2]);
            for (int j = 0; j < 3; j++) {
                over.set(r, j, (float) (Math.exp(3 * z[j]) / overSum));
            }
        }
        ExpertCalibration c = ExpertCalibration.fit(over, labels);
        assertTrue(c.loss(over, labels) <= new ExpertCalibration(3, 0).loss(over, labels) + 1e-5,
                c + " " + c.loss(over, labels) + " against " + new ExpertCalibration(3, 0).loss(over, labels));
        assertEquals(3, c.temperature(), 0.3);
        // Temperature and floor keep each row's order, so the calibrated expert predicts the same labels.
        FloatMatrix q = c.apply(over);
        for (int r = 0; r < n; r++) {
            assertEquals(over.argMaxOfRow(r), q.argMaxOfRow(r), "row " + r);
        }
    }

    @Test
    void onlyTemperatureOneWithoutAFloorLeavesTheProbabilitiesAlone() {
        FloatMatrix p = new FloatMatrix(1, 2, new float[] {0.8f, 0.2f});
        // A temperature alone (a floor of 0 is allowed): 0.8^(1/2) / (0.8^(1/2) + 0.2^(1/2)) = 2/3.
        assertEquals(2 / 3.0, new ExpertCalibration(2, 0).apply(p).get(0, 0), 1e-6);
        // A floor alone: 0.9 x 0.8 + 0.1 / 2.
        assertEquals(0.77, new ExpertCalibration(1, 0.1).apply(p).get(0, 0), 1e-6);
        assertTrue(ExpertCalibration.IDENTITY.isIdentity());
        assertTrue(!new ExpertCalibration(2, 0).isIdentity() && !new ExpertCalibration(1, 0.1).isIdentity());
    }

    @Test
    void aRowWithNoMassOnTheDataSetsLabelsBecomesUniform() {
        // An expert whose labels the data set mostly lacks can give a row 0 on every label the data set has.
        FloatMatrix q = new ExpertCalibration(2, 0.1).apply(new FloatMatrix(1, 4, new float[4]));
        assertEquals(java.util.List.of(0.25f, 0.25f, 0.25f, 0.25f),
                java.util.List.of(q.get(0, 0), q.get(0, 1), q.get(0, 2), q.get(0, 3)));
    }

    /** The calibration's formula by Math.pow, in double: what {@link ExpertCalibration#apply} must give to float precision. */
    private static double[] reference(FloatMatrix p, double temperature, double floor) {
        int c = p.columns();
        double[] out = new double[p.values().length];
        for (int r = 0; r < p.rows(); r++) {
            // (p / max p)^(1/T): the same ratios as p^(1/T), without underflow where every p of a row is tiny.
            double max = 0;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, p.get(r, j));
            }
            double[] powered = new double[c];
            double sum = 0;
            for (int j = 0; j < c; j++) {
                float v = p.get(r, j);
                powered[j] = v > 0 ? Math.pow(v / max, 1 / temperature) : 0;
                sum += powered[j];
            }
            for (int j = 0; j < c; j++) {
                out[r * c + j] = (1 - floor) * (sum > 0 ? powered[j] / sum : 1.0 / c) + floor / c;
            }
        }
        return out;
    }

    @Test
    void theCalibrationMatchesTheFormulaAtEdgeValuesAndTheTemperaturesBounds() {
        // Edge rows (p = 0, p = 1, tiny and subnormal p, no mass at all: [1e-30, 0, 0] at T = 0.05 underflowed to
        // uniform before such a row was divided by its largest p) and random rows of 2 to 10 labels, some with zeros.
        float[][] edges = {
            {1f, 0f, 0f}, {0f, 0f, 0f}, {1e-30f, 0f, 0f}, {Float.MIN_VALUE, 0f, 1e-7f}, {0.5f, 0.5f, 0f},
            {1e-7f, 1e-20f, 1f - 1e-7f}, {Float.MIN_NORMAL, Float.MIN_VALUE, 1e-38f}, {0.999f, 1e-3f, 0f},
        };
        SplittableRandom random = new SplittableRandom(11);
        for (int labels : new int[] {2, 3, 10}) {
            int n = labels == 3 ? 3000 : 300;
            float[] v = new float[n * labels];
            for (int r = 0; r < n; r++) {
                if (labels == 3 && r < edges.length) {
                    System.arraycopy(edges[r], 0, v, r * 3, 3);
                    continue;
                }
                double sum = 0;
                double[] raw = new double[labels];
                boolean close = r % 2 == 0;
                for (int j = 0; j < labels; j++) {
                    // Half the rows log-uniform over 30 decades, a tenth of those 0; half uniform, their ratios often
                    // near 1, where a low temperature magnifies any rounding most.
                    raw[j] = close ? random.nextDouble() : random.nextDouble() < 0.1 ? 0 : Math.pow(10, -30 * random.nextDouble());
                    sum += raw[j];
                }
                for (int j = 0; j < labels; j++) {
                    v[r * labels + j] = sum > 0 ? (float) (raw[j] / sum) : 0f;
                }
            }
            FloatMatrix p = new FloatMatrix(n, labels, v);
            for (double t : new double[] {0.05, 0.2, 0.5, 1, 1.7, 3, 20}) {
                for (double floor : new double[] {0, 0.1}) {
                    if (t == 1 && floor == 0) {
                        continue;
                    }
                    FloatMatrix q = new ExpertCalibration((float) t, (float) floor).apply(p);
                    double[] expected = reference(p, (float) t, (float) floor);
                    // The float result's rounding (half an ulp of 1 is 6e-8) and little more.
                    double tolerance = 1e-7;
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], q.values()[i], tolerance,
                                "T " + t + ", floor " + floor + ", row " + java.util.Arrays.toString(
                                        java.util.Arrays.copyOfRange(v, i / labels * labels, i / labels * labels + labels)));
                    }
                    for (int r = 0; r < n; r++) {
                        double rowSum = 0;
                        double mass = 0;
                        for (int j = 0; j < labels; j++) {
                            rowSum += q.get(r, j);
                            mass += v[r * labels + j];
                        }
                        for (int j = 0; j < labels; j++) {
                            // A label the expert gives 0 gets exactly the floor's share, in any row with some mass.
                            if (v[r * labels + j] == 0 && mass > 0) {
                                assertEquals((float) ((float) floor / labels), q.get(r, j), "row " + r);
                            }
                        }
                        assertEquals(1, rowSum, 1e-5, "row " + r);
                    }
                }
            }
        }
    }

    @Test
    void invalidParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ExpertCalibration(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ExpertCalibration(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ExpertCalibration(Double.NaN, 0));
    }
}
