package dev.moe.gating.training;

import dev.moe.gating.nn.Activation;
import java.util.List;

/**
 * How the gate is built and trained.
 *
 * @param hidden             hidden layer sizes; empty for a linear gate
 * @param activations        one per hidden layer
 * @param dropout            after each hidden layer while training
 * @param epochs             passes over the gate-train rows
 * @param learningRate       Adam's step size for the gate
 * @param batchSize          rows per step; 0 for full batch
 * @param seed               initialisation, dropout and batch order
 * @param fineTuneExperts    also train experts that support it, jointly with the gate
 * @param expertLearningRate Adam's step size for fine-tuned experts
 * @param denseWarmupEpochs  first epochs trained with dense softmax routing before the configured strategy
 *                           (dense-to-sparse): a sparse strategy gives no gradient to the experts it skips,
 *                           so a gate that starts sparse can lock in an early, poor ranking
 */
public record GateOptions(
        List<Integer> hidden,
        List<Activation> activations,
        double dropout,
        int epochs,
        double learningRate,
        int batchSize,
        long seed,
        boolean fineTuneExperts,
        double expertLearningRate,
        int denseWarmupEpochs) {

    /** The article's gate: 128-256-128, ReLU then LeakyReLU, dropout 0.1, Adam at 0.001, 500 epochs full batch. */
    public static final List<Integer> ARTICLE_HIDDEN = List.of(128, 256, 128);
    public static final List<Activation> ARTICLE_ACTIVATIONS =
            List.of(Activation.RELU, Activation.LEAKY_RELU, Activation.LEAKY_RELU);

    public GateOptions {
        hidden = List.copyOf(hidden);
        activations = List.copyOf(activations);
        if (hidden.size() != activations.size()) {
            throw new IllegalArgumentException(hidden.size() + " hidden layers but " + activations.size() + " activations");
        }
        if (epochs < 0 || batchSize < 0 || denseWarmupEpochs < 0) {
            throw new IllegalArgumentException("epochs, batch size and warm-up epochs must not be negative");
        }
    }

    public static GateOptions article(long seed) {
        return new GateOptions(ARTICLE_HIDDEN, ARTICLE_ACTIVATIONS, 0.1, 500, 0.001, 0, seed, false, 0.001, 0);
    }
}
