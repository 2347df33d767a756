package dev.moe.spark;

import dev.moe.runtime.evaluation.EvaluationCounts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A saved mixture's figures on a labelled DataFrame, aggregated across partitions.
 *
 * @param rows       how many rows were scored
 * @param accuracy   by model: each expert's id in the mixture's order, then {@code moe} (as {@code moe evaluate})
 * @param labelNames the mixture's labels, the order of the confusion matrix
 * @param confusion  the mixture's confusion counts, [true label][predicted label]
 * @param logLoss    the mixture's mean log-loss (probabilities clipped at 1e-15)
 */
public record SparkEvaluation(long rows, Map<String, Double> accuracy, List<String> labelNames, long[][] confusion,
                              double logLoss) {

    static SparkEvaluation of(EvaluationCounts counts, List<String> expertIds, List<String> labelNames) {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (int k = 0; k < expertIds.size(); k++) {
            accuracy.put(expertIds.get(k), counts.accuracy(k));
        }
        accuracy.put("moe", counts.mixtureAccuracy());
        return new SparkEvaluation(counts.rows(), Collections.unmodifiableMap(accuracy), List.copyOf(labelNames),
                counts.confusion(), counts.logLoss());
    }

    /** The mixture's accuracy. */
    public double mixtureAccuracy() {
        return accuracy.get("moe");
    }

    /** How many rows had label {@code t}. */
    public long support(int t) {
        long s = 0;
        for (long v : confusion[t]) {
            s += v;
        }
        return s;
    }

    public double precision(int label) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[label];
        }
        return predicted == 0 ? 0 : (double) confusion[label][label] / predicted;
    }

    public double recall(int label) {
        long support = support(label);
        return support == 0 ? 0 : (double) confusion[label][label] / support;
    }

    public double f1(int label) {
        double p = precision(label);
        double r = recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroF1() {
        double sum = 0;
        for (int t = 0; t < labelNames.size(); t++) {
            sum += f1(t);
        }
        return sum / labelNames.size();
    }

    /** A console table like {@code moe evaluate}'s, then the mixture's log-loss and confusion counts. */
    public String table(String model, String data) {
        int width = Math.max(8, accuracy.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-" + width + "s%-16s(saved mixture %s, rows %d, data %s, Spark)%n", "model",
                "accuracy", model, rows, data));
        for (Map.Entry<String, Double> e : accuracy.entrySet()) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s%.3f%n", e.getKey(), e.getValue()));
        }
        out.append(String.format(Locale.ROOT, "moe log-loss %.6f, macro F1 %.4f%n", logLoss, macroF1()));
        out.append("confusion (rows: true label, columns: predicted)").append(System.lineSeparator());
        List<String> header = new ArrayList<>(labelNames);
        int cell = Math.max(8, header.stream().mapToInt(String::length).max().orElse(0) + 2);
        out.append(String.format(Locale.ROOT, "%-" + cell + "s", ""));
        for (String l : header) {
            out.append(String.format(Locale.ROOT, "%" + cell + "s", l));
        }
        out.append(System.lineSeparator());
        for (int t = 0; t < labelNames.size(); t++) {
            out.append(String.format(Locale.ROOT, "%-" + cell + "s", labelNames.get(t)));
            for (int p = 0; p < labelNames.size(); p++) {
                out.append(String.format(Locale.ROOT, "%" + cell + "d", confusion[t][p]));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
