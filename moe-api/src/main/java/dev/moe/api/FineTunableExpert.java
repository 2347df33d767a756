package dev.moe.api;

/**
 * A capability: an expert whose parameters can be trained further together with the gate (the article's joint
 * training, {@code gate.fine-tune-experts}). The expert itself stays immutable: tuning works on a copy and yields a
 * new expert. Experts without this capability stay frozen.
 */
public interface FineTunableExpert extends Expert {

    /** A tuner over a copy of this expert, stepping with Adam at {@code learningRate}. */
    Tuner tuner(double learningRate, long seed);

    /** Trains a copy of the expert, one batch at a time. Not thread-safe. */
    interface Tuner {

        /** Probabilities (own label order) for rows in the expert's own feature order, kept for {@link #backwardAndStep}. */
        FloatMatrix forward(FloatMatrix features);

        /** Back-propagates dLoss/dProbabilities of the last forward call and takes one optimizer step. */
        void backwardAndStep(FloatMatrix probabilityGradient);

        /** The tuned expert, independent of this tuner. */
        Expert result();
    }
}
