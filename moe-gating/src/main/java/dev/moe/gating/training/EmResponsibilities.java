package dev.moe.gating.training;

import java.util.function.Supplier;

/**
 * EM's M-step as a term: the cross-entropy of the weights against the responsibilities
 * {@code r_ik ∝ w_k(x_i) p_k(y_i)}, {@code -sum_k r_k log w_k}, the responsibilities held fixed between E-steps.
 * Its value is the mixture's negative log-likelihood, as with gradient training, so that loss curves compare.
 */
final class EmResponsibilities implements ObjectiveTerm {

    private final int stepEpochs;
    private final int warmupEpochs;
    /** p_k(y_i) of every training row, rows x experts, for the E-step. */
    private final float[] trueLabelProbability;
    private final int experts;
    /** The last E-step's responsibilities, per training row. */
    private float[] responsibilities;

    /**
     * @param stepEpochs   epochs between E-steps
     * @param warmupEpochs the dense warm-up's length: the routing changes after it, so an E-step is taken then too
     */
    EmResponsibilities(int stepEpochs, int warmupEpochs, float[] trueLabelProbability, int experts) {
        this.stepEpochs = stepEpochs;
        this.warmupEpochs = warmupEpochs;
        this.trueLabelProbability = trueLabelProbability;
        this.experts = experts;
    }

    @Override
    public Target target() {
        return Target.WEIGHTS;
    }

    @Override
    public void startEpoch(int epoch, Supplier<float[]> trainingWeights) {
        if (epoch % stepEpochs == 0 || epoch == warmupEpochs) {
            responsibilities = eStep(trainingWeights.get());
        }
    }

    @Override
    public double addGradient(GateBatch batch) {
        double loss = MixtureLikelihood.addLikelihoodGradients(batch, false);
        int b = batch.rows;
        int e = batch.experts;
        float[] w = batch.weights.values();
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < e; k++) {
                if (w[i * e + k] > 0) {
                    batch.weightGradient[i * e + k] += -responsibilities[batch.trainingRows[i] * e + k] / (w[i * e + k] * b);
                }
            }
        }
        return loss;
    }

    /** {@code r_ik ∝ w_k(x_i) p_k(y_i|x_i)} over every training row. */
    private float[] eStep(float[] w) {
        int e = experts;
        float[] r = new float[w.length];
        for (int i = 0; i < w.length / e; i++) {
            double sum = 0;
            for (int k = 0; k < e; k++) {
                sum += (double) w[i * e + k] * trueLabelProbability[i * e + k];
            }
            for (int k = 0; k < e; k++) {
                // No expert gives the label any probability: the row says nothing, keep the gate's weights.
                r[i * e + k] = sum > 0 ? (float) (w[i * e + k] * trueLabelProbability[i * e + k] / sum) : w[i * e + k];
            }
        }
        return r;
    }
}
