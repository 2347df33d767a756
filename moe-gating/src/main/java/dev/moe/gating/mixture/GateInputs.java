package dev.moe.gating.mixture;

import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Locale;

/**
 * What the gate looks at for a row. The raw features say where a row lies; the experts' own outputs say how
 * sure each expert is and whether the experts agree, which is often what decides whom to trust (stacking,
 * Wolpert 1992; mixtures of experts with confidence). Expert-derived inputs need every expert to run on every
 * row before routing, so a sparse strategy then saves no expert work at inference.
 */
public enum GateInputs {

    /** The data set's features only (the classic gate). */
    FEATURES(true, false, false),
    /** Per expert: its top probability, its entropy (as a share of the maximum) and its agreement with the mean. */
    SIGNALS(false, false, true),
    /** Per expert: its probability for every label, then the three signals. */
    EXPERTS(false, true, true),
    /** The features, then everything {@link #EXPERTS} gives. */
    BOTH(true, true, true);

    /** Signals per expert in {@link #SIGNALS}. */
    public static final int SIGNALS_PER_EXPERT = 3;

    private final boolean features;
    private final boolean probabilities;
    private final boolean signals;

    GateInputs(boolean features, boolean probabilities, boolean signals) {
        this.features = features;
        this.probabilities = probabilities;
        this.signals = signals;
    }

    /** The config's name: {@code features}, {@code signals}, {@code experts}, {@code both}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GateInputs fromConfigName(String name) {
        for (GateInputs inputs : values()) {
            if (inputs.configName().equals(name)) {
                return inputs;
            }
        }
        throw new IllegalArgumentException("unknown gate inputs '" + name + "'; known: features, signals, experts, both");
    }

    /** Whether the gate's inputs depend on the experts' outputs (then every expert runs before routing). */
    public boolean needsExperts() {
        return probabilities || signals;
    }

    /** How many input columns the gate gets for this many features, experts and labels. */
    public int width(int featureCount, int experts, int labels) {
        return (features ? featureCount : 0) + (probabilities ? experts * labels : 0) + (signals ? experts * SIGNALS_PER_EXPERT : 0);
    }

    /**
     * The gate's raw inputs (before standardisation) for a block of rows.
     *
     * @param features      the rows' features (data set columns)
     * @param probabilities each expert's (calibrated) probabilities for the rows, data set label order; may be
     *                      empty when {@link #needsExperts()} is false
     */
    public FloatMatrix build(FloatMatrix features, List<FloatMatrix> probabilities) {
        if (!needsExperts()) {
            return features;
        }
        int n = features.rows();
        int e = probabilities.size();
        if (e == 0) {
            throw new IllegalArgumentException("gate inputs '" + configName() + "' need the experts' probabilities");
        }
        int c = probabilities.get(0).columns();
        int width = width(features.columns(), e, c);
        float[] out = new float[n * width];
        float[] mean = new float[c];
        double logC = c > 1 ? Math.log(c) : 1;
        for (int r = 0; r < n; r++) {
            int o = r * width;
            if (this.features) {
                System.arraycopy(features.values(), r * features.columns(), out, o, features.columns());
                o += features.columns();
            }
            java.util.Arrays.fill(mean, 0f);
            for (FloatMatrix p : probabilities) {
                float[] v = p.values();
                for (int j = 0; j < c; j++) {
                    mean[j] += v[r * c + j] / e;
                }
            }
            for (FloatMatrix p : probabilities) {
                float[] v = p.values();
                int base = r * c;
                if (this.probabilities) {
                    System.arraycopy(v, base, out, o, c);
                    o += c;
                }
                if (signals) {
                    float top = 0;
                    double entropy = 0;
                    double agreement = 0;
                    for (int j = 0; j < c; j++) {
                        float q = v[base + j];
                        top = Math.max(top, q);
                        if (q > 0) {
                            entropy -= q * Math.log(q);
                        }
                        agreement += q * mean[j];
                    }
                    out[o++] = top;
                    out[o++] = (float) (entropy / logC);
                    out[o++] = (float) agreement;
                }
            }
        }
        return new FloatMatrix(n, width, out);
    }
}
