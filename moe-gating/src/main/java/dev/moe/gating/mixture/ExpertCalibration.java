package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import java.util.List;

/**
 * Temperature scaling with a floor for one expert (Guo et al. 2017, with a share of uniform mass so that a hard
 * 0 does not stay 0): {@code q_c = (1 - floor) * p_c^(1/T) / sum_j p_j^(1/T) + floor / C}. Fitted on rows the
 * expert did not train on, it stops an over-confident expert (kNN vote fractions, CART leaves) from buying the
 * gate's trust with certainty, and an under-confident one from being ignored.
 *
 * @param temperature above 1 softens, below 1 sharpens
 * @param floor       share of the probability spread evenly over the labels, in [0, 1)
 */
public record ExpertCalibration(double temperature, double floor) {

    public static final ExpertCalibration IDENTITY = new ExpertCalibration(1, 0);

    /** Floors tried before the search, to start it near the right one. */
    private static final double[] START_FLOORS = {0, 1e-3, 0.01, 0.1, 0.3, 0.6};
    private static final double MAX_FLOOR = 0.95;
    private static final double MIN_LOG_T = Math.log(0.05);
    private static final double MAX_LOG_T = Math.log(20);
    /** Coordinate descent stops when a round lowers the mean loss by less than this, or after MAX_ROUNDS. */
    private static final double ROUND_GAIN = 1e-7;
    private static final int MAX_ROUNDS = 100;
    /** Caps a row's loss when the calibrated probability of its label is 0. */
    private static final double MIN_PROBABILITY = 1e-7;

    public ExpertCalibration {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        if (!(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException("floor must be in [0, 1), got " + floor);
        }
    }

    public static List<ExpertCalibration> identities(int experts) {
        return java.util.Collections.nCopies(experts, IDENTITY);
    }

    public boolean isIdentity() {
        return temperature == 1 && floor == 0;
    }

    /**
     * The calibration with the lowest mean negative log-likelihood of {@code labels} under {@code p} (rows x
     * labels), by coordinate descent: the best of a few floors, then golden-section searches on log T and on the
     * floor in turn. Never worse than the identity on these rows.
     */
    public static ExpertCalibration fit(FloatMatrix p, int[] labels) {
        if (p.rows() != labels.length) {
            throw new IllegalArgumentException(p.rows() + " rows but " + labels.length + " labels");
        }
        Losses losses = new Losses(p, labels);
        double logT = 0;
        double floor = 0;
        double best = Double.POSITIVE_INFINITY;
        // The floor only mixes each row's calibrated probability of its label with 1/C: with T fixed, those
        // probabilities are taken once and every floor tried costs one logarithm a row, not an exp per label.
        double[] own = losses.own(1);
        for (double f : START_FLOORS) {
            double loss = losses.withFloor(own, f);
            if (loss < best) {
                best = loss;
                floor = f;
            }
        }
        // Temperature and floor both soften, so the loss has a long narrow valley along which coordinate descent
        // moves in small steps: repeat the searches until a round gains almost nothing, not a fixed few rounds
        // (three stopped an expert over-confident by a temperature of 3 at T = 2.2 with a floor of 0.13).
        for (int round = 0; round < MAX_ROUNDS; round++) {
            double fixedFloor = floor;
            logT = goldenSection(x -> losses.at(Math.exp(x), fixedFloor), MIN_LOG_T, MAX_LOG_T);
            double[] ownAtT = losses.own(Math.exp(logT));
            floor = goldenSection(f -> losses.withFloor(ownAtT, f), 0, MAX_FLOOR);
            double loss = losses.withFloor(ownAtT, floor);
            boolean converged = best - loss < ROUND_GAIN;
            best = Math.min(best, loss);
            if (converged) {
                break;
            }
        }
        // Single precision, as bundles store it: a saved mixture predicts exactly what the trained one did.
        ExpertCalibration fitted = new ExpertCalibration((float) Math.exp(logT), (float) floor);
        return losses.at(fitted.temperature, fitted.floor) < losses.at(1, 0) ? fitted : IDENTITY;
    }

    /** The argument in [a, b] of a function's minimum, assumed unimodal there; 40 golden-section steps. */
    private static double goldenSection(java.util.function.DoubleUnaryOperator f, double a, double b) {
        double ratio = (Math.sqrt(5) - 1) / 2;
        double x1 = b - ratio * (b - a);
        double x2 = a + ratio * (b - a);
        double f1 = f.applyAsDouble(x1);
        double f2 = f.applyAsDouble(x2);
        for (int i = 0; i < 40; i++) {
            if (f1 <= f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - ratio * (b - a);
                f1 = f.applyAsDouble(x1);
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + ratio * (b - a);
                f2 = f.applyAsDouble(x2);
            }
        }
        return f1 <= f2 ? x1 : x2;
    }

    /** The loss at any (T, floor), with the logarithms of the probabilities taken once. */
    private static final class Losses {
        private final int rows;
        private final int labels;
        private final int[] truth;
        /** log p, or NaN for p = 0 (which stays 0 under any temperature). */
        private final float[] log;

        Losses(FloatMatrix p, int[] truth) {
            this.rows = p.rows();
            this.labels = p.columns();
            this.truth = truth;
            float[] v = p.values();
            this.log = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                log[i] = v[i] > 0 ? (float) Math.log(v[i]) : Float.NaN;
            }
        }

        double at(double temperature, double floor) {
            return withFloor(own(temperature), floor);
        }

        /** Each row's probability of its label at this temperature, before the floor. */
        double[] own(double temperature) {
            double inverseT = 1 / temperature;
            double[] own = new double[rows];
            for (int r = 0; r < rows; r++) {
                int base = r * labels;
                // Scaled by the row's largest log-probability so that exp() neither overflows nor underflows.
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < labels; j++) {
                    if (!Float.isNaN(log[base + j])) {
                        max = Math.max(max, log[base + j]);
                    }
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    own[r] = 1.0 / labels;
                } else {
                    double sum = 0;
                    for (int j = 0; j < labels; j++) {
                        if (!Float.isNaN(log[base + j])) {
                            sum += Math.exp((log[base + j] - max) * inverseT);
                        }
                    }
                    float mine = log[base + truth[r]];
                    own[r] = Float.isNaN(mine) ? 0 : Math.exp((mine - max) * inverseT) / sum;
                }
            }
            return own;
        }

        /** The mean loss of these rows' probabilities of their labels ({@link #own}) under the floor. */
        double withFloor(double[] own, double floor) {
            double total = 0;
            for (double o : own) {
                double q = (1 - floor) * o + floor / labels;
                total -= Math.log(Math.max(q, MIN_PROBABILITY));
            }
            return total / rows;
        }
    }

    /** The mean negative log-likelihood of {@code labels} under the calibrated probabilities. */
    public double loss(FloatMatrix p, int[] labels) {
        return new Losses(p, labels).at(temperature, floor);
    }

    /**
     * The calibrated probabilities (a new matrix); the identity returns {@code p} itself. The one calibration every
     * inference path uses (MixtureModel: moe predict, evaluate -m, the library, Spark), and the one training's gate
     * sees. At T = 1 no power is taken (a floor alone). In double, one value at a time: a vectorised float version
     * was faster warm but no faster in a whole run, its many loops costing the JIT more (docs/performance-log.md).
     */
    public FloatMatrix apply(FloatMatrix p) {
        if (isIdentity()) {
            return p;
        }
        int n = p.rows();
        int c = p.columns();
        float[] v = p.values();
        float[] out = new float[v.length];
        double inverseT = 1 / temperature;
        double[] powered = new double[c];
        for (int r = 0; r < n; r++) {
            int base = r * c;
            double sum = powers(v, base, c, inverseT, 1, powered);
            if (sum < TINY_SUM) {
                // Every p^(1/T) of the row tiny or 0 (a row whose every p is small, at a low temperature): again with
                // each p divided by the row's largest, the same ratios without underflow, which made the row uniform.
                double max = 0;
                for (int j = 0; j < c; j++) {
                    max = Math.max(max, v[base + j]);
                }
                if (max > 0) {
                    sum = powers(v, base, c, inverseT, 1 / max, powered);
                }
            }
            for (int j = 0; j < c; j++) {
                double own = sum > 0 ? powered[j] / sum : 1.0 / c;
                out[base + j] = (float) ((1 - floor) * own + floor / c);
            }
        }
        return new FloatMatrix(n, c, out);
    }

    /** Below this a row's sum of powers is taken again from p / max p: its smallest normal powers lose no digit a float keeps. */
    private static final double TINY_SUM = 1e-250;

    /** (scale * p)^(1/T) of one row's values into {@code powered} (0 where p is 0, scale * p itself at T = 1); their sum. */
    private static double powers(float[] v, int base, int c, double inverseT, double scale, double[] powered) {
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double value = v[base + j] * scale;
            powered[j] = value <= 0 ? 0 : inverseT == 1 ? value : Math.exp(inverseT * Math.log(value));
            sum += powered[j];
        }
        return sum;
    }
}
