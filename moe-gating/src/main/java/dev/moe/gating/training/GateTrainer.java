package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.ExpertCalibration;
import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.mixture.ExpertTuning;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.AdamOptimizer;
import dev.moe.gating.nn.Blas;
import dev.moe.gating.nn.Kernels;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.nn.Nd4jMatrices;
import dev.moe.gating.nn.ParallelHalves;
import dev.moe.gating.nn.Permutations;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the gate with Adam on the terms of a {@link GateObjective}: the mixture's negative log-likelihood
 * {@code -log sum_k w_k p_k(y)} (or EM's M-step), plus the auxiliary losses the options ask for. This class is the
 * loop around them: epochs, batches, the dense warm-up, early stopping and the optimiser. Deterministic: the same
 * options (seed included) give the same numbers.
 *
 * <p>Frozen experts (the default) give their outputs once, before the first epoch ({@link GateData}: computed here,
 * or out-of-fold ones from cross-fitting); each step then reuses their probabilities of the true label. Before the
 * gate, the options may fit each expert's calibration and build the gate's inputs from the experts' outputs
 * ({@link GateInputs}); weight decay, a uniform start and early stopping hold the gate back. With fine-tuning on,
 * experts that implement {@link dev.moe.api.FineTunableExpert} run every step and take their own Adam
 * step too.
 *
 * <p>Strategies that need more than logits are told apart by {@link RoutingNeeds}: noisy top-k gets its noise from
 * a training-only noise network; a row-independent strategy gets a gate whose logits are its output bias (kept as
 * {@link GateNetwork#constant} logits, without ND4J, where no epoch trains them: none asked for, or averaging, whose
 * weights no logit changes).
 */
public final class GateTrainer {

    /** Called after each epoch, e.g. for a progress bar. */
    public interface EpochListener {
        void epochDone(int epoch, int epochs, double loss);

        EpochListener NONE = (epoch, epochs, loss) -> { };
    }

    /**
     * @param lossHistory           the mixture's mean negative log-likelihood on the training rows in each epoch
     *                              run (auxiliary losses not included)
     * @param validationLossHistory the same on the held-out rows after each epoch; empty without early stopping
     * @param bestEpoch             how many epochs of training the returned gate has (with early stopping, the
     *                              epoch of the lowest validation loss)
     */
    public record TrainedMixture(MixtureModel model, double[] lossHistory, double[] validationLossHistory, int bestEpoch) {

        public TrainedMixture(MixtureModel model, double[] lossHistory) {
            this(model, lossHistory, new double[0], lossHistory.length);
        }
    }

    /**
     * Trains a gate over experts that are run here on {@code rows} (frozen), or fine-tuned with the gate when the
     * options ask for it.
     */
    public TrainedMixture train(FloatMatrix rows, int[] labels, List<String> labelNames, List<AlignedExpert> experts,
                                RoutingStrategy strategy, GateOptions options, EpochListener listener) {
        if (labels.length != rows.rows()) {
            throw new IllegalArgumentException(rows.rows() + " rows but " + labels.length + " labels");
        }
        GateData data = options.fineTuneExperts() ? new GateData(rows, labels, List.of()) : GateData.of(rows, labels, experts);
        return train(data, labelNames, experts, strategy, options, listener);
    }

    /**
     * Trains a gate on rows whose expert outputs are already known (see {@link GateData}). With
     * {@code options.calibrate()}, each expert's calibration is fitted on the training part of the rows first.
     */
    public TrainedMixture train(GateData data, List<String> labelNames, List<AlignedExpert> experts,
                                RoutingStrategy strategy, GateOptions options, EpochListener listener) {
        int n = data.rows();
        int e = experts.size();
        if (e == 0) {
            throw new IllegalArgumentException("a mixture needs at least one expert");
        }
        boolean frozen = !options.fineTuneExperts();
        if (frozen && data.expertProbabilities().size() != e) {
            throw new IllegalArgumentException(e + " experts but outputs of " + data.expertProbabilities().size());
        }
        if (strategy instanceof ProductRouting) {
            return trainProduct(data, labelNames, experts, strategy, options, listener);
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        Parts parts = Parts.split(n, options.earlyStopping(), random);
        List<ExpertCalibration> calibrations = ExpertCalibration.identities(e);
        List<FloatMatrix> calibrated = new ArrayList<>();
        if (frozen) {
            if (options.calibrate()) {
                int[] trainLabels = parts.selectTrain(data.labels());
                calibrations = fitEach(e, k -> calibration(parts.selectTrain(data.expertProbabilities().get(k)), trainLabels));
            }
            for (int k = 0; k < e; k++) {
                calibrated.add(calibrations.get(k).apply(data.expertProbabilities().get(k)));
            }
        }
        // A row-independent strategy's logits are its bias: reading the experts would only cost their runs.
        RoutingNeeds needs = RoutingNeeds.of(strategy);
        boolean rowIndependent = needs.rowIndependent();
        GateInputs inputs = rowIndependent ? GateInputs.FEATURES : options.inputs();
        FloatMatrix gateInput = inputs.build(data.features(), calibrated);
        FeatureScaler scaler = FeatureScaler.fit(parts.selectTrain(gateInput));
        // Averaging, also when named with epochs to run: its weights ignore the logits, and its gradient is 0.
        if (rowIndependent && frozen && (options.epochs() == 0 || needs.ignoresLogits())) {
            // What a run of no epochs returns (the uniform candidate asks for none), without ND4J: the logits stay 0.
            MixtureModel model = new MixtureModel(GateNetwork.constant(scaler, new float[e]), strategy, experts, calibrations,
                    labelNames);
            return new TrainedMixture(model, new double[0], new double[0], 0);
        }
        Mlp network;
        if (rowIndependent) {
            network = Mlp.fromParameters(new int[] {gateInput.columns(), e}, List.of(), 0, new float[(gateInput.columns() + 1) * e],
                    DataType.FLOAT);
        } else {
            int[] sizes = new int[options.hidden().size() + 2];
            sizes[0] = gateInput.columns();
            for (int i = 0; i < options.hidden().size(); i++) {
                sizes[i + 1] = options.hidden().get(i);
            }
            sizes[sizes.length - 1] = e;
            network = Mlp.initialise(sizes, options.activations(), options.dropout(), DataType.FLOAT, random.nextLong());
            if (options.uniformStart()) {
                network = withZeroOutputLayer(network);
            }
        }
        return new Session(scaler, network, inputs, gateInput, data.features(), data.labels(), calibrated, calibrations, parts,
                labelNames, experts, strategy, options, random).run(listener);
    }

    /**
     * A {@link ProductRouting} pool: each expert's calibration (when asked) and the exponents, both fitted on every
     * row by maximum likelihood (a specialist's calibration too, see below); the exponents become the output bias
     * of a gate whose input weights are 0. No epochs, early stopping or weight decay: the fit is convex and has one
     * parameter per expert.
     */
    private TrainedMixture trainProduct(GateData data, List<String> labelNames, List<AlignedExpert> experts,
                                        RoutingStrategy strategy, GateOptions options, EpochListener listener) {
        if (options.fineTuneExperts()) {
            throw new IllegalArgumentException("the product pool is fitted to frozen experts' outputs: fine-tuning is off for it");
        }
        int e = experts.size();
        // On every row, unlike a sum's calibration: in a product a specialist's near-zero for a label it never
        // learned would veto that label, so its floor must learn how often that zero is wrong.
        List<ExpertCalibration> calibrations = options.calibrate()
                ? fitEach(e, k -> ExpertCalibration.fit(data.expertProbabilities().get(k), data.labels()))
                : ExpertCalibration.identities(e);
        List<FloatMatrix> calibrated = new ArrayList<>();
        for (int k = 0; k < e; k++) {
            calibrated.add(calibrations.get(k).apply(data.expertProbabilities().get(k)));
        }
        LogLinearPool.Fit fit = LogLinearPool.fit(calibrated, data.labels());
        if (options.inputs() == GateInputs.SIGNALS) {
            return trainSignalProduct(data, labelNames, experts, strategy, calibrations, calibrated, fit, listener);
        }
        float[] logits = new float[e];
        for (int k = 0; k < e; k++) {
            logits[k] = ProductRouting.logitOf(fit.exponents()[k]);
        }
        MixtureModel model = new MixtureModel(GateNetwork.constant(FeatureScaler.fit(data.features()), logits), strategy, experts,
                calibrations, labelNames);
        double[] history = fit.lossHistory();
        for (int step = 0; step < history.length; step++) {
            listener.epochDone(step + 1, history.length, history[step]);
        }
        return new TrainedMixture(model, history);
    }

    /**
     * The product whose exponents follow each expert's own signals ({@link SignalPool}), started at the product's
     * fit: a one-layer gate on the standardised signals whose input weights connect each expert's signals to its
     * own logit only (the others stay 0), with the log-exponents as its bias. It is saved and run as any gate on
     * the signals, under the product strategy.
     */
    private TrainedMixture trainSignalProduct(GateData data, List<String> labelNames, List<AlignedExpert> experts,
                                              RoutingStrategy strategy, List<ExpertCalibration> calibrations,
                                              List<FloatMatrix> calibrated, LogLinearPool.Fit product, EpochListener listener) {
        int e = experts.size();
        int m = GateInputs.SIGNALS_PER_EXPERT;
        FloatMatrix signals = GateInputs.SIGNALS.build(data.features(), calibrated);
        FeatureScaler scaler = FeatureScaler.fit(signals);
        SignalPool.Fit fit = SignalPool.fit(calibrated, scaler.apply(signals), m, data.labels(), product.exponents(),
                SignalPool.DEFAULT_PENALTY);
        int inputs = e * m;
        float[] parameters = new float[inputs * e + e];
        for (int k = 0; k < e; k++) {
            for (int i = 0; i < m; i++) {
                parameters[(k * m + i) * e + k] = (float) fit.slopes()[k][i];
            }
            parameters[inputs * e + k] = (float) fit.bias()[k];
        }
        Mlp network = Mlp.fromParameters(new int[] {inputs, e}, List.of(), 0, parameters, DataType.FLOAT);
        MixtureModel model = new MixtureModel(new GateNetwork(scaler, network, GateInputs.SIGNALS), strategy, experts, calibrations,
                labelNames);
        double[] history = fit.lossHistory();
        for (int step = 0; step < history.length; step++) {
            listener.epochDone(step + 1, history.length, history[step]);
        }
        return new TrainedMixture(model, history);
    }

    /**
     * Each expert's calibration: independent fits, so the experts run in two groups on two cores (one after the
     * other, they took most of the combiner's choice, a fifth of a repeat on letter's 26 labels).
     */
    private static List<ExpertCalibration> fitEach(int experts, IntFunction<ExpertCalibration> fit) {
        ExpertCalibration[] fitted = new ExpertCalibration[experts];
        int half = experts / 2;
        ParallelHalves.run(() -> {
            for (int k = 0; k < half; k++) {
                fitted[k] = fit.apply(k);
            }
        }, () -> {
            for (int k = half; k < experts; k++) {
                fitted[k] = fit.apply(k);
            }
        });
        return List.of(fitted);
    }

    /**
     * An expert's calibration, fitted on the rows whose label it names as its answer somewhere among these rows. A
     * specialist's near-zero for a label it never learned is not over-confidence for the mixture to soften (other
     * experts cover that label), and fitting on those rows would flatten everything it does know.
     */
    static ExpertCalibration calibration(FloatMatrix p, int[] labels) {
        boolean[] answered = new boolean[p.columns()];
        for (int r = 0; r < p.rows(); r++) {
            answered[p.argMaxOfRow(r)] = true;
        }
        int known = 0;
        for (int label : labels) {
            known += answered[label] ? 1 : 0;
        }
        if (known == labels.length) {
            return ExpertCalibration.fit(p, labels);
        }
        if (known == 0) {
            return ExpertCalibration.IDENTITY;
        }
        int[] rows = new int[known];
        int[] kept = new int[known];
        for (int r = 0, i = 0; r < labels.length; r++) {
            if (answered[labels[r]]) {
                rows[i] = r;
                kept[i++] = labels[r];
            }
        }
        return ExpertCalibration.fit(p.selectRows(rows), kept);
    }

    /** The same network with its last layer's weights and biases at 0: every logit 0, so softmax weights are equal. */
    static Mlp withZeroOutputLayer(Mlp network) {
        int[] sizes = network.sizes();
        float[] values = network.parameterValues();
        int last = sizes[sizes.length - 2] * sizes[sizes.length - 1] + sizes[sizes.length - 1];
        Arrays.fill(values, values.length - last, values.length, 0f);
        return Mlp.fromParameters(sizes, network.activations(), network.dropout(), values, network.dataType());
    }

    /**
     * Trains an existing mixture's gate further from where it is, with its experts frozen and its feature scaler
     * and calibrations kept: e.g. after {@link GateExtension#addExpert}. The options' layer sizes are not used.
     */
    public TrainedMixture continueTraining(MixtureModel model, FloatMatrix rows, int[] labels, GateOptions options,
                                           EpochListener listener) {
        if (options.fineTuneExperts()) {
            throw new IllegalArgumentException("continued training trains the gate only: fine-tuning experts is off here");
        }
        if (model.gate().inputs().needsExperts()) {
            throw new IllegalArgumentException("continued training needs a gate on the features, not on "
                    + model.gate().inputs().configName());
        }
        if (labels.length != rows.rows()) {
            throw new IllegalArgumentException(rows.rows() + " rows but " + labels.length + " labels");
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        Parts parts = Parts.split(rows.rows(), options.earlyStopping(), random);
        return new Session(model.gate().scaler(), model.gate().network().copy(), GateInputs.FEATURES, rows, rows, labels,
                model.calibratedProbabilities(rows), model.calibrations(), parts, model.labelNames(), model.experts(),
                model.strategy(), options, random).run(listener);
    }

    /** The gate-train rows split into the rows trained on and the rows watched for early stopping. */
    private record Parts(int[] train, int[] validation) {

        static Parts split(int n, GateOptions.EarlyStopping stopping, SplittableRandom random) {
            int[] order = Permutations.identity(n);
            if (!stopping.enabled()) {
                return new Parts(order, new int[0]);
            }
            Permutations.shuffle(order, random);
            int held = (int) Math.round(n * stopping.validationFraction());
            if (held < 1 || held >= n) {
                throw new IllegalArgumentException("a validation fraction of " + stopping.validationFraction()
                        + " leaves no rows to " + (held < 1 ? "validate on" : "train on") + " of " + n);
            }
            int[] validation = Arrays.copyOfRange(order, 0, held);
            int[] train = Arrays.copyOfRange(order, held, n);
            Arrays.sort(validation);
            Arrays.sort(train);
            return new Parts(train, validation);
        }

        FloatMatrix selectTrain(FloatMatrix all) {
            return validation.length == 0 ? all : all.selectRows(train);
        }

        int[] selectTrain(int[] all) {
            return validation.length == 0 ? all : Permutations.select(all, train);
        }
    }

    /** One training run's state. */
    private static final class Session {

        private final FeatureScaler scaler;
        private final Mlp network;
        private final AdamOptimizer optimizer;
        /** 1 for each parameter trained, 0 for the others; null when all are. */
        private final float[] trainableMask;
        /** The weight decay times 1 for each weight, 0 for each bias; null without weight decay. */
        private final float[] decay;
        private final GateInputs inputs;
        private final List<ExpertCalibration> calibrations;
        private final FloatMatrix rows;
        private final int[] labels;
        private final INDArray input;
        private final INDArray validationInput;
        private final int[] validationLabels;
        private final List<String> labelNames;
        private final List<AlignedExpert> experts;
        private final RoutingStrategy strategy;
        private final RoutingStrategy warmup = new SoftmaxDenseRouting(1.0);
        private final GateOptions options;
        private final SplittableRandom random;
        private final NoisyGating noise;
        private final GateObjective objective;
        private final List<ExpertTuning> tunings = new ArrayList<>();
        /** The indices of the fine-tuned experts (those with a tuning). */
        private final int[] tuned;
        private final int e;
        /** p_k(y_i) of the frozen experts, row-major rows x e: on the training rows, and on the held-out rows. */
        private final float[] trueLabelProbability;
        private final float[] validationProbability;

        Session(FeatureScaler scaler, Mlp network, GateInputs inputs, FloatMatrix allInputs, FloatMatrix allFeatures,
                int[] allLabels, List<FloatMatrix> allProbabilities, List<ExpertCalibration> calibrations, Parts parts,
                List<String> labelNames, List<AlignedExpert> experts, RoutingStrategy strategy, GateOptions options,
                SplittableRandom random) {
            this.scaler = scaler;
            this.network = network;
            this.inputs = inputs;
            this.calibrations = calibrations;
            this.labelNames = labelNames;
            this.experts = experts;
            this.strategy = strategy;
            this.options = options;
            this.random = random;
            this.e = experts.size();
            RoutingNeeds needs = RoutingNeeds.of(strategy);
            this.optimizer = new AdamOptimizer(network.parameters(), options.learningRate());
            this.trainableMask = needs.rowIndependent() ? biasOnly(network) : null;
            this.decay = options.weightDecay() > 0 && trainableMask == null ? weightsOnly(network, options.weightDecay()) : null;
            this.noise = needs.trainsWithNoise() ? new NoisyGating(allInputs.columns(), e, options.learningRate()) : null;

            boolean everyRow = parts.validation.length == 0;
            this.rows = everyRow ? allFeatures : allFeatures.selectRows(parts.train);
            this.labels = everyRow ? allLabels : Permutations.select(allLabels, parts.train);
            this.input = Nd4jMatrices.toNd4j(scaler.apply(parts.selectTrain(allInputs)), DataType.FLOAT);
            this.validationLabels = Permutations.select(allLabels, parts.validation);
            this.validationInput = everyRow ? null
                    : Nd4jMatrices.toNd4j(scaler.apply(allInputs.selectRows(parts.validation)), DataType.FLOAT);

            int n = rows.rows();
            this.trueLabelProbability = new float[n * e];
            this.validationProbability = new float[validationLabels.length * e];
            this.objective = GateObjective.of(options, needs, strategy.name(), trueLabelProbability, e);
            for (int k = 0; k < e; k++) {
                ExpertTuning tuning = options.fineTuneExperts()
                        ? ExpertTuning.start(experts.get(k), options.expertLearningRate(), random.nextLong())
                        : null;
                tunings.add(tuning);
                if (tuning == null) {
                    FloatMatrix p = allProbabilities.get(k);
                    trueLabelProbabilities(parts.selectTrain(p), labels, k, e, trueLabelProbability);
                    if (!everyRow) {
                        trueLabelProbabilities(p.selectRows(parts.validation), validationLabels, k, e, validationProbability);
                    }
                }
            }
            this.tuned = IntStream.range(0, e).filter(k -> tunings.get(k) != null).toArray();
        }

        TrainedMixture run(EpochListener listener) {
            int n = rows.rows();
            int batch = options.batchSize() == 0 || options.batchSize() >= n ? n : options.batchSize();
            int[] order = Permutations.identity(n);
            double[] lossHistory = new double[options.epochs()];
            double[] validationHistory = new double[validationInput == null ? 0 : options.epochs()];
            EarlyStop stop = new EarlyStop(options.earlyStopping().patience());
            int epoch = 0;
            while (epoch < options.epochs()) {
                RoutingStrategy routing = epoch < options.denseWarmupEpochs() ? warmup : strategy;
                objective.startEpoch(epoch, () -> trainingWeights(routing));
                if (batch < n) {
                    Permutations.shuffle(order, random);
                }
                double lossSum = 0;
                for (int start = 0; start < n; start += batch) {
                    int size = Math.min(batch, n - start);
                    int[] batchRows = size == n ? order : Arrays.copyOfRange(order, start, start + size);
                    INDArray batchInput = size == n && batch == n ? input : input.getRows(batchRows);
                    lossSum += step(routing, batchInput, batchRows) * size;
                }
                lossHistory[epoch] = lossSum / n;
                epoch++;
                listener.epochDone(epoch, options.epochs(), lossHistory[epoch - 1]);
                if (validationInput != null) {
                    validationHistory[epoch - 1] = validationLoss(routing);
                    // The warm-up optimises another routing: only the configured strategy's epochs count.
                    if (routing == strategy && stop.stopAfter(epoch, validationHistory[epoch - 1], network)) {
                        break;
                    }
                }
            }
            int bestEpoch = epoch;
            if (stop.bestParameters != null) {
                network.parameters().assign(stop.bestParameters);
                bestEpoch = stop.bestEpoch;
            }
            List<AlignedExpert> finalExperts = new ArrayList<>(experts);
            for (int k = 0; k < e; k++) {
                if (tunings.get(k) != null) {
                    finalExperts.set(k, tunings.get(k).finish());
                }
            }
            MixtureModel model = new MixtureModel(new GateNetwork(scaler, network, inputs), strategy, finalExperts, calibrations,
                    labelNames);
            return new TrainedMixture(model, Arrays.copyOf(lossHistory, epoch),
                    Arrays.copyOf(validationHistory, validationInput == null ? 0 : epoch), bestEpoch);
        }

        /** One Adam step on one batch; returns the batch's mean negative log-likelihood. */
        private double step(RoutingStrategy routing, INDArray batchInput, int[] batchRows) {
            int b = batchRows.length;
            int[] batchLabels = Permutations.select(labels, batchRows);
            float[] probabilities = frozenProbabilities(batchRows);
            // The fine-tuned experts' passes (each writes its column of the probabilities) run beside the gate's.
            FloatMatrix batchFeatures = tuned.length == 0 ? null
                    : b == rows.rows() && isIdentity(batchRows) ? rows : rows.selectRows(batchRows);
            Runnable[] expertForwards = expertGroups(k -> {
                FloatMatrix expertProbabilities = tunings.get(k).forward(batchFeatures);
                for (int i = 0; i < b; i++) {
                    probabilities[i * e + k] = expertProbabilities.get(i, batchLabels[i]);
                }
            });
            Mlp.Pass pass = network.forward(batchInput, true, random, expertForwards[0], expertForwards[1]);
            FloatMatrix z = pass.logitValues();
            NoisyGating.Sample noisy = noise != null && routing == strategy ? noise.sample(batchInput, z, random) : null;
            RoutingStrategy.Routing routed = routing.route(noisy == null ? z : noisy.noisyLogits(), true);
            GateBatch batch = new GateBatch(batchRows, z, noisy, routed.weights(), probabilities);

            double loss = objective.addWeightGradients(batch);
            batch.routed(routed.backward(new FloatMatrix(b, e, batch.weightGradient)));
            objective.addLogitGradients(batch);
            if (noisy != null) {
                noise.step(noisy, batch.noisyLogitGradient, batch.stdGradient);
            }

            // The fine-tuned experts' steps depend on nothing the gate's backward pass does: beside it.
            Runnable[] expertSteps = expertGroups(k -> tunings.get(k).backwardAndStep(batch.probabilityGradient, k, e, batchLabels));
            optimizer.beginStep();
            network.backwardAndUpdate(pass, new FloatMatrix(b, e, batch.logitGradient), (gradient, from, to) -> {
                if (decay != null || trainableMask != null) {
                    decayAndMask(gradient, network.parameters(), decay, trainableMask, from, to);
                }
                optimizer.update(gradient, from, to);
            }, expertSteps[0], expertSteps[1]);
            return loss;
        }

        /** p_k(y_i) of the frozen experts for the batch's rows (cached); the fine-tuned experts' columns are left 0. */
        private float[] frozenProbabilities(int[] batchRows) {
            int b = batchRows.length;
            float[] p = new float[b * e];
            for (int k = 0; k < e; k++) {
                if (tunings.get(k) == null) {
                    for (int i = 0; i < b; i++) {
                        p[i * e + k] = trueLabelProbability[batchRows[i] * e + k];
                    }
                }
            }
            return p;
        }

        /**
         * {@code work} for each fine-tuned expert, in two groups (either null when empty) for the two cores: the experts
         * are independent of each other and of the gate's pass, which runs each group beside one of its halves. The
         * second group is the larger, as the gate's backward pass expects (its first half then finishes the step).
         */
        private Runnable[] expertGroups(IntConsumer work) {
            int half = tuned.length / 2;
            return new Runnable[] {group(0, half, work), group(half, tuned.length, work)};
        }

        private Runnable group(int from, int to, IntConsumer work) {
            if (from == to) {
                return null;
            }
            return () -> {
                for (int i = from; i < to; i++) {
                    work.accept(tuned[i]);
                }
            };
        }

        /** The weights of every training row under the given routing, as at inference. */
        private float[] trainingWeights(RoutingStrategy routing) {
            return routing.route(Nd4jMatrices.toFloatMatrix(network.predictLogits(input)), false).weights().values();
        }

        /** The mixture's mean negative log-likelihood on the held-out rows, routed as at inference. */
        private double validationLoss(RoutingStrategy routing) {
            float[] w = routing.route(Nd4jMatrices.toFloatMatrix(network.predictLogits(validationInput)), false).weights().values();
            double loss = 0;
            int v = validationLabels.length;
            for (int i = 0; i < v; i++) {
                double mixture = 0;
                for (int k = 0; k < e; k++) {
                    mixture += (double) w[i * e + k] * validationProbability[i * e + k];
                }
                loss -= Math.log(Math.max(mixture, MixtureLikelihood.MIN_LIKELIHOOD));
            }
            return loss / v;
        }
    }

    /** Keeps the parameters of the epoch with the lowest validation loss; says when patience has run out. */
    private static final class EarlyStop {
        private final int patience;
        private double best = Double.POSITIVE_INFINITY;
        private int bestEpoch;
        private INDArray bestParameters;

        EarlyStop(int patience) {
            this.patience = patience;
        }

        boolean stopAfter(int epoch, double validationLoss, Mlp network) {
            if (validationLoss < best) {
                best = validationLoss;
                bestEpoch = epoch;
                bestParameters = network.parameters().dup();
            }
            return epoch - bestEpoch >= patience;
        }
    }

    /**
     * {@code gradient = (gradient + parameters * decay) * mask} on elements {@code from..to-1}, either factor optional.
     * With the direct kernels a Java loop over the arrays' memory, so that a step makes no ND4J array (mul did, every
     * step); ND4J's ops (other backends) take the whole arrays.
     */
    private static void decayAndMask(INDArray gradient, INDArray parameters, float[] decay, float[] mask, int from, int to) {
        if (Kernels.forBackend() != Kernels.DIRECT) {
            if (from != 0 || to != gradient.length()) {
                throw new IllegalArgumentException("ND4J's ops take the whole gradient, not " + from + ".." + to);
            }
            if (decay != null) {
                gradient.addi(parameters.mul(Nd4j.create(decay, new long[] {1, decay.length}, 'c')));
            }
            if (mask != null) {
                gradient.muli(Nd4j.create(mask, new long[] {1, mask.length}, 'c'));
            }
            return;
        }
        FloatBuffer g = Blas.floats(gradient);
        FloatBuffer p = Blas.floats(parameters);
        int chunk = 2048;
        float[] gs = new float[Math.min(chunk, to - from)];
        float[] ps = new float[gs.length];
        // Chunks indexed from 0, as the JIT vectorises them (not with the factors read at start + i).
        float[] factors = new float[gs.length];
        for (int start = from; start < to; start += chunk) {
            int length = Math.min(chunk, to - start);
            g.get(start, gs, 0, length);
            if (decay != null) {
                p.get(start, ps, 0, length);
                System.arraycopy(decay, start, factors, 0, length);
                for (int i = 0; i < length; i++) {
                    gs[i] += ps[i] * factors[i];
                }
            }
            if (mask != null) {
                System.arraycopy(mask, start, factors, 0, length);
                for (int i = 0; i < length; i++) {
                    gs[i] *= factors[i];
                }
            }
            g.put(start, gs, 0, length);
        }
    }

    /** {@code decay} for each weight, 0 for each bias, in the network's flat layout (per layer: weights, then bias). */
    private static float[] weightsOnly(Mlp network, double decay) {
        float[] mask = new float[network.parameterCount()];
        int[] sizes = network.sizes();
        int offset = 0;
        for (int layer = 0; layer + 1 < sizes.length; layer++) {
            int weights = sizes[layer] * sizes[layer + 1];
            Arrays.fill(mask, offset, offset + weights, (float) decay);
            offset += weights + sizes[layer + 1];
        }
        return mask;
    }

    /** 1 for the output layer's bias, 0 for every other parameter, in the network's flat layout (bias last). */
    private static float[] biasOnly(Mlp network) {
        float[] mask = new float[network.parameterCount()];
        Arrays.fill(mask, mask.length - network.outputSize(), mask.length, 1f);
        return mask;
    }

    /** Writes column {@code expert} of the row-major rows x e block {@code out}: each row's true-label probability. */
    private static void trueLabelProbabilities(FloatMatrix p, int[] labels, int expert, int e, float[] out) {
        for (int i = 0; i < labels.length; i++) {
            out[i * e + expert] = p.get(i, labels[i]);
        }
    }

    private static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }
}
