package dev.moe.runtime.report;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
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
 * @param routing          per expert: mean gate weight and share of test rows routed to it, averaged over repeats
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
        List<ExpertRouting> routing,
        Map<String, List<Float>> gateWeights,
        List<Double> gateLossFirstRepeat) {

    /** @param share share of test rows whose weight for this expert is not zero */
    public record ExpertRouting(String expert, double meanWeight, double share) { }

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

        List<ExpertRouting> routing = new ArrayList<>();
        Map<String, List<Float>> weights = new LinkedHashMap<>();
        for (int k = 0; k < first.expertIds().size(); k++) {
            double weightSum = 0;
            double shareSum = 0;
            for (Experiment.RunResult run : runs) {
                FloatMatrix w = run.testWeights();
                int routed = 0;
                double sum = 0;
                for (int r = 0; r < w.rows(); r++) {
                    sum += w.get(r, k);
                    routed += w.get(r, k) != 0f ? 1 : 0;
                }
                weightSum += sum / w.rows();
                shareSum += (double) routed / w.rows();
            }
            routing.add(new ExpertRouting(first.expertIds().get(k), weightSum / runs.size(), shareSum / runs.size()));
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

    public ModelResult result(String model) {
        return results.stream().filter(r -> r.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + model));
    }
}
