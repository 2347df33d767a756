package dev.moe.gating.training;

import dev.moe.api.ParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gate's training loss as a list of terms: first the data term (the mixture's likelihood, or EM's M-step on
 * its responsibilities), then the auxiliary losses the options ask for. The trainer's loop knows only this list:
 * it runs the terms on the weights, the routing's backward step, then the terms on the logits.
 */
final class GateObjective {

    private final List<ObjectiveTerm> terms;

    private GateObjective(List<ObjectiveTerm> terms) {
        this.terms = List.copyOf(terms);
    }

    /**
     * @param trueLabelProbability p_k(y_i) of every training row (rows x experts), read by EM's E-step
     * @param strategyName         for the error when a term does not fit the routing
     */
    static GateObjective of(GateOptions options, RoutingNeeds routing, String strategyName, float[] trueLabelProbability,
                            int experts) {
        GateOptions.AuxiliaryLosses aux = options.auxiliaryLosses();
        if (aux.load() > 0 && !routing.trainsWithNoise()) {
            throw new ParameterException("gate.load-coefficient: Shazeer's load loss needs noisy-top-k routing (its smooth"
                    + " load estimate comes from the noise), not " + strategyName);
        }
        List<ObjectiveTerm> terms = new ArrayList<>();
        terms.add(options.method() == GateOptions.Method.EM
                ? new EmResponsibilities(options.emStepEpochs(), options.denseWarmupEpochs(), trueLabelProbability, experts)
                : new MixtureLikelihood());
        if (aux.importance() > 0) {
            terms.add(new RouterLossTerms.Importance(aux.importance()));
        }
        if (aux.loadBalance() > 0) {
            terms.add(new RouterLossTerms.SwitchLoadBalance(aux.loadBalance()));
        }
        if (aux.zLoss() > 0) {
            terms.add(new RouterLossTerms.ZLoss(aux.zLoss()));
        }
        if (aux.load() > 0) {
            terms.add(new RouterLossTerms.SmoothLoad(routing.noisyTopK(), aux.load()));
        }
        return new GateObjective(terms);
    }

    List<ObjectiveTerm> terms() {
        return terms;
    }

    void startEpoch(int epoch, Supplier<float[]> trainingWeights) {
        for (ObjectiveTerm term : terms) {
            term.startEpoch(epoch, trainingWeights);
        }
    }

    /** Adds the gradients of the terms on the weights; returns the data term's value (what the loss history shows). */
    double addWeightGradients(GateBatch batch) {
        double data = terms.get(0).addGradient(batch);
        for (ObjectiveTerm term : terms.subList(1, terms.size())) {
            if (term.target() == ObjectiveTerm.Target.WEIGHTS) {
                term.addGradient(batch);
            }
        }
        return data;
    }

    /** Adds the gradients of the terms on the logits and the noise, after the routing's backward step. */
    void addLogitGradients(GateBatch batch) {
        for (ObjectiveTerm term : terms) {
            if (term.target() == ObjectiveTerm.Target.LOGITS) {
                term.addGradient(batch);
            }
        }
    }
}
