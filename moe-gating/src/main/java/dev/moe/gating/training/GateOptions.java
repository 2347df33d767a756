package dev.moe.gating.training;

import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.nn.Activation;
import java.util.List;
import java.util.Objects;

/**
 * How the gate is built and trained.
 *
 * @param hidden             hidden layer sizes; empty for a linear gate
 * @param activations        one per hidden layer
 * @param dropout            after each hidden layer while training
 * @param epochs             passes over the gate-train rows (at most, with early stopping)
 * @param learningRate       Adam's step size for the gate
 * @param batchSize          rows per step; 0 for full batch
 * @param seed               initialisation, dropout, batch order, noise and the validation rows
 * @param fineTuneExperts    also train experts that support it, jointly with the gate
 * @param expertLearningRate Adam's step size for fine-tuned experts
 * @param denseWarmupEpochs  first epochs trained with dense softmax routing before the configured strategy
 *                           (dense-to-sparse): a sparse strategy gives no gradient to the experts it skips,
 *                           so a gate that starts sparse can lock in an early, poor ranking
 * @param auxiliaryLosses    coefficients of the load-balancing and router losses added to the gate's loss
 * @param method             gradient descent on the mixture's likelihood, or EM
 * @param emStepEpochs       EM only: gate epochs fitted to one E-step's responsibilities before the next E-step
 * @param earlyStopping      hold out part of the gate rows and stop when their loss stops falling
 * @param inputs             what the gate reads: the features, the experts' outputs, or both
 * @param weightDecay        L2 penalty {@code weightDecay / 2 * sum w^2} on the gate's weights (not its biases),
 *                           added to the mean loss per row
 * @param uniformStart       start with a zero output layer, so that the untrained gate averages the experts
 * @param calibrate          fit one calibration per expert (temperature and floor) on the gate's training rows
 *                           before the gate, and mix the calibrated outputs
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
        int denseWarmupEpochs,
        AuxiliaryLosses auxiliaryLosses,
        Method method,
        int emStepEpochs,
        EarlyStopping earlyStopping,
        GateInputs inputs,
        double weightDecay,
        boolean uniformStart,
        boolean calibrate) {

    /** The article's gate: 128-256-128, ReLU then LeakyReLU, dropout 0.1, Adam at 0.001, 500 epochs full batch. */
    public static final List<Integer> ARTICLE_HIDDEN = List.of(128, 256, 128);
    public static final List<Activation> ARTICLE_ACTIVATIONS =
            List.of(Activation.RELU, Activation.LEAKY_RELU, Activation.LEAKY_RELU);
    public static final int DEFAULT_EM_STEP_EPOCHS = 10;

    /** How the gate's parameters are fitted. */
    public enum Method {
        /** Adam on the mixture's negative log-likelihood (plus the auxiliary losses). */
        GRADIENT,
        /**
         * Expectation-maximisation (Jordan and Jacobs 1994) with frozen experts: the E-step computes each row's
         * responsibilities {@code r_ik ∝ w_k(x_i) p_k(y_i|x_i)}, the M-step fits the gate's weights to them
         * (cross-entropy, Adam, {@code emStepEpochs} epochs). The weights are those of the strategy in force, so
         * with one expert per row (switch, top-1) the responsibilities equal the weights and EM learns nothing
         * beyond the dense warm-up: use it with dense routing or k above 1.
         */
        EM
    }

    /**
     * Coefficients of the auxiliary losses; 0 turns one off.
     *
     * @param loadBalance the Switch Transformer's {@code alpha * E * sum_i f_i P_i}
     *                    (f: share of rows routed to expert i, P: its mean router probability)
     * @param importance  Shazeer et al.'s {@code CV^2} of the experts' importance (summed weights per batch)
     * @param load        Shazeer et al.'s {@code CV^2} of the experts' smooth load; noisy-top-k only
     * @param zLoss       the router z-loss (ST-MoE) {@code beta * mean((logsumexp z)^2)}: keeps logits small
     */
    public record AuxiliaryLosses(double loadBalance, double importance, double load, double zLoss) {

        public static final AuxiliaryLosses NONE = new AuxiliaryLosses(0, 0, 0, 0);

        public AuxiliaryLosses {
            if (!(loadBalance >= 0 && importance >= 0 && load >= 0 && zLoss >= 0)) {
                throw new IllegalArgumentException("auxiliary loss coefficients must not be negative: " + loadBalance
                        + ", " + importance + ", " + load + ", " + zLoss);
            }
        }
    }

    /**
     * @param validationFraction share of the gate rows held out to watch (0: no early stopping; every epoch runs)
     * @param patience           epochs without a lower validation loss before training stops; the gate then
     *                           goes back to its best epoch
     */
    public record EarlyStopping(double validationFraction, int patience) {

        public static final EarlyStopping NONE = new EarlyStopping(0, 0);

        public EarlyStopping {
            if (!(validationFraction >= 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
            }
            if (patience < 0 || (validationFraction > 0 && patience == 0)) {
                throw new IllegalArgumentException("patience must be positive with a validation fraction, got " + patience);
            }
        }

        public boolean enabled() {
            return validationFraction > 0;
        }
    }

    public GateOptions {
        hidden = List.copyOf(hidden);
        activations = List.copyOf(activations);
        Objects.requireNonNull(auxiliaryLosses, "auxiliaryLosses");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(earlyStopping, "earlyStopping");
        Objects.requireNonNull(inputs, "inputs");
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and not negative, got " + weightDecay);
        }
        if (fineTuneExperts && (inputs.needsExperts() || calibrate)) {
            throw new IllegalArgumentException("fine-tuned experts change during training: the gate can then read the features"
                    + " only, and the experts cannot be calibrated beforehand");
        }
        if (hidden.size() != activations.size()) {
            throw new IllegalArgumentException(hidden.size() + " hidden layers but " + activations.size() + " activations");
        }
        if (epochs < 0 || batchSize < 0 || denseWarmupEpochs < 0) {
            throw new IllegalArgumentException("epochs, batch size and warm-up epochs must not be negative");
        }
        if (emStepEpochs < 1) {
            throw new IllegalArgumentException("EM step epochs must be positive, got " + emStepEpochs);
        }
        if (fineTuneExperts && method == Method.EM) {
            throw new IllegalArgumentException("EM trains the gate with frozen experts: it cannot fine-tune experts");
        }
        if (fineTuneExperts && earlyStopping.enabled()) {
            throw new IllegalArgumentException("early stopping restores the best gate only: it cannot fine-tune experts");
        }
    }

    /** Gradient training, no auxiliary losses, no early stopping. */
    public GateOptions(List<Integer> hidden, List<Activation> activations, double dropout, int epochs, double learningRate,
                       int batchSize, long seed, boolean fineTuneExperts, double expertLearningRate, int denseWarmupEpochs) {
        this(hidden, activations, dropout, epochs, learningRate, batchSize, seed, fineTuneExperts, expertLearningRate,
                denseWarmupEpochs, AuxiliaryLosses.NONE, Method.GRADIENT, DEFAULT_EM_STEP_EPOCHS, EarlyStopping.NONE,
                GateInputs.FEATURES, 0, false, false);
    }

    public static GateOptions article(long seed) {
        return new GateOptions(ARTICLE_HIDDEN, ARTICLE_ACTIVATIONS, 0.1, 500, 0.001, 0, seed, false, 0.001, 0);
    }

    public GateOptions withAuxiliaryLosses(AuxiliaryLosses losses) {
        return toBuilder().auxiliaryLosses(losses).build();
    }

    public GateOptions withMethod(Method newMethod, int newEmStepEpochs) {
        return toBuilder().method(newMethod).emStepEpochs(newEmStepEpochs).build();
    }

    public GateOptions withEarlyStopping(EarlyStopping stopping) {
        return toBuilder().earlyStopping(stopping).build();
    }

    /** The same options with another seed (e.g. for each fold of a cross-validation). */
    public GateOptions withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.hidden = hidden;
        b.activations = activations;
        b.dropout = dropout;
        b.epochs = epochs;
        b.learningRate = learningRate;
        b.batchSize = batchSize;
        b.seed = seed;
        b.fineTuneExperts = fineTuneExperts;
        b.expertLearningRate = expertLearningRate;
        b.denseWarmupEpochs = denseWarmupEpochs;
        b.auxiliaryLosses = auxiliaryLosses;
        b.method = method;
        b.emStepEpochs = emStepEpochs;
        b.earlyStopping = earlyStopping;
        b.inputs = inputs;
        b.weightDecay = weightDecay;
        b.uniformStart = uniformStart;
        b.calibrate = calibrate;
        return b;
    }

    /** A linear gate on the features, Adam at 0.01, 300 full-batch epochs, nothing else: set what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options one at a time; {@link #build()} checks them together. */
    public static final class Builder {
        private List<Integer> hidden = List.of();
        private List<Activation> activations = List.of();
        private double dropout;
        private int epochs = 300;
        private double learningRate = 0.01;
        private int batchSize;
        private long seed;
        private boolean fineTuneExperts;
        private double expertLearningRate = 0.001;
        private int denseWarmupEpochs;
        private AuxiliaryLosses auxiliaryLosses = AuxiliaryLosses.NONE;
        private Method method = Method.GRADIENT;
        private int emStepEpochs = DEFAULT_EM_STEP_EPOCHS;
        private EarlyStopping earlyStopping = EarlyStopping.NONE;
        private GateInputs inputs = GateInputs.FEATURES;
        private double weightDecay;
        private boolean uniformStart;
        private boolean calibrate;

        private Builder() {
        }

        public Builder hidden(List<Integer> value, List<Activation> layerActivations) {
            hidden = value;
            activations = layerActivations;
            return this;
        }

        public Builder dropout(double value) {
            dropout = value;
            return this;
        }

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder fineTuneExperts(boolean value, double learningRateOfExperts) {
            fineTuneExperts = value;
            expertLearningRate = learningRateOfExperts;
            return this;
        }

        public Builder denseWarmupEpochs(int value) {
            denseWarmupEpochs = value;
            return this;
        }

        public Builder auxiliaryLosses(AuxiliaryLosses value) {
            auxiliaryLosses = value;
            return this;
        }

        public Builder method(Method value) {
            method = value;
            return this;
        }

        public Builder emStepEpochs(int value) {
            emStepEpochs = value;
            return this;
        }

        public Builder earlyStopping(EarlyStopping value) {
            earlyStopping = value;
            return this;
        }

        public Builder inputs(GateInputs value) {
            inputs = value;
            return this;
        }

        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        public Builder uniformStart(boolean value) {
            uniformStart = value;
            return this;
        }

        public Builder calibrate(boolean value) {
            calibrate = value;
            return this;
        }

        public GateOptions build() {
            return new GateOptions(hidden, activations, dropout, epochs, learningRate, batchSize, seed, fineTuneExperts,
                    expertLearningRate, denseWarmupEpochs, auxiliaryLosses, method, emStepEpochs, earlyStopping, inputs,
                    weightDecay, uniformStart, calibrate);
        }
    }
}
