package dev.moe.runtime.evaluation;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.MixtureModel;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A streamed evaluation of a mixture: blocks of labelled rows are counted as they come (correct rows per expert
 * and for the mixture, the mixture's confusion counts, its summed log-loss), so no prediction is kept. Counts of
 * separate parts (file blocks, Spark partitions) combine with {@link #plus}: only these numbers travel.
 */
public final class EvaluationCounts implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Probabilities are clipped here before the log, as in {@link TribuoEvaluation}. */
    static final double MIN_PROBABILITY = 1e-15;

    private long rows;
    /** Per expert, in the mixture's order, then the mixture. */
    private final long[] correct;
    /** [true label][predicted label], the mixture's predictions. */
    private final long[][] confusion;
    private double logLossSum;

    public EvaluationCounts(int experts, int labels) {
        correct = new long[experts + 1];
        confusion = new long[labels][labels];
    }

    /** Counts one block: every expert alone and the mixture on the same rows. */
    public void add(MixtureModel model, FloatMatrix rows, int[] labels) {
        int experts = correct.length - 1;
        for (int k = 0; k < experts; k++) {
            FloatMatrix p = model.experts().get(k).predict(rows);
            for (int r = 0; r < labels.length; r++) {
                correct[k] += p.argMaxOfRow(r) == labels[r] ? 1 : 0;
            }
        }
        FloatMatrix p = model.predict(rows).probabilities();
        for (int r = 0; r < labels.length; r++) {
            int predicted = p.argMaxOfRow(r);
            confusion[labels[r]][predicted]++;
            correct[experts] += predicted == labels[r] ? 1 : 0;
            logLossSum -= Math.log(Math.max(MIN_PROBABILITY, p.get(r, labels[r])));
        }
        this.rows += labels.length;
    }

    public EvaluationCounts plus(EvaluationCounts other) {
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

    public long rows() {
        return rows;
    }

    /** Accuracy of expert {@code k} (in the mixture's order), or of the mixture for {@code k} = number of experts. */
    public double accuracy(int k) {
        return (double) correct[k] / rows;
    }

    public double mixtureAccuracy() {
        return accuracy(correct.length - 1);
    }

    /** The mixture's confusion counts, [true label][predicted label]; a copy. */
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int t = 0; t < confusion.length; t++) {
            copy[t] = confusion[t].clone();
        }
        return copy;
    }

    /** The mixture's mean log-loss; NaN before any row. */
    public double logLoss() {
        return rows == 0 ? Double.NaN : logLossSum / rows;
    }

    @Override
    public String toString() {
        return "EvaluationCounts[rows=" + rows + ", correct=" + Arrays.toString(correct) + ", confusion="
                + Arrays.deepToString(confusion) + ", logLossSum=" + logLossSum + "]";
    }
}
