package dev.moe.spark;

import dev.moe.runtime.scoring.EvaluationCounts;
import java.util.List;
import java.util.Map;

/**
 * A saved mixture's figures on a labelled DataFrame, counted per partition and summed ({@link EvaluationCounts}, the
 * counts {@code moe evaluate -m} keeps for a CSV file); {@link SparkMixture#report} makes the same report of them.
 *
 * @param unlabelledRows the rows left out because their label cell meant "no label" in the training data
 *                       ({@code data.unlabelled}, saved with the mixture); 0 when none
 * @param cellsSummary   the line {@code moe evaluate -m} says about cells encoded as none of the known levels or filled
 *                       with a median, over every partition; null when there were none
 */
public record SparkEvaluation(EvaluationCounts counts, long unlabelledRows, String cellsSummary) {

    public long rows() {
        return counts.rows();
    }

    /** By model: each expert's id in the mixture's order, then {@code uniform} and {@code moe} (as {@code moe evaluate -m}). */
    public Map<String, Double> accuracy() {
        return counts.accuracies();
    }

    public double mixtureAccuracy() {
        return counts.accuracy(EvaluationCounts.MOE);
    }

    /** The mixture's confusion counts, [true label][predicted label]. */
    public long[][] confusion() {
        return counts.confusion(EvaluationCounts.MOE);
    }

    public double logLoss() {
        return counts.logLoss(EvaluationCounts.MOE);
    }

    public double macroF1() {
        return counts.metrics(EvaluationCounts.MOE).macroF1();
    }

    public List<String> labelNames() {
        return counts.labelNames();
    }
}
