package dev.moe.runtime.experiment;

import dev.moe.gating.nn.Activation;
import dev.moe.gating.training.GateOptions;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import java.util.ArrayList;
import java.util.List;

/** Fills the gate config's blanks with the article's gate; routing losses, EM and early stopping are off by default. */
final class GateOptionsFactory {

    private GateOptionsFactory() {
    }

    static GateOptions from(MoeConfig.GateConfig c, long seed) {
        GateOptions article = GateOptions.article(seed);
        List<Integer> hidden = c.hidden() == null ? article.hidden() : c.hidden();
        List<Activation> activations = new ArrayList<>();
        if (c.activations() != null) {
            for (String name : c.activations()) {
                try {
                    activations.add(Activation.fromConfigName(name));
                } catch (IllegalArgumentException e) {
                    throw new MoeException("gate.activations: " + e.getMessage());
                }
            }
        } else {
            // The article's pattern for any depth: ReLU first, LeakyReLU after.
            for (int i = 0; i < hidden.size(); i++) {
                activations.add(i == 0 ? Activation.RELU : Activation.LEAKY_RELU);
            }
        }
        return new GateOptions(hidden, activations,
                c.dropout() == null ? article.dropout() : c.dropout(),
                c.epochs() == null ? article.epochs() : c.epochs(),
                c.learningRate() == null ? article.learningRate() : c.learningRate(),
                c.batchSize() == null ? article.batchSize() : c.batchSize(),
                seed,
                c.fineTuneExperts() != null && c.fineTuneExperts(),
                c.expertLearningRate() == null ? article.expertLearningRate() : c.expertLearningRate(),
                c.denseWarmupEpochs() == null ? 0 : c.denseWarmupEpochs(),
                new GateOptions.AuxiliaryLosses(orZero(c.loadBalanceCoefficient()), orZero(c.importanceCoefficient()),
                        orZero(c.loadCoefficient()), orZero(c.zLossCoefficient())),
                c.trainerOrDefault().equals(MoeConfig.GateConfig.EM_TRAINER) ? GateOptions.Method.EM : GateOptions.Method.GRADIENT,
                c.emStepEpochs() == null ? GateOptions.DEFAULT_EM_STEP_EPOCHS : c.emStepEpochs(),
                c.validationFraction() == null || c.validationFraction() == 0 ? GateOptions.EarlyStopping.NONE
                        : new GateOptions.EarlyStopping(c.validationFraction(), c.patienceOrDefault()));
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
