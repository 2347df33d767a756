package dev.moe.runtime.evaluation;

import dev.moe.api.FloatMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.impl.ArrayExample;

/**
 * Classification metrics through Tribuo's own code: any model's probability rows (an expert, a baseline, the
 * mixture) become Tribuo predictions, counted in a {@link LabelConfusionMatrix} over the data set's label domain and
 * scored by {@link ConfusionMetrics} (no model needed). Log-loss, which Tribuo does not compute, is added here.
 */
public final class TribuoEvaluation {

    private static final double MIN_PROBABILITY = 1e-15;

    private TribuoEvaluation() {
    }

    public static ClassificationMetrics evaluate(FloatMatrix probabilities, int[] labels, List<String> labelNames) {
        int n = labels.length;
        int c = labelNames.size();
        if (probabilities.rows() != n || probabilities.columns() != c) {
            throw new IllegalArgumentException(probabilities + " for " + n + " rows and " + c + " labels");
        }
        List<Label> domain = labelNames.stream().map(Label::new).toList();
        List<Prediction<Label>> predictions = new ArrayList<>(n);
        double logLoss = 0;
        for (int r = 0; r < n; r++) {
            Map<String, Label> scores = new HashMap<>();
            for (int j = 0; j < c; j++) {
                scores.put(labelNames.get(j), new Label(labelNames.get(j), probabilities.get(r, j)));
            }
            int predicted = probabilities.argMaxOfRow(r);
            Label output = new Label(labelNames.get(predicted), probabilities.get(r, predicted));
            predictions.add(new Prediction<>(output, scores, 0, new ArrayExample<>(domain.get(labels[r])), true));
            logLoss -= Math.log(Math.max(MIN_PROBABILITY, probabilities.get(r, labels[r])));
        }
        LabelConfusionMatrix matrix = new LabelConfusionMatrix(domain(domain), predictions);

        List<ClassificationMetrics.ClassMetrics> perClass = new ArrayList<>();
        int[][] confusion = new int[c][c];
        double weightedF1 = 0;
        for (int t = 0; t < c; t++) {
            Label label = domain.get(t);
            MetricTarget<Label> target = new MetricTarget<>(label);
            int support = (int) Math.round(matrix.support(label));
            double f1 = ConfusionMetrics.f1(target, matrix);
            perClass.add(new ClassificationMetrics.ClassMetrics(label.getLabel(), ConfusionMetrics.precision(target, matrix),
                    ConfusionMetrics.recall(target, matrix), f1, support));
            weightedF1 += n == 0 ? 0 : f1 * support / n;
            for (int p = 0; p < c; p++) {
                confusion[t][p] = (int) Math.round(matrix.confusion(domain.get(p), label));
            }
        }
        return new ClassificationMetrics(ConfusionMetrics.accuracy(MetricTarget.<Label>microAverageTarget(), matrix),
                ConfusionMetrics.f1(MetricTarget.<Label>macroAverageTarget(), matrix), weightedF1,
                n == 0 ? Double.NaN : logLoss / n, perClass, confusion, Reliability.of(probabilities, labels));
    }

    /** The label domain: exactly the data set's labels, whether or not the rows show each one. */
    private static ImmutableOutputInfo<Label> domain(List<Label> labels) {
        MutableOutputInfo<Label> info = new LabelFactory().generateInfo();
        labels.forEach(info::observe);
        return info.generateImmutableOutputInfo();
    }
}
