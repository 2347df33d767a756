package dev.moe.experts.xgboost;

import dev.moe.api.AbstractExpert;
import dev.moe.api.ExpertSignature;
import dev.moe.api.FloatMatrix;

/**
 * A pretrained XGBoost classifier as an expert: each block of rows goes through the trees at once ({@link Forest}),
 * in Java, no native library. Immutable, so safe for concurrent blocks.
 */
final class XGBoostExpert extends AbstractExpert {

    private final XGBoostModel model;
    private final byte[] bytes;
    private final boolean allRounds;

    XGBoostExpert(ExpertSignature signature, XGBoostModel model, byte[] bytes, boolean allRounds) {
        super(signature);
        this.model = model;
        this.bytes = bytes;
        this.allRounds = allRounds;
    }

    /** Whether every tree is evaluated ({@code rounds: all}), not only those up to the recorded best_iteration. */
    boolean allRounds() {
        return allRounds;
    }

    @Override
    public FloatMatrix predict(FloatMatrix features) {
        requireColumns(features);
        return new FloatMatrix(features.rows(), model.classes(), model.probabilities(features.values(), features.rows()));
    }

    /** The model file's bytes, as loaded: what a saved mixture embeds. */
    byte[] bytes() {
        return bytes;
    }

    XGBoostModel model() {
        return model;
    }
}
