package dev.moe.gating.mixture;

import dev.moe.api.FineTunableExpert;
import dev.moe.api.FloatMatrix;
import java.util.Arrays;

/**
 * Fine-tuning of one aligned expert during gate training: translates between the data set's feature and
 * label spaces and the expert's own, around the expert's {@link FineTunableExpert.Tuner}.
 */
public final class ExpertTuning {

    private final AlignedExpert aligned;
    private final FineTunableExpert.Tuner tuner;
    private int lastRows;
    private float[] probabilityGradient = new float[0];

    private ExpertTuning(AlignedExpert aligned, FineTunableExpert.Tuner tuner) {
        this.aligned = aligned;
        this.tuner = tuner;
    }

    /** A tuning session, or null when the expert cannot be fine-tuned (it then stays frozen). */
    public static ExpertTuning start(AlignedExpert aligned, double learningRate, long seed) {
        if (aligned.expert() instanceof FineTunableExpert tunable) {
            return new ExpertTuning(aligned, tunable.tuner(learningRate, seed));
        }
        return null;
    }

    /**
     * Probabilities in the data set's label order for a block of the data set's rows: read-only, valid until the next
     * call (it may be the tuner's own matrix).
     */
    public FloatMatrix forward(FloatMatrix datasetRows) {
        lastRows = datasetRows.rows();
        return aligned.toDatasetLabelsShared(tuner.forward(aligned.expertFeatures(datasetRows)), lastRows);
    }

    /**
     * One step from the gradient of the loss with respect to each row's true-label probability.
     *
     * @param gradient row-major rows x experts; this expert's column is {@code expert}
     * @param labels   each row's true label (data set order)
     */
    public void backwardAndStep(float[] gradient, int expert, int experts, int[] labels) {
        int labelCount = aligned.datasetLabelCount();
        float[] full = probabilityGradient(lastRows * labelCount);
        for (int i = 0; i < lastRows; i++) {
            full[i * labelCount + labels[i]] = gradient[i * experts + expert];
        }
        tuner.backwardAndStep(aligned.toExpertLabels(new FloatMatrix(lastRows, labelCount, full)));
    }

    /**
     * The array for the gradient with respect to every probability, all zeros: reused from step to step (the tuner
     * reads it during its step only), as a new one each step cost more than the loop that fills it.
     */
    private float[] probabilityGradient(int length) {
        if (probabilityGradient.length != length) {
            probabilityGradient = new float[length];
        } else {
            Arrays.fill(probabilityGradient, 0f);
        }
        return probabilityGradient;
    }

    /** The aligned, tuned expert. */
    public AlignedExpert finish() {
        return aligned.withExpert(tuner.result());
    }
}
