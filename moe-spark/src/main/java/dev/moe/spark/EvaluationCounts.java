package dev.moe.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one partition contributes to an evaluation: row count, correct rows per expert and for the mixture, the
 * mixture's confusion counts and its summed log-loss. Partitions' counts are combined with {@link #plus}: only
 * these few numbers travel, never the rows.
 */
public final class EvaluationCounts implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Probabilities are clipped here before the log, as in the single-process evaluation. */
    static final double MIN_PROBABILITY = 1e-15;

    long rows;
    /** Per expert, in the mixture's order, then the mixture. */
    final long[] correct;
    /** [true label][predicted label], the mixture's predictions. */
    final long[][] confusion;
    double logLossSum;

    EvaluationCounts(int experts, int labels) {
        correct = new long[experts + 1];
        confusion = new long[labels][labels];
    }

    EvaluationCounts plus(EvaluationCounts other) {
        EvaluationCounts sum = new EvaluationCounts(correct.length - 1, confusion.length);
        sum.rows = rows + other.rows;
        for (int k = 0; k < correct.length; k++) {
            sum.correct[k] = correct[k] + other.correct[k];
        }
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion.length; p++) {
                sum.confusion[t][p] = confusion[t][p] + other.confusion[t][p];
            }
        }
        sum.logLossSum = logLossSum + other.logLossSum;
        return sum;
    }

    @Override
    public String toString() {
        return "EvaluationCounts[rows=" + rows + ", correct=" + Arrays.toString(correct) + ", confusion="
                + Arrays.deepToString(confusion) + ", logLossSum=" + logLossSum + "]";
    }
}
