package dev.moe.runtime.experiment;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.training.GateData;
import dev.moe.gating.training.GateOptions;
import dev.moe.gating.training.GateSelection;
import dev.moe.gating.training.GateTrainer;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.SaveRequest;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.api.NearestName;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.DataSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.evaluation.Baselines;
import dev.moe.runtime.evaluation.ClassificationMetrics;
import dev.moe.runtime.evaluation.EvaluationReport;
import dev.moe.runtime.evaluation.GateSummary;
import dev.moe.runtime.evaluation.RepeatOutputs;
import dev.moe.runtime.evaluation.RunResult;
import dev.moe.runtime.evaluation.TestRows;
import dev.moe.runtime.evaluation.TribuoEvaluation;
import dev.moe.runtime.scoring.AbsentLabels;
import dev.moe.runtime.scoring.InSampleExperts;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The whole experiment: data, split, experts, gate, evaluation on held-out rows; repeated over seeds.
 * Every random choice of repeat r derives from {@code seed + r}, so a run is reproducible.
 */
public final class Experiment {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Experiment.class);

    private final MoeConfig config;
    private final Map<String, DataSource> dataSources;
    private final ExpertFactory expertFactory;
    private final RoutingStrategy strategy;
    private final GateTrainer gateTrainer;
    /** Applied to the gate options the config gives (the Java API's way to set them); identity by default. */
    private final UnaryOperator<GateOptions> gateOptions;
    /** The categorical-cells line last said, so that repeats with the same counts do not say it again. */
    private final java.util.concurrent.atomic.AtomicReference<String> lastEncodingSummary = new java.util.concurrent.atomic.AtomicReference<>();
    /** Loaded experts trained on the data file itself ({@link InSampleExperts}), found in the first repeat; null before. */
    private volatile List<String> inSampleNotices;
    /** Loaded experts lacking labels of the data ({@link AbsentLabels}), found in the first repeat; null before. */
    private volatile Map<String, List<String>> absentLabels;
    /** The rows the data file left out for having no label ({@code data.unlabelled}); null before loading, or none. */
    private volatile dev.moe.runtime.data.Unlabelled unlabelled;

    @Inject
    public Experiment(MoeConfig config, Map<String, DataSource> dataSources, ExpertFactory expertFactory,
                      RoutingStrategy strategy, GateTrainer gateTrainer) {
        this(config, dataSources, expertFactory, strategy, gateTrainer, UnaryOperator.identity());
    }

    private Experiment(MoeConfig config, Map<String, DataSource> dataSources, ExpertFactory expertFactory,
                       RoutingStrategy strategy, GateTrainer gateTrainer, UnaryOperator<GateOptions> gateOptions) {
        this.config = config;
        this.dataSources = dataSources;
        this.expertFactory = expertFactory;
        this.strategy = strategy;
        this.gateTrainer = gateTrainer;
        this.gateOptions = gateOptions;
    }

    /**
     * This experiment with the gate options changed after the config's defaults are worked out (they depend on the
     * number of gate rows); the averaging candidate still trains nothing.
     */
    public Experiment withGateOptions(UnaryOperator<GateOptions> change) {
        return new Experiment(config, dataSources, expertFactory, strategy, gateTrainer, change);
    }

    /** Every repeat's figures, in order; the caller reports them ({@link EvaluationReport#aggregate}). */
    public List<RunResult> run(ProgressListener progress) {
        return run(progress, null);
    }

    /**
     * As {@link #run(ProgressListener)}, handing each repeat's rows to {@code outputs} too (null: nobody wants them).
     */
    public List<RunResult> run(ProgressListener progress, Consumer<RepeatOutputs> outputs) {
        int repeats = config.repeatOrDefault();
        List<RunResult> runs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            runs.add(runOnce(r, config.seedOrDefault() + r, progress, outputs));
        }
        return runs;
    }

    /** How many rows of the data file were left out for having no label ({@code data.unlabelled}); 0 when none. */
    public long unlabelledRows() {
        return unlabelled == null ? 0 : unlabelled.rows();
    }

    /**
     * Sentences for the report's notices that only the run can know: a loaded expert whose model was trained on the
     * very file this run tests on. Empty before the first repeat.
     */
    public List<String> notices() {
        return inSampleNotices == null ? List.of() : inSampleNotices;
    }

    /**
     * Per loaded expert whose model lacks labels of the data, those labels ({@link AbsentLabels}); empty before the
     * first repeat.
     */
    public Map<String, List<String>> absentLabels() {
        return absentLabels == null ? Map.of() : absentLabels;
    }

    /** The configured routing strategy, for the report. */
    public RoutingStrategy strategy() {
        return strategy;
    }

    private RunResult runOnce(int repeat, long seed, ProgressListener progress, Consumer<RepeatOutputs> outputs) {
        String prefix = config.repeatOrDefault() > 1 ? "repeat " + (repeat + 1) + "/" + config.repeatOrDefault() + ": " : "";
        TrainedRun run = train(seed, prefix, progress);
        try (MixtureModel done = run.model()) {
            return evaluate(run, seed, prefix, progress, outputs);
        }
    }

    private RunResult evaluate(TrainedRun run, long seed, String prefix, ProgressListener progress, Consumer<RepeatOutputs> outputs) {
        progress.step(prefix + "evaluating");
        Dataset test = run.data().subset(run.plan().testRows());
        List<String> labels = run.data().labelNames();
        Map<String, ClassificationMetrics> metrics = new LinkedHashMap<>();
        List<FloatMatrix> expertProbabilities = new ArrayList<>();
        for (AlignedExpert expert : run.model().experts()) {
            // Each expert named while it predicts: a slow one (a plugin's) is seen by name on the progress line.
            progress.step(prefix + "evaluating expert " + expert.id());
            FloatMatrix p = expert.predict(test.features());
            expertProbabilities.add(p);
            metrics.put(expert.id(), TribuoEvaluation.evaluate(p, test.labels(), labels));
        }
        progress.step(prefix + "evaluating the mixture and baselines");
        metrics.put(Baselines.UNIFORM, TribuoEvaluation.evaluate(Baselines.uniform(expertProbabilities), test.labels(), labels));
        metrics.put(Baselines.STACKING, TribuoEvaluation.evaluate(
                Baselines.stacking(run.gateData(), expertProbabilities, labels, mix(seed, 4)), test.labels(), labels));
        Baselines.provided(run.model().experts(), test.features(), run.data().featureNames(), labels)
                .forEach((name, p) -> metrics.put(name, TribuoEvaluation.evaluate(p, test.labels(), labels)));
        for (int b = 0; b < config.baselines().size(); b++) {
            MoeConfig.ExpertConfig baseline = config.baselines().get(b);
            progress.step(prefix + "training baseline " + baseline.id());
            int[] allTrainingRows = union(run.plan().expertPool(), run.plan().gateRows());
            FloatMatrix p;
            try (Expert model = expertFactory.create(baseline, run.data(), allTrainingRows, config.baseDirectory(), mix(seed, 1000 + b))) {
                p = AlignedExpert.align(model, run.data().featureNames(), labels).predict(test.features());
            }
            metrics.put(baseline.id(), TribuoEvaluation.evaluate(p, test.labels(), labels));
        }
        MixtureModel.Prediction mixture = run.model().predict(test.features(), expertProbabilities);
        metrics.put(EvaluationReport.MOE, TribuoEvaluation.evaluate(mixture.probabilities(), test.labels(), labels));
        if (outputs != null) {
            outputs.accept(new RepeatOutputs(seed, run.data().featureNames(), labels, expertIds(run.model()), run.gate().chosen(),
                    run.gate().candidates().stream().map(GateSelection.Score::candidate).toList(), run.gateData().features(),
                    run.gateData().labels(), run.gateData().expertProbabilities(), run.choice(), test.features(), test.labels(),
                    expertProbabilities, mixture.probabilities()));
        }
        RoutingDiagnostics routing = RoutingDiagnostics.compute(mixture.weights(), expertProbabilities, test.labels());
        return new RunResult(seed, run.data().name(), labels, test.rows(), run.plan().gateRows().length, metrics,
                run.gateLoss(), mixture.weights(), expertIds(run.model()), routing, run.gate(),
                TestRows.fingerprint(run.data().rows(), run.plan().testRows(), run.data().labels(), labels));
    }

    private static List<String> expertIds(MixtureModel model) {
        return model.experts().stream().map(AlignedExpert::id).toList();
    }

    /** The rows of both, each once (under cross-fitting the experts' pool and the gate's rows are the same rows). */
    private static int[] union(int[] a, int[] b) {
        return java.util.stream.IntStream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).distinct().sorted().toArray();
    }

    /**
     * Loads the data, builds the experts and trains the gate for one seed: everything but the evaluation.
     *
     * @param prefix put before each progress step (e.g. "repeat 2/10: ")
     */
    public TrainedRun train(long seed, String prefix, ProgressListener progress) {
        expertFactory.checkParameters(config.experts());
        expertFactory.checkParameters(config.baselines());
        GateOptionsFactory.checkStrategy(config, strategy);
        progress.step(prefix + "loading data");
        Dataset data = dataSource().load(config.data(), config.baseDirectory(), seed);
        if (data.unlabelled() != null && unlabelled == null) {
            unlabelled = data.unlabelled(); // the whole file's count, the same in every repeat: said once
            LOG.warn("{}", unlabelled.warning(data.name()));
        }
        SplitPlan plan;
        try {
            plan = SplitPlan.plan(data.rows(), config.split(), seed);
        } catch (IllegalArgumentException e) {
            // "split: leaves 2 gate rows ...": the key once, for the config's line.
            throw new MoeException(config.source() + ": split: " + e.getMessage().replaceFirst("^split ", ""));
        }
        return train(data, plan, seed, prefix, progress);
    }

    /**
     * Builds the experts and trains the gate on the given rows of a data set already loaded.
     *
     * @param plan which rows train the experts and the gate (its test rows are not used here)
     */
    public TrainedRun train(Dataset data, SplitPlan plan, long seed, String prefix, ProgressListener progress) {
        CategoricalEncoding encoding = CategoricalEncoding.none(data.featureNames());
        if (data.needsEncoding()) {
            // The levels and the medians come from the rows the model is fitted on; a test row's unseen level encodes as
            // none of them, and a test row's value never moves a median.
            encoding = CategoricalEncoding.fit(data, union(plan.expertPool(), plan.gateRows()));
            CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
            data = encoding.encode(data, tally);
            // Said once as a warning; a later repeat whose counts differ (its own test rows' unseen levels) says so with
            // --verbose only: five repeats of Cars93 had printed five such paragraphs before the results.
            String summary = tally.summary();
            String previous = summary == null ? null : lastEncodingSummary.getAndSet(summary);
            if (summary != null && previous == null) {
                LOG.warn("{}{}: {}", prefix, data.name(), summary);
            } else if (summary != null && !summary.equals(previous)) {
                LOG.info("{}{}: {}", prefix, data.name(), summary);
            }
        }
        ExpertTraining training = new ExpertTraining(expertFactory, config);
        int folds = config.split().crossFitFolds(plan.gateRows().length);
        ExpertTraining.Result built = folds > 0
                ? training.crossFitted(data, plan, folds, seed, progress, prefix)
                : training.threeWay(data, plan, seed, progress, prefix);

        if (inSampleNotices == null) {
            // The same loaded experts in every repeat: checked (the file hashed) once.
            inSampleNotices = InSampleExperts.notices(built.experts(), dataFile());
            inSampleNotices.forEach(notice -> LOG.warn("{}", notice));
        }
        if (absentLabels == null) {
            // Said once, with this repeat's test rows (the report counts every repeat's).
            List<MoeConfig.ExpertConfig> configs = config.experts();
            absentLabels = AbsentLabels.of(built.experts(), k -> k < configs.size() && !expertFactory.trains(configs.get(k)),
                    data.labelNames());
            if (!absentLabels.isEmpty()) {
                int[] rows = plan.testRows().length > 0 ? plan.testRows() : java.util.stream.IntStream.range(0, data.rows()).toArray();
                long[] perLabel = new long[data.labelNames().size()];
                for (int r : rows) {
                    perLabel[data.labels()[r]]++;
                }
                String counted = plan.testRows().length > 0 ? "the " + rows.length + " test rows" : "the " + rows.length + " rows";
                AbsentLabels.notices(absentLabels, data.labelNames(), perLabel, counted).forEach(notice -> LOG.warn("{}{}", prefix, notice));
            }
        }

        GateOptions options = gateOptions.apply(GateOptionsFactory.from(config.gate(), mix(seed, 0), built.gateData().rows()));
        List<GateSelection.Candidate> candidates = GateOptionsFactory.candidates(config, strategy, options);
        progress.step(prefix + (candidates.size() > 1
                ? "choosing how to combine the experts (" + String.join(", ", candidates.stream().map(GateSelection.Candidate::name).toList())
                        + "; " + SELECTION_FOLDS + "-fold cross-validation on the gate's rows)"
                : "training the gate (" + strategy.name() + ")"));
        if (candidates.size() > 1 && built.gateData().rows() < SELECTION_FOLDS) {
            throw new MoeException(config.source() + ": gate: " + built.gateData().rows() + " gate rows are too few to choose"
                    + " a combiner by " + SELECTION_FOLDS + "-fold cross-validation; use more data or set gate.choose: gate");
        }
        GateSelection.Result selection = new GateSelection(gateTrainer, config.gate().floorMarginOrDefault()).select(built.gateData(), data.labelNames(),
                built.experts(), candidates, SELECTION_FOLDS, mix(seed, 2), progress::gateEpoch);
        GateTrainer.TrainedMixture trained = selection.chosen();
        if (LOG.isInfoEnabled()) {
            // One candidate (choose: gate) is trained at once, with no cross-validation to report.
            LOG.info("seed {}: combiner '{}' {}; {} epochs, strategy {}", seed, selection.name(),
                    selection.scores().isEmpty() ? "trained (no choice)" : selection.scores().stream()
                            .map(s -> String.format(java.util.Locale.ROOT, "%s %.4f", s.candidate(), s.logLoss()))
                            .collect(java.util.stream.Collectors.joining(", ", "chosen (cross-validated log-loss: ", ")")),
                    trained.bestEpoch(), trained.model().strategy().name());
        }
        double[] validation = trained.validationLossHistory();
        GateSummary gate = new GateSummary(selection.name(), selection.scores(), trained.bestEpoch(),
                validation.length == 0 || trained.bestEpoch() < 1 ? Double.NaN : validation[trained.bestEpoch() - 1],
                trained.model().calibrations().stream().map(c -> c.temperature()).toList(),
                trained.model().calibrations().stream().map(c -> c.floor()).toList(), trained.model().productExponents(),
                config.gate().floorMarginOrDefault(), selection.averagingFloor());
        return new TrainedRun(seed, data, plan, trained.model(), trained.lossHistory(), built.gateData(), gate,
                selection.evidence(), encoding);
    }

    /** Folds of the cross-validation that chooses the combiner (on the gate's rows only). */
    static final int SELECTION_FOLDS = 5;

    /**
     * A trained mixture with the data and split it came from.
     *
     * @param gateLoss the gate's mean training loss per epoch
     * @param gateData the rows the gate learned from, with the experts' outputs it saw (out-of-fold under cross-fitting)
     * @param gate     how the combiner was chosen and trained
     * @param choice   the choice's folds and out-of-fold losses on the gate's rows; null when nothing was chosen
     * @param encoding how the input's columns became {@code data}'s features (categorical ones one-hot)
     */
    public record TrainedRun(long seed, Dataset data, SplitPlan plan, MixtureModel model, double[] gateLoss, GateData gateData,
                             GateSummary gate, GateSelection.Evidence choice, CategoricalEncoding encoding) {

        /** What to save of this run ({@code moe train}); the config's text is stored verbatim, or null. */
        public SaveRequest saveRequest(MoeConfig config, ProviderRegistry registry, String configText) {
            return SaveRequest.of(config, model, data, encoding, plan.testRows(), seed, registry, configText);
        }
    }

    /**
     * The file the rows come from, or null when they do not come from one: the synthetic seed data, or rows the Java
     * API hands over (its config has no data section).
     */
    private java.nio.file.Path dataFile() {
        return config.data() != null && CsvSource.NAME.equals(config.data().source()) && config.data().path() != null
                ? config.baseDirectory().resolve(config.data().path()).normalize() : null;
    }

    private DataSource dataSource() {
        DataSource source = dataSources.get(config.data().source());
        if (source == null) {
            throw new MoeException(config.source() + ": data.source: unknown source '" + config.data().source() + "'"
                    + NearestName.didYouMean(config.data().source(), dataSources.keySet()) + "; known: "
                    + String.join(", ", new TreeSet<>(dataSources.keySet())));
        }
        return source;
    }

    /** Independent seeds for the parts of one repeat (SplitMix64's finaliser). */
    static long mix(long seed, int part) {
        long z = seed * 0x9E3779B97F4A7C15L + part * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
