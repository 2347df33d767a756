package dev.moe.gating.training;

/**
 * The mixture's negative log-likelihood {@code -log sum_k w_k p_k(y)}, the loss the gate is trained on: its
 * gradient with respect to the weights, and to the experts' probabilities for experts fine-tuned with the gate.
 */
final class MixtureLikelihood implements ObjectiveTerm {

    /** Keeps log() finite when every chosen expert gives the true label probability 0. */
    static final float MIN_LIKELIHOOD = 1e-7f;

    @Override
    public Target target() {
        return Target.WEIGHTS;
    }

    @Override
    public double addGradient(GateBatch batch) {
        return addLikelihoodGradients(batch, true);
    }

    /**
     * The batch's mean negative log-likelihood; adds its gradient with respect to the experts' probabilities and,
     * when {@code weightsToo}, with respect to the weights.
     */
    static double addLikelihoodGradients(GateBatch batch, boolean weightsToo) {
        int b = batch.rows;
        int e = batch.experts;
        float[] w = batch.weights.values();
        float[] p = batch.trueLabelProbability;
        double loss = 0;
        for (int i = 0; i < b; i++) {
            double mixture = 0;
            for (int k = 0; k < e; k++) {
                mixture += (double) w[i * e + k] * p[i * e + k];
            }
            double m = Math.max(mixture, MIN_LIKELIHOOD);
            loss -= Math.log(m);
            double minusInverse = -1 / (m * b); // one division a row, not two per expert
            for (int k = 0; k < e; k++) {
                batch.probabilityGradient[i * e + k] += (float) (w[i * e + k] * minusInverse);
                if (weightsToo) {
                    batch.weightGradient[i * e + k] += (float) (p[i * e + k] * minusInverse);
                }
            }
        }
        return loss / b;
    }
}
