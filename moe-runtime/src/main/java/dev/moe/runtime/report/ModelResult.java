package dev.moe.runtime.report;

import java.util.List;

/**
 * One model's figures over all repeats.
 *
 * @param model     an expert's id, or {@code moe}
 * @param accuracy  mean test accuracy over the repeats
 * @param std       sample standard deviation over the repeats (0 for one repeat)
 * @param perRepeat each repeat's accuracy, in order
 */
public record ModelResult(String model, double accuracy, double std, List<Double> perRepeat) {

    public ModelResult {
        perRepeat = List.copyOf(perRepeat);
    }

    public static ModelResult of(String model, List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double std = 0;
        if (values.size() > 1) {
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            std = Math.sqrt(ss / (values.size() - 1));
        }
        return new ModelResult(model, mean, std, values);
    }
}
