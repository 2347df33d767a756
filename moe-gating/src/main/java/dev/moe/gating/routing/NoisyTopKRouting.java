package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingNoiseRouting;

/**
 * Noisy top-k gating (Shazeer et al. 2017): while the gate trains, each logit gets Gaussian noise whose
 * scale the gate learns, {@code H = z + N(0,1) * softplus(x W_noise)}; then top-k and a softmax over the k.
 *
 * <p>The noise needs the gate's input rows, which this contract does not see: the gate trainer owns
 * {@code W_noise}, adds the noise and hands the noisy logits to {@link #route}. At inference there is no
 * noise, so a saved mixture needs nothing beyond the gate network: {@code route} is plain top-k.
 */
public final class NoisyTopKRouting implements TrainingNoiseRouting {

    public static final String NAME = "noisy-top-k";

    private final TopKRouting topK;

    public NoisyTopKRouting(int k) {
        this.topK = new TopKRouting(k, 1.0);
    }

    @Override
    public int k() {
        return topK.k();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "k=" + k();
    }

    /** Top-k of the given logits: the trainer passes noisy ones while training, the mixture clean ones. */
    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        return topK.route(logits, training);
    }
}
