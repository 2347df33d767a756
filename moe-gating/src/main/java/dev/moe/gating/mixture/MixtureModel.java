package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.routing.ProductRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A trained mixture: {@code P(y|x) = sum_k w_k(x) q_k(y|x)}, where {@code q_k} is expert k's output through its
 * calibration and the weights come from the gate's logits through the routing strategy; or, for
 * {@link ProductRouting}, their weighted product {@code ∝ prod_k q_k(y|x)^(exp z_k)}. With a gate on the
 * features, an expert runs only on the rows whose weight for it is non-zero, so a sparse strategy's cost follows
 * k, not the number of experts; a gate that reads the experts' outputs runs every expert first. Immutable and
 * safe for concurrent use.
 */
public final class MixtureModel implements AutoCloseable {

    private final GateNetwork gate;
    private final RoutingStrategy strategy;
    private final List<AlignedExpert> experts;
    private final List<ExpertCalibration> calibrations;
    private final List<String> labelNames;

    public MixtureModel(GateNetwork gate, RoutingStrategy strategy, List<AlignedExpert> experts,
                        List<ExpertCalibration> calibrations, List<String> labelNames) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.experts = List.copyOf(experts);
        this.calibrations = List.copyOf(calibrations);
        this.labelNames = List.copyOf(labelNames);
        if (gate.outputSize() != this.experts.size()) {
            throw new IllegalArgumentException("gate has " + gate.outputSize() + " outputs for " + this.experts.size() + " experts");
        }
        if (this.calibrations.size() != this.experts.size()) {
            throw new IllegalArgumentException(this.calibrations.size() + " calibrations for " + this.experts.size() + " experts");
        }
    }

    /** Experts used as they are (no calibration). */
    public MixtureModel(GateNetwork gate, RoutingStrategy strategy, List<AlignedExpert> experts, List<String> labelNames) {
        this(gate, strategy, experts, ExpertCalibration.identities(experts.size()), labelNames);
    }

    public GateNetwork gate() {
        return gate;
    }

    public RoutingStrategy strategy() {
        return strategy;
    }

    public List<AlignedExpert> experts() {
        return experts;
    }

    /**
     * Closes every expert ({@link dev.moe.api.Expert#close}): native memory, files. Call it once this mixture, and
     * any other sharing its experts, is done.
     */
    @Override
    public void close() {
        for (AlignedExpert expert : experts) {
            expert.expert().close();
        }
    }

    public List<ExpertCalibration> calibrations() {
        return calibrations;
    }

    /**
     * For a {@link ProductRouting} mixture, each expert's exponent (the same for every row; for exponents that
     * follow the experts' signals, the exponent where the signals are at their training mean: the gate's bias);
     * else empty.
     */
    public List<Double> productExponents() {
        if (!(strategy instanceof ProductRouting)) {
            return List.of();
        }
        float[] logits = exponentsFollowSignals() ? outputBias() : gate.logits(FloatMatrix.zeros(1, gate.inputSize())).values();
        List<Double> exponents = new ArrayList<>();
        for (float z : logits) {
            exponents.add(ProductRouting.fittedExponent(z));
        }
        return List.copyOf(exponents);
    }

    /** Whether this is a product whose exponents follow the experts' signals row by row (a gate on them), not fixed ones. */
    public boolean exponentsFollowSignals() {
        return strategy instanceof ProductRouting && gate.inputs().needsExperts();
    }

    /** A one-layer gate's bias: its logits where its standardised inputs are 0 (their training mean). */
    private float[] outputBias() {
        float[] parameters = gate.parameterValues();
        int e = gate.outputSize();
        return java.util.Arrays.copyOfRange(parameters, parameters.length - e, parameters.length);
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** The gate's routing weights for a block of rows (rows x experts). */
    public FloatMatrix weights(FloatMatrix rows) {
        if (gate.inputs().needsExperts()) {
            return strategy.route(gate.logits(rows, calibratedProbabilities(rows)), false).weights();
        }
        return strategy.route(gate.logits(rows), false).weights();
    }

    /** Every expert's calibrated probabilities for the rows, in the data set's label order. */
    public List<FloatMatrix> calibratedProbabilities(FloatMatrix rows) {
        List<FloatMatrix> out = new ArrayList<>(experts.size());
        for (int k = 0; k < experts.size(); k++) {
            out.add(calibrations.get(k).apply(experts.get(k).predict(rows)));
        }
        return out;
    }

    public Prediction predict(FloatMatrix rows) {
        if (exponentsFollowSignals()) {
            // Exponents that follow the experts' signals: every expert runs before the gate.
            List<FloatMatrix> probabilities = calibratedProbabilities(rows);
            FloatMatrix logits = gate.logits(rows, probabilities);
            return new Prediction(ProductRouting.pool(logits, probabilities, labelNames.size()), strategy.route(logits, false).weights());
        }
        if (strategy instanceof ProductRouting) {
            // The exponents are the same for every row: an expert whose exponent is 0 never runs.
            FloatMatrix logits = gate.logits(rows);
            List<FloatMatrix> probabilities = new ArrayList<>(experts.size());
            for (int k = 0; k < experts.size(); k++) {
                probabilities.add(rows.rows() > 0 && ProductRouting.negligible(logits.get(0, k)) ? null
                        : calibrations.get(k).apply(experts.get(k).predict(rows)));
            }
            return new Prediction(ProductRouting.pool(logits, probabilities, labelNames.size()), strategy.route(logits, false).weights());
        }
        if (gate.inputs().needsExperts()) {
            List<FloatMatrix> probabilities = calibratedProbabilities(rows);
            FloatMatrix weights = strategy.route(gate.logits(rows, probabilities), false).weights();
            return new Prediction(mix(weights, probabilities, labelNames.size()), weights);
        }
        FloatMatrix weights = weights(rows);
        int n = rows.rows();
        int c = labelNames.size();
        int e = experts.size();
        float[] mixed = new float[n * c];
        float[] w = weights.values();
        for (int k = 0; k < e; k++) {
            int[] routed = rowsRoutedTo(w, n, e, k);
            if (routed.length == 0) {
                continue;
            }
            boolean allRows = routed.length == n;
            FloatMatrix p = calibrations.get(k).apply(experts.get(k).predict(allRows ? rows : rows.selectRows(routed)));
            float[] pv = p.values();
            for (int i = 0; i < routed.length; i++) {
                int r = routed[i];
                float wk = w[r * e + k];
                for (int j = 0; j < c; j++) {
                    mixed[r * c + j] += wk * pv[i * c + j];
                }
            }
        }
        return new Prediction(new FloatMatrix(n, c, mixed), weights);
    }

    /**
     * The prediction from expert outputs already computed for the rows (each rows x labels, data set label order,
     * uncalibrated): e.g. out-of-fold outputs while choosing a gate, where the experts must not run again.
     */
    public Prediction predict(FloatMatrix rows, List<FloatMatrix> expertProbabilities) {
        if (expertProbabilities.size() != experts.size()) {
            throw new IllegalArgumentException(expertProbabilities.size() + " outputs for " + experts.size() + " experts");
        }
        List<FloatMatrix> calibrated = new ArrayList<>(experts.size());
        for (int k = 0; k < experts.size(); k++) {
            calibrated.add(calibrations.get(k).apply(expertProbabilities.get(k)));
        }
        FloatMatrix logits = gate.inputs().needsExperts() ? gate.logits(rows, calibrated) : gate.logits(rows);
        FloatMatrix weights = strategy.route(logits, false).weights();
        if (strategy instanceof ProductRouting) {
            return new Prediction(ProductRouting.pool(logits, calibrated, labelNames.size()), weights);
        }
        return new Prediction(mix(weights, calibrated, labelNames.size()), weights);
    }

    /** {@code sum_k w_k p_k} row by row, from probabilities every expert gave for every row. */
    public static FloatMatrix mix(FloatMatrix weights, List<FloatMatrix> probabilities, int labels) {
        int n = weights.rows();
        int e = weights.columns();
        float[] w = weights.values();
        float[] mixed = new float[n * labels];
        for (int k = 0; k < e; k++) {
            float[] pv = probabilities.get(k).values();
            for (int r = 0; r < n; r++) {
                float wk = w[r * e + k];
                if (wk == 0f) {
                    continue;
                }
                for (int j = 0; j < labels; j++) {
                    mixed[r * labels + j] += wk * pv[r * labels + j];
                }
            }
        }
        return new FloatMatrix(n, labels, mixed);
    }

    private static int[] rowsRoutedTo(float[] w, int n, int e, int k) {
        int count = 0;
        for (int r = 0; r < n; r++) {
            if (w[r * e + k] != 0f) {
                count++;
            }
        }
        int[] rows = new int[count];
        int i = 0;
        for (int r = 0; r < n; r++) {
            if (w[r * e + k] != 0f) {
                rows[i++] = r;
            }
        }
        return rows;
    }

    /** @param probabilities rows x labels; @param weights rows x experts */
    public record Prediction(FloatMatrix probabilities, FloatMatrix weights) { }
}
