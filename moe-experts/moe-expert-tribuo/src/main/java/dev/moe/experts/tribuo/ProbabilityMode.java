package dev.moe.experts.tribuo;

import dev.moe.api.ParameterSpec;
import dev.moe.api.Parameters;
import java.util.Arrays;

/**
 * How a Tribuo prediction becomes a probability row: the {@code probabilities} parameter.
 *
 * <p>Tribuo says per model whether its scores are probabilities ({@code Model.generatesProbabilities()}):
 * true for logistic regression and XGBoost, false for CART and kNN although their scores (leaf class
 * frequencies, neighbour vote fractions) are non-negative and sum to 1.
 */
enum ProbabilityMode {
    /** The model's scores when Tribuo says they are probabilities, else one-hot of the predicted label. */
    AUTO("auto"),
    /** Always the model's scores, normalised to sum 1; refuses negative scores (margins, not probabilities). */
    SCORES("scores"),
    /** Always one-hot of the predicted label. */
    ONE_HOT("one-hot");

    static final String KEY = "probabilities";
    static final ParameterSpec SPEC = ParameterSpec.choice(KEY, "auto", "the model's scores, or its label one-hot (auto: scores "
            + "when Tribuo says they are probabilities)", configNames());

    private final String configName;

    ProbabilityMode(String configName) {
        this.configName = configName;
    }

    String configName() {
        return configName;
    }

    static String[] configNames() {
        return Arrays.stream(values()).map(ProbabilityMode::configName).toArray(String[]::new);
    }

    static ProbabilityMode from(Parameters parameters) {
        String value = parameters.choice(SPEC); // one of the config names: the declaration refuses others
        return Arrays.stream(values()).filter(mode -> mode.configName.equals(value)).findFirst().orElseThrow();
    }

    /** Whether the expert reports the model's scores ({@code true}) or one-hot rows ({@code false}). */
    boolean usesScores(boolean modelGeneratesProbabilities) {
        return switch (this) {
            case AUTO -> modelGeneratesProbabilities;
            case SCORES -> true;
            case ONE_HOT -> false;
        };
    }
}
