package dev.moe.runtime.experiment;

import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.routing.ConstantRouting;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.api.RowIndependentRouting;
import dev.moe.gating.routing.UniformRouting;
import dev.moe.gating.training.GateOptions;
import dev.moe.gating.training.GateSelection;
import dev.moe.gating.training.SignalPool;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the config's gate section into gate options and, for {@code choose: auto}, into the candidates to choose
 * among. The defaults are the robust ones measured on the real data sets (see the README): a linear gate that
 * starts at equal weights, with weight decay, early stopping when the rows allow, and calibrated experts.
 */
final class GateOptionsFactory {

    private GateOptionsFactory() {
    }

    /**
     * @param gateRows how many rows the gate trains on (early stopping is on by default only with enough of them)
     */
    static GateOptions from(MoeConfig.GateConfig c, long seed, int gateRows) {
        List<Integer> hidden = c.hidden() == null ? List.of() : c.hidden();
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
        boolean fineTune = c.fineTuneExperts() != null && c.fineTuneExperts();
        GateOptions.EarlyStopping stopping;
        if (c.validationFraction() != null) {
            stopping = c.validationFraction() == 0 ? GateOptions.EarlyStopping.NONE
                    : new GateOptions.EarlyStopping(c.validationFraction(), c.patienceOrDefault());
        } else if (!fineTune && gateRows >= MoeConfig.GateConfig.MIN_ROWS_FOR_DEFAULT_EARLY_STOPPING) {
            stopping = new GateOptions.EarlyStopping(MoeConfig.GateConfig.DEFAULT_VALIDATION_FRACTION, c.patienceOrDefault());
        } else {
            stopping = GateOptions.EarlyStopping.NONE;
        }
        return GateOptions.builder()
                .hidden(hidden, activations)
                .dropout(c.dropout() == null ? 0 : c.dropout())
                .epochs(c.epochs() == null ? MoeConfig.GateConfig.DEFAULT_EPOCHS : c.epochs())
                .learningRate(c.learningRate() == null ? MoeConfig.GateConfig.DEFAULT_LEARNING_RATE : c.learningRate())
                .batchSize(c.batchSize() == null ? 0 : c.batchSize())
                .seed(seed)
                .fineTuneExperts(fineTune, c.expertLearningRate() == null ? 0.001 : c.expertLearningRate())
                .denseWarmupEpochs(c.denseWarmupEpochs() == null ? 0 : c.denseWarmupEpochs())
                .auxiliaryLosses(new GateOptions.AuxiliaryLosses(orZero(c.loadBalanceCoefficient()), orZero(c.importanceCoefficient()),
                        orZero(c.loadCoefficient()), orZero(c.zLossCoefficient())))
                .method(c.trainerOrDefault().equals(MoeConfig.GateConfig.EM_TRAINER) ? GateOptions.Method.EM : GateOptions.Method.GRADIENT)
                .emStepEpochs(c.emStepEpochs() == null ? GateOptions.DEFAULT_EM_STEP_EPOCHS : c.emStepEpochs())
                .earlyStopping(stopping)
                .inputs(GateInputs.fromConfigName(c.inputsOrDefault()))
                .weightDecay(c.weightDecay() == null ? MoeConfig.GateConfig.DEFAULT_WEIGHT_DECAY : c.weightDecay())
                .uniformStart(c.uniformStart() == null || c.uniformStart())
                .calibrate(c.calibrate() == null ? !fineTune : c.calibrate())
                .build();
    }

    /**
     * What the gate's training tries: the configured gate alone ({@code choose: gate}, or a strategy that learns no
     * per-row weights), else the configured candidates, each gate candidate with the configured routing strategy.
     */
    static List<GateSelection.Candidate> candidates(MoeConfig config, RoutingStrategy strategy, GateOptions options) {
        MoeConfig.GateConfig c = config.gate();
        checkStrategy(config, strategy);
        if (!config.gateChoice().equals(MoeConfig.GateConfig.CHOOSE_AUTO) || strategy instanceof RowIndependentRouting) {
            // The product strategy alone is the row-independent product, whatever gate.inputs says.
            GateOptions single = strategy instanceof ProductRouting ? options.toBuilder().inputs(GateInputs.FEATURES).build() : options;
            return List.of(new GateSelection.Candidate(strategy instanceof RowIndependentRouting ? strategy.name()
                    : options.inputs().configName(), strategy, single));
        }
        List<String> names = c.candidatesOrDefault();
        List<GateSelection.Candidate> candidates = new ArrayList<>();
        for (String name : names) {
            boolean raw = name.endsWith(MoeConfig.GateConfig.RAW_SUFFIX);
            String combiner = raw ? name.substring(0, name.length() - MoeConfig.GateConfig.RAW_SUFFIX.length()) : name;
            if (raw && !options.calibrate() && names.contains(combiner)) {
                continue; // with calibration off the two are the same combiner: train it once
            }
            GateOptions own = raw ? options.toBuilder().calibrate(false).build() : options;
            switch (combiner) {
                // Averaging exactly as the uniform baseline does it: raw outputs, nothing fitted.
                case UniformRouting.NAME -> candidates.add(new GateSelection.Candidate(name, new UniformRouting(),
                        options.toBuilder().epochs(0).calibrate(false).earlyStopping(GateOptions.EarlyStopping.NONE).build()));
                case ConstantRouting.NAME -> candidates.add(new GateSelection.Candidate(name, new ConstantRouting(), own));
                case ProductRouting.NAME -> candidates.add(new GateSelection.Candidate(name, new ProductRouting(),
                        own.toBuilder().inputs(GateInputs.FEATURES).build()));
                // The product with exponents that follow each expert's signals (SignalPool).
                case SignalPool.NAME -> candidates.add(new GateSelection.Candidate(name, new ProductRouting(),
                        own.toBuilder().inputs(GateInputs.SIGNALS).build()));
                default -> candidates.add(new GateSelection.Candidate(name, strategy,
                        own.toBuilder().inputs(GateInputs.fromConfigName(combiner)).build()));
            }
        }
        return candidates;
    }

    /** Refuses, before any work, a strategy the gate settings cannot train: the product with fine-tuned experts. */
    static void checkStrategy(MoeConfig config, RoutingStrategy strategy) {
        if (Boolean.TRUE.equals(config.gate().fineTuneExperts()) && strategy instanceof ProductRouting) {
            throw new MoeException(config.source() + ": gate.fine-tune-experts trains the experts with a gate, but the product"
                    + " strategy fits its exponents to frozen experts' outputs: name another strategy, or turn fine-tuning off");
        }
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
