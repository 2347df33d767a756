package dev.moe.runtime.scoring;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.diagnostics.RoutingDiagnostics;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.evaluation.Baselines;
import dev.moe.runtime.evaluation.ClassificationMetrics;
import dev.moe.runtime.evaluation.Reliability;
import dev.moe.runtime.evaluation.EvaluationReport;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A streamed evaluation of a mixture: blocks of labelled rows are counted as they come, so no prediction is kept.
 * Per model (every expert alone, their plain average {@code uniform}, and the mixture {@code moe}) it keeps the
 * confusion counts and the summed log-loss, and for the mixture the routing sums; accuracy, per-label precision,
 * recall and F1 and log-loss all follow from these. Counts of separate parts (file blocks, Spark partitions) combine
 * with {@link #plus}: only these numbers travel.
 */
public final class EvaluationCounts implements Serializable {

    private static final long serialVersionUID = 2L;

    /** The mixture's name among the models, as in {@code moe evaluate}'s report. */
    public static final String MOE = EvaluationReport.MOE;

    /** Probabilities are clipped here before the log, as in {@code TribuoEvaluation}. */
    static final double MIN_PROBABILITY = 1e-15;

    private final List<String> models;
    private final List<String> labelNames;
    private long rows;
    /** [model][true label][predicted label]. */
    private final long[][][] confusion;
    private final double[] logLossSum;
    /** Per model, its confidence bins (the reliability chart). */
    private final Reliability[] reliability;
    private final RoutingDiagnostics.Counts routing;

    /**
     * @param expertIds  the mixture's experts, in its order
     * @param labelNames the mixture's labels, in its order
     */
    public EvaluationCounts(List<String> expertIds, List<String> labelNames) {
        this(models(expertIds), labelNames, new RoutingDiagnostics.Counts(expertIds.size()));
    }

    private EvaluationCounts(List<String> models, List<String> labelNames, RoutingDiagnostics.Counts routing) {
        this.models = models;
        this.labelNames = List.copyOf(labelNames);
        int c = labelNames.size();
        confusion = new long[models.size()][c][c];
        logLossSum = new double[models.size()];
        reliability = new Reliability[models.size()];
        java.util.Arrays.fill(reliability, Reliability.empty());
        this.routing = routing;
    }

    private static List<String> models(List<String> expertIds) {
        List<String> names = new ArrayList<>(expertIds);
        names.add(Baselines.UNIFORM);
        names.add(MOE);
        return List.copyOf(names);
    }

    public static EvaluationCounts of(MixtureModel model) {
        return new EvaluationCounts(model.experts().stream().map(AlignedExpert::id).toList(), model.labelNames());
    }

    /**
     * Counts one block: every expert alone, their average and the mixture, on the same rows (the experts run once; the
     * mixture mixes their outputs as {@code moe evaluate} does on its test rows).
     *
     * @param labels each row's label index in the mixture's order
     */
    public void add(MixtureModel model, FloatMatrix features, int[] labels) {
        List<FloatMatrix> experts = new ArrayList<>(model.experts().size());
        for (AlignedExpert expert : model.experts()) {
            experts.add(expert.predict(features));
        }
        MixtureModel.Prediction mixture = model.predict(features, experts);
        for (int k = 0; k < experts.size(); k++) {
            add(k, experts.get(k), labels);
        }
        add(experts.size(), Baselines.uniform(experts), labels);
        add(experts.size() + 1, mixture.probabilities(), labels);
        routing.add(mixture.weights(), experts, labels);
        rows += labels.length;
    }

    private void add(int model, FloatMatrix probabilities, int[] labels) {
        long[][] counts = confusion[model];
        double loss = 0;
        for (int r = 0; r < labels.length; r++) {
            counts[labels[r]][probabilities.argMaxOfRow(r)]++;
            loss -= Math.log(Math.max(MIN_PROBABILITY, probabilities.get(r, labels[r])));
        }
        logLossSum[model] += loss;
        reliability[model] = reliability[model].plus(Reliability.of(probabilities, labels));
    }

    /** The counts of both parts together. */
    public EvaluationCounts plus(EvaluationCounts other) {
        if (!models.equals(other.models) || !labelNames.equals(other.labelNames)) {
            throw new IllegalArgumentException("counts of different mixtures: " + models + " and " + other.models);
        }
        EvaluationCounts sum = new EvaluationCounts(models, labelNames, routing.plus(other.routing));
        sum.rows = rows + other.rows;
        for (int m = 0; m < models.size(); m++) {
            for (int t = 0; t < labelNames.size(); t++) {
                for (int p = 0; p < labelNames.size(); p++) {
                    sum.confusion[m][t][p] = confusion[m][t][p] + other.confusion[m][t][p];
                }
            }
            sum.logLossSum[m] = logLossSum[m] + other.logLossSum[m];
            sum.reliability[m] = reliability[m].plus(other.reliability[m]);
        }
        return sum;
    }

    public long rows() {
        return rows;
    }

    /** Every expert's id in the mixture's order, then {@code uniform}, then {@code moe}. */
    public List<String> models() {
        return models;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public double accuracy(String model) {
        long[][] counts = confusion[index(model)];
        long correct = 0;
        for (int t = 0; t < counts.length; t++) {
            correct += counts[t][t];
        }
        return rows == 0 ? Double.NaN : (double) correct / rows;
    }

    /** Every model's {@link #accuracy}, in the order of {@link #models}. */
    public Map<String, Double> accuracies() {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        models.forEach(m -> accuracy.put(m, accuracy(m)));
        return accuracy;
    }

    /** A model's confusion counts, [true label][predicted label]; a copy. */
    public long[][] confusion(String model) {
        long[][] counts = confusion[index(model)];
        long[][] copy = new long[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            copy[t] = counts[t].clone();
        }
        return copy;
    }

    /** A model's mean log-loss; NaN before any row. */
    public double logLoss(String model) {
        return rows == 0 ? Double.NaN : logLossSum[index(model)] / rows;
    }

    /** How the mixture routed the rows. */
    public RoutingDiagnostics routing() {
        return routing.diagnostics();
    }

    /**
     * A model's figures as {@code moe evaluate} reports them: accuracy, per-label precision, recall and F1 (0 where
     * undefined, as Tribuo), their macro and support-weighted means, log-loss and the confusion counts.
     */
    public ClassificationMetrics metrics(String model) {
        long[][] counts = confusion[index(model)];
        int c = labelNames.size();
        int[][] matrix = new int[c][c];
        List<ClassificationMetrics.ClassMetrics> perClass = new ArrayList<>();
        double macroF1 = 0;
        double weightedF1 = 0;
        for (int t = 0; t < c; t++) {
            long support = 0;
            long predicted = 0;
            for (int p = 0; p < c; p++) {
                support += counts[t][p];
                predicted += counts[p][t];
                matrix[t][p] = Math.toIntExact(counts[t][p]);
            }
            double precision = predicted == 0 ? 0 : (double) counts[t][t] / predicted;
            double recall = support == 0 ? 0 : (double) counts[t][t] / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassificationMetrics.ClassMetrics(labelNames.get(t), precision, recall, f1, Math.toIntExact(support)));
            macroF1 += f1 / c;
            weightedF1 += rows == 0 ? 0 : f1 * support / rows;
        }
        return new ClassificationMetrics(accuracy(model), macroF1, weightedF1, logLoss(model), perClass, matrix,
                reliability[index(model)]);
    }

    private int index(String model) {
        int i = models.indexOf(model);
        if (i < 0) {
            throw new IllegalArgumentException("no model '" + model + "' among " + models);
        }
        return i;
    }
}
