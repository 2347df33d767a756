package dev.moe.gating.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam over a network's flat parameter vector, through ND4J's fused Adam updater (one native call a step).
 */
public final class AdamOptimizer {

    private final INDArray parameters;
    private final GradientUpdater<?> updater;
    private int iteration;

    public AdamOptimizer(INDArray parameters, double learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.parameters = parameters;
        // PyTorch's defaults (betas 0.9, 0.999; eps 1e-8), so that recipes carry over.
        Adam config = new Adam(learningRate, 0.9, 0.999, 1e-8);
        long stateSize = config.stateSize(parameters.length());
        INDArray state = Nd4j.zeros(parameters.dataType(), 1, stateSize);
        this.updater = config.instantiate(state, true);
    }

    /** One step: {@code gradient} (same layout as the parameters) is consumed and overwritten. */
    public void step(INDArray gradient) {
        updater.applyUpdater(gradient, iteration, 0);
        parameters.subi(gradient);
        iteration++;
    }
}
