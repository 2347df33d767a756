package dev.moe.runtime.experiment;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.training.GateOptions;
import dev.moe.gating.training.GateTrainer;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.DataSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.evaluation.Baselines;
import dev.moe.runtime.evaluation.ClassificationMetrics;
import dev.moe.runtime.evaluation.TribuoEvaluation;
import dev.moe.runtime.report.EvaluationReport;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The whole experiment: data, split, experts, gate, evaluation on held-out rows; repeated over seeds.
 * Every random choice of repeat r derives from {@code seed + r}, so a run is reproducible.
 */
public final class Experiment {

    /** The mixture's row in reports. */
    public static final String MOE = "moe";

    private final MoeConfig config;
    private final Map<String, DataSource> dataSources;
    private final ExpertFactory expertFactory;
    private final RoutingStrategy strategy;
    private final GateTrainer gateTrainer;

    @Inject
    public Experiment(MoeConfig config, Map<String, DataSource> dataSources, ExpertFactory expertFactory,
                      RoutingStrategy strategy, GateTrainer gateTrainer) {
        this.config = config;
        this.dataSources = dataSources;
        this.expertFactory = expertFactory;
        this.strategy = strategy;
        this.gateTrainer = gateTrainer;
    }

    public EvaluationReport run(ProgressListener progress) {
        int repeats = config.repeatOrDefault();
        List<RunResult> runs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            runs.add(runOnce(r, config.seedOrDefault() + r, progress));
        }
        return EvaluationReport.aggregate(config, strategy, runs);
    }

    RunResult runOnce(int repeat, long seed, ProgressListener progress) {
        String prefix = config.repeatOrDefault() > 1 ? "repeat " + (repeat + 1) + "/" + config.repeatOrDefault() + ": " : "";
        TrainedRun run = train(seed, prefix, progress);
        progress.step(prefix + "evaluating");
        Dataset test = run.data().subset(run.plan().testRows());
        List<String> labels = run.data().labelNames();
        Map<String, ClassificationMetrics> metrics = new LinkedHashMap<>();
        List<FloatMatrix> expertProbabilities = new ArrayList<>();
        for (AlignedExpert expert : run.model().experts()) {
            FloatMatrix p = expert.predict(test.features());
            expertProbabilities.add(p);
            metrics.put(expert.id(), TribuoEvaluation.evaluate(p, test.labels(), labels));
        }
        metrics.put(Baselines.UNIFORM, TribuoEvaluation.evaluate(Baselines.uniform(expertProbabilities), test.labels(), labels));
        Baselines.tribuoEnsemble(run.model().experts(), test.features(), run.data().featureNames(), labels)
                .ifPresent(p -> metrics.put(Baselines.TRIBUO_ENSEMBLE, TribuoEvaluation.evaluate(p, test.labels(), labels)));
        for (int b = 0; b < config.baselines().size(); b++) {
            MoeConfig.ExpertConfig baseline = config.baselines().get(b);
            progress.step(prefix + "training baseline " + baseline.id());
            int[] allTrainingRows = concat(run.plan().expertPool(), run.plan().gateRows());
            Expert model = expertFactory.create(baseline, run.data(), allTrainingRows, config.baseDirectory(), mix(seed, 1000 + b));
            FloatMatrix p = AlignedExpert.align(model, run.data().featureNames(), labels).predict(test.features());
            metrics.put(baseline.id(), TribuoEvaluation.evaluate(p, test.labels(), labels));
        }
        MixtureModel.Prediction mixture = run.model().predict(test.features());
        metrics.put(MOE, TribuoEvaluation.evaluate(mixture.probabilities(), test.labels(), labels));
        RoutingDiagnostics routing = RoutingDiagnostics.compute(mixture.weights(), expertProbabilities, test.labels());
        return new RunResult(seed, run.data().name(), labels, test.rows(), run.plan().gateRows().length, metrics,
                run.gateLoss(), mixture.weights(), expertIds(run.model()), routing);
    }

    private static List<String> expertIds(MixtureModel model) {
        return model.experts().stream().map(AlignedExpert::id).toList();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Loads the data, builds the experts and trains the gate for one seed: everything but the evaluation.
     *
     * @param prefix put before each progress step (e.g. "repeat 2/10: ")
     */
    public TrainedRun train(long seed, String prefix, ProgressListener progress) {
        progress.step(prefix + "loading data");
        Dataset data = dataSource().load(config.data(), config.baseDirectory(), seed);
        SplitPlan plan;
        try {
            plan = SplitPlan.plan(data.rows(), config.split(), seed);
        } catch (IllegalArgumentException e) {
            throw new MoeException(config.source() + ": split: " + e.getMessage());
        }
        List<int[]> subsets = ExpertSubsets.select(data, plan.expertPool(), config.experts(),
                config.split().balanceExpertsOrDefault(), seed);

        List<AlignedExpert> experts = new ArrayList<>();
        for (int e = 0; e < config.experts().size(); e++) {
            MoeConfig.ExpertConfig expertConfig = config.experts().get(e);
            progress.step(prefix + (expertFactory.trains(expertConfig) ? "training " : "loading ") + expertConfig.id());
            Expert expert = expertFactory.create(expertConfig, data, subsets.get(e), config.baseDirectory(), mix(seed, e + 1));
            try {
                experts.add(AlignedExpert.align(expert, data.featureNames(), data.labelNames()));
            } catch (ExpertException ex) {
                throw new MoeException("experts[" + expertConfig.id() + "]: " + ex.getMessage());
            }
        }

        progress.step(prefix + "training the gate (" + strategy.name() + ")");
        GateOptions options = GateOptionsFactory.from(config.gate(), mix(seed, 0));
        Dataset gateRows = data.subset(plan.gateRows());
        GateTrainer.TrainedMixture trained = gateTrainer.train(gateRows.features(), gateRows.labels(), data.labelNames(),
                experts, strategy, options, progress::gateEpoch);
        return new TrainedRun(seed, data, plan, trained.model(), trained.lossHistory());
    }

    /**
     * A trained mixture with the data and split it came from.
     *
     * @param gateLoss the gate's mean training loss per epoch
     */
    public record TrainedRun(long seed, Dataset data, SplitPlan plan, MixtureModel model, double[] gateLoss) { }

    private DataSource dataSource() {
        DataSource source = dataSources.get(config.data().source());
        if (source == null) {
            throw new MoeException(config.source() + ": unknown data.source '" + config.data().source() + "'; known: "
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

    /**
     * One repeat's figures.
     *
     * @param metrics     by model: each expert's id, the baselines, then {@code moe}
     * @param testWeights the gate's weights on the test rows (rows x experts)
     * @param routing     how the gate routed the test rows
     */
    public record RunResult(long seed, String dataset, List<String> labelNames, int testRows, int gateRows,
                            Map<String, ClassificationMetrics> metrics, double[] gateLoss, FloatMatrix testWeights,
                            List<String> expertIds, RoutingDiagnostics routing) { }

}
