package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;

/**
 * One training batch as the objective's terms see it: the gate's logits, the routed weights and the experts'
 * probabilities of each row's true label, with the gradient arrays the terms add to (row-major rows x experts).
 * The trainer fills {@link #noisyLogitGradient} and {@link #logitGradient} from the routing's backward step between
 * the terms on the weights and the terms on the logits.
 */
final class GateBatch {

    final int rows;
    final int experts;
    /** Each row's index among the training rows (EM's responsibilities are kept per training row). */
    final int[] trainingRows;
    /** The gate's clean logits z. */
    final FloatMatrix logits;
    /** The noise added to the logits before routing; null when none was. */
    final NoisyGating.Sample noise;
    final FloatMatrix weights;
    /** p_k(y_i): expert k's probability of row i's true label. */
    final float[] trueLabelProbability;

    /** dL/dw, written by the terms on the weights. */
    final float[] weightGradient;
    /** dL/dp_k(y_i), for experts fine-tuned with the gate. */
    final float[] probabilityGradient;
    /** dL/dH for the routing's input H (the noisy logits, or z itself without noise): the routing's backward step. */
    FloatMatrix noisyLogitGradient;
    /** dL/dz: the routing's backward step plus the terms on the logits. */
    float[] logitGradient;
    /** dL/d(noise scale), from terms on the noise; null without noise. */
    final float[] stdGradient;

    GateBatch(int[] trainingRows, FloatMatrix logits, NoisyGating.Sample noise, FloatMatrix weights, float[] trueLabelProbability) {
        this.rows = trainingRows.length;
        this.experts = logits.columns();
        this.trainingRows = trainingRows;
        this.logits = logits;
        this.noise = noise;
        this.weights = weights;
        this.trueLabelProbability = trueLabelProbability;
        this.weightGradient = new float[rows * experts];
        this.probabilityGradient = new float[rows * experts];
        this.stdGradient = noise == null ? null : new float[rows * experts];
    }

    /** Takes the routing's gradient with respect to its input; the terms on the logits then add to a copy of it. */
    void routed(FloatMatrix routingInputGradient) {
        noisyLogitGradient = routingInputGradient;
        logitGradient = routingInputGradient.values().clone();
    }
}
