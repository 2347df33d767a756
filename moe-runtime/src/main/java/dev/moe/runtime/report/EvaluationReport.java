package dev.moe.runtime.report;

import dev.moe.api.RoutingStrategy;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.evaluation.ClassificationMetrics;
import dev.moe.runtime.experiment.Experiment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code moe evaluate} reports, serialised as the JSON report. {@code results} (one entry per model,
 * with {@code model} and {@code accuracy}) is the stable part scripts read.
 *
 * @param moeConfusion     the mixture's confusion matrix summed over the repeats (rows: true label)
 * @param moePerClass      the mixture's per-label precision, recall and F1, averaged over the repeats
 * @param routing          how the gate routed the test rows, averaged over the repeats
 * @param gateWeights      per expert, its gate weight on each test row of the first repeat
 * @param gateLossFirstRepeat the gate's mean training loss per epoch, first repeat
 */
public record EvaluationReport(
        String config,
        String dataset,
        String strategy,
        String strategyParameters,
        int repeats,
        List<Long> seeds,
        int testRows,
        int gateTrainRows,
        List<String> labels,
        List<ModelResult> results,
        int[][] moeConfusion,
        List<ClassSummary> moePerClass,
        Routing routing,
        Map<String, List<Float>> gateWeights,
        List<Double> gateLossFirstRepeat) {

    /**
     * Routing diagnostics of the test rows, means over the repeats.
     *
     * @param fairShare      k / E: the share of rows each expert would get under perfectly even routing
     * @param gateEntropy    mean entropy of a row's weights, in nats
     * @param loadCv         coefficient of variation of the experts' shares of rows (0 for dense routing)
     * @param importanceCv   coefficient of variation of the experts' mean weights
     * @param oracleAccuracy share of rows that at least one expert gets right: the ceiling of any gate
     */
    public record Routing(double fairShare, double gateEntropy, double loadCv, double importanceCv, double oracleAccuracy,
                          double deadExperts, List<ExpertRouting> experts) { }

    /**
     * @param share          share of test rows routed to it (weight above 0)
     * @param utilization    share / fair share: 1 is its fair part, 0 dead
     * @param meanWeight     its mean gate weight
     * @param deadRepeats    in how many repeats no test row was routed to it
     * @param routedAccuracy its accuracy on the rows routed to it (mean over the repeats where it got any); NaN if none
     */
    public record ExpertRouting(String expert, double share, double utilization, double meanWeight, int deadRepeats,
                                double routedAccuracy) { }

    public record ClassSummary(String label, double precision, double recall, double f1, double support) { }

    public static EvaluationReport aggregate(MoeConfig config, RoutingStrategy strategy, List<Experiment.RunResult> runs) {
        Experiment.RunResult first = runs.get(0);
        Map<String, List<ClassificationMetrics>> byModel = new LinkedHashMap<>();
        List<Long> seeds = new ArrayList<>();
        for (Experiment.RunResult run : runs) {
            seeds.add(run.seed());
            run.metrics().forEach((model, m) -> byModel.computeIfAbsent(model, k -> new ArrayList<>()).add(m));
        }
        List<ModelResult> results = new ArrayList<>();
        byModel.forEach((model, values) -> results.add(ModelResult.of(model, values)));

        List<ClassificationMetrics> moe = byModel.get(Experiment.MOE);
        int c = first.labelNames().size();
        int[][] confusion = new int[c][c];
        for (ClassificationMetrics m : moe) {
            for (int t = 0; t < c; t++) {
                for (int p = 0; p < c; p++) {
                    confusion[t][p] += m.confusion()[t][p];
                }
            }
        }
        List<ClassSummary> perClass = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            int label = t;
            perClass.add(new ClassSummary(first.labelNames().get(t),
                    ModelResult.mean(moe.stream().map(m -> m.perClass().get(label).precision()).toList()),
                    ModelResult.mean(moe.stream().map(m -> m.perClass().get(label).recall()).toList()),
                    ModelResult.mean(moe.stream().map(m -> m.perClass().get(label).f1()).toList()),
                    ModelResult.mean(moe.stream().map(m -> (double) m.perClass().get(label).support()).toList())));
        }

        Routing routing = averageRouting(runs);
        Map<String, List<Float>> weights = new LinkedHashMap<>();
        for (int k = 0; k < first.expertIds().size(); k++) {
            List<Float> column = new ArrayList<>();
            for (int r = 0; r < first.testWeights().rows(); r++) {
                column.add(first.testWeights().get(r, k));
            }
            weights.put(first.expertIds().get(k), column);
        }

        List<Double> loss = new ArrayList<>();
        for (double l : first.gateLoss()) {
            loss.add(l);
        }
        return new EvaluationReport(String.valueOf(config.source()), first.dataset(), strategy.name(), strategy.describe(),
                runs.size(), seeds, first.testRows(), first.gateRows(), first.labelNames(), results, confusion, perClass,
                routing, weights, loss);
    }

    private static Routing averageRouting(List<Experiment.RunResult> runs) {
        List<RoutingDiagnostics> all = runs.stream().map(Experiment.RunResult::routing).toList();
        List<ExpertRouting> experts = new ArrayList<>();
        List<String> ids = runs.get(0).expertIds();
        for (int k = 0; k < ids.size(); k++) {
            int e = k;
            List<RoutingDiagnostics.ExpertRouting> per = all.stream().map(d -> d.experts().get(e)).toList();
            List<Double> routedAccuracy = per.stream().map(RoutingDiagnostics.ExpertRouting::routedAccuracy)
                    .filter(java.util.Objects::nonNull).toList();
            experts.add(new ExpertRouting(ids.get(k),
                    ModelResult.mean(per.stream().map(RoutingDiagnostics.ExpertRouting::share).toList()),
                    ModelResult.mean(per.stream().map(RoutingDiagnostics.ExpertRouting::utilization).toList()),
                    ModelResult.mean(per.stream().map(RoutingDiagnostics.ExpertRouting::meanWeight).toList()),
                    (int) per.stream().filter(RoutingDiagnostics.ExpertRouting::dead).count(),
                    routedAccuracy.isEmpty() ? Double.NaN : ModelResult.mean(routedAccuracy)));
        }
        return new Routing(
                ModelResult.mean(all.stream().map(RoutingDiagnostics::fairShare).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::gateEntropy).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::loadCv).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::importanceCv).toList()),
                ModelResult.mean(all.stream().map(RoutingDiagnostics::oracleAccuracy).toList()),
                ModelResult.mean(all.stream().map(d -> (double) d.deadExperts()).toList()),
                experts);
    }

    public ModelResult result(String model) {
        return results.stream().filter(r -> r.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + model));
    }
}
