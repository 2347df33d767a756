package dev.moe.runtime.evaluation;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One model's figures over all repeats: means, with sample standard deviations (0 for one repeat).
 *
 * @param model     an expert's id, a baseline ({@code uniform}, {@code tribuo-ensemble}, a configured one) or {@code moe}
 * @param accuracy  mean test accuracy
 * @param perRepeat each repeat's accuracy, in order
 * @param logLossPerRepeat each repeat's log-loss, in order
 * @param calibration how confident it was and how often right, over all repeats' test rows
 */
public record ModelResult(
        String model,
        double accuracy,
        double std,
        List<Double> perRepeat,
        double macroF1,
        double macroF1Std,
        double weightedF1,
        double weightedF1Std,
        double logLoss,
        double logLossStd,
        List<Double> logLossPerRepeat,
        Calibration calibration) {

    public ModelResult {
        perRepeat = List.copyOf(perRepeat);
        logLossPerRepeat = List.copyOf(logLossPerRepeat);
    }

    public static ModelResult of(String model, List<ClassificationMetrics> repeats) {
        List<Double> accuracy = values(repeats, ClassificationMetrics::accuracy);
        List<Double> macro = values(repeats, ClassificationMetrics::macroF1);
        List<Double> weighted = values(repeats, ClassificationMetrics::weightedF1);
        List<Double> logLoss = values(repeats, ClassificationMetrics::logLoss);
        Reliability reliability = repeats.stream().map(ClassificationMetrics::reliability).reduce(Reliability::plus).orElseThrow();
        return new ModelResult(model, mean(accuracy), std(accuracy), accuracy, mean(macro), std(macro),
                mean(weighted), std(weighted), mean(logLoss), std(logLoss), logLoss, Calibration.of(reliability));
    }

    private static List<Double> values(List<ClassificationMetrics> repeats, ToDoubleFunction<ClassificationMetrics> f) {
        return repeats.stream().map(m -> f.applyAsDouble(m)).toList();
    }

    /** The mean of {@code values}; NaN for none. */
    public static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The sample standard deviation of {@code values} (n - 1); 0 for fewer than two. */
    public static double std(List<Double> values) {
        if (values.size() < 2) {
            return 0;
        }
        double mean = mean(values);
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(ss / (values.size() - 1));
    }
}
