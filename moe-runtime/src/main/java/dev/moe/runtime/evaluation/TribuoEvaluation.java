package dev.moe.runtime.evaluation;

import dev.moe.api.FloatMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.baseline.DummyClassifierTrainer;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Classification metrics through Tribuo's {@link LabelEvaluator}: any model's probability rows (an expert,
 * a baseline, the mixture) become Tribuo predictions and are scored by Tribuo's own code. Log-loss, which
 * Tribuo does not compute, is added here.
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
        Model<Label> domainModel = domainModel(domain);
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
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(domainModel, predictions,
                new SimpleDataSourceProvenance("moe test rows", new LabelFactory()));

        List<ClassificationMetrics.ClassMetrics> perClass = new ArrayList<>();
        int[][] confusion = new int[c][c];
        double weightedF1 = 0;
        for (int t = 0; t < c; t++) {
            Label label = domain.get(t);
            int support = (int) Math.round(evaluation.getConfusionMatrix().support(label));
            double f1 = evaluation.f1(label);
            perClass.add(new ClassificationMetrics.ClassMetrics(label.getLabel(), evaluation.precision(label),
                    evaluation.recall(label), f1, support));
            weightedF1 += n == 0 ? 0 : f1 * support / n;
            for (int p = 0; p < c; p++) {
                confusion[t][p] = (int) Math.round(evaluation.getConfusionMatrix().confusion(domain.get(p), label));
            }
        }
        return new ClassificationMetrics(evaluation.accuracy(), evaluation.macroAveragedF1(), weightedF1,
                n == 0 ? Double.NaN : logLoss / n, perClass, confusion, Reliability.of(probabilities, labels));
    }

    /**
     * Tribuo's evaluator takes a model for its label domain and provenance only; a dummy classifier fitted on
     * one example per label carries exactly the data set's labels.
     */
    private static Model<Label> domainModel(List<Label> domain) {
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("label domain", new LabelFactory()),
                new LabelFactory());
        for (Label label : domain) {
            dataset.add(new ArrayExample<>(label, new String[] {"bias"}, new double[] {1}));
        }
        return DummyClassifierTrainer.createMostFrequentTrainer().train(dataset);
    }
}
