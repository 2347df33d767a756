package dev.moe.api;

/**
 * A capability: an expert whose parameters can be trained further together with the gate (the article's joint
 * training, {@code gate.fine-tune-experts}). The expert itself stays immutable: tuning works on a copy and yields a
 * new expert. Experts without this capability stay frozen.
 */
public interface FineTunableExpert extends Expert {

    /**
     * A tuner that trains a copy of this expert jointly with the gate.
     *
     * @param learningRate the optimizer's step size
     * @param seed         for anything random in training (dropout, say)
     * @return a tuner over a copy of this expert
     */
    Tuner tuner(double learningRate, long seed);

    /**
     * Trains a copy of the expert, one batch at a time. Not thread-safe: one thread at a time calls a tuner, though
     * not always the same one, and the tuners of different experts may run at once (gate training runs them side by
     * side on the cores), so tuners must not share mutable state.
     */
    interface Tuner {

        /**
         * The forward pass of one batch.
         *
         * @param features rows in the expert's own feature order
         * @return probabilities in its own label order, kept for {@link #backwardAndStep}
         */
        FloatMatrix forward(FloatMatrix features);

        /**
         * Back-propagates through the last forward call and takes one optimizer step.
         *
         * @param probabilityGradient dLoss/dProbabilities, the shape of the last forward's result; read it during this
         *                            call only (the caller reuses its array)
         */
        void backwardAndStep(FloatMatrix probabilityGradient);

        /**
         * The expert as tuned so far.
         *
         * @return the tuned expert, independent of this tuner
         */
        Expert result();
    }
}
