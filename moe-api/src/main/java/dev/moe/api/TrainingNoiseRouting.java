package dev.moe.api;

/**
 * A capability: a sparse strategy that wants learned Gaussian noise on its logits while the gate trains and none at
 * inference (Shazeer et al. 2017). {@link #route} cannot add it, since the noise's scale depends on the gate's
 * input rows: the gate trainer owns the noise network, adds {@code N(0,1) * softplus(x W_noise)} to the logits
 * and passes the noisy ones to {@code route(logits, true)}; a saved mixture routes clean logits.
 */
public interface TrainingNoiseRouting extends RoutingStrategy {

    /**
     * How many experts a row keeps.
     *
     * @return how many experts a row keeps: the smooth load estimate of Shazeer's load loss needs it
     */
    int k();
}
