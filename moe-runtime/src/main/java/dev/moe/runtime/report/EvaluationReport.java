package dev.moe.runtime.report;

import dev.moe.api.RoutingStrategy;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code moe evaluate} reports: per model, mean and spread of the test accuracy over the repeats.
 * Serialised as the JSON report; {@code results} is the stable part scripts read.
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
        List<ModelResult> results,
        List<Double> gateLossFirstRepeat) {

    public static EvaluationReport aggregate(MoeConfig config, RoutingStrategy strategy, List<Experiment.RunResult> runs) {
        Map<String, List<Double>> byModel = new LinkedHashMap<>();
        List<Long> seeds = new ArrayList<>();
        for (Experiment.RunResult run : runs) {
            seeds.add(run.seed());
            run.accuracy().forEach((model, acc) -> byModel.computeIfAbsent(model, k -> new ArrayList<>()).add(acc));
        }
        List<ModelResult> results = new ArrayList<>();
        byModel.forEach((model, values) -> results.add(ModelResult.of(model, values)));
        Experiment.RunResult first = runs.get(0);
        List<Double> loss = new ArrayList<>();
        for (double l : first.gateLoss()) {
            loss.add(l);
        }
        return new EvaluationReport(String.valueOf(config.source()), first.dataset(), strategy.name(), strategy.describe(),
                runs.size(), seeds, first.testRows(), first.gateRows(), results, loss);
    }

    public ModelResult result(String model) {
        return results.stream().filter(r -> r.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for " + model));
    }
}
