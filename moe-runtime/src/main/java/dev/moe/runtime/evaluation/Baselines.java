package dev.moe.runtime.evaluation;

import dev.moe.api.BaselineProvider;
import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.training.GateData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * The answers to "was the gate worth it": the same experts without a gate. {@code uniform} averages their
 * probabilities; {@code stacking} is a logistic regression on the experts' probabilities (Wolpert's stacked
 * generalisation), trained on the very rows and expert outputs the gate learned from, fitted as a user would fit it by
 * hand: L2-penalised and to convergence. Baselines tied to one kind of
 * expert come from their provider's module through {@link BaselineProvider} ({@link #provided}), e.g.
 * {@code tribuo-ensemble} from the Tribuo provider.
 */
public final class Baselines {

    public static final String UNIFORM = "uniform";
    public static final String STACKING = "stacking";

    private Baselines() {
    }

    /** The mean of the experts' probability rows (each rows x labels, in the data set's label order). */
    public static FloatMatrix uniform(List<FloatMatrix> expertProbabilities) {
        FloatMatrix first = expertProbabilities.get(0);
        float[] sum = new float[first.values().length];
        for (FloatMatrix p : expertProbabilities) {
            float[] v = p.values();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += v[i];
            }
        }
        float inv = 1f / expertProbabilities.size();
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= inv;
        }
        return new FloatMatrix(first.rows(), first.columns(), sum);
    }

    /**
     * A logistic regression whose features are every expert's probability of every label: Tribuo's LIBLINEAR trainer,
     * L2-regularised with cost C = 1 (a penalty on the weights and the intercept), solved to a tolerance of 1e-4, one
     * label against the rest with the labels' probabilities normalised to sum to 1: scikit-learn's
     * {@code LogisticRegression(solver="liblinear")}, the final estimator users of its {@code StackingClassifier}
     * long had by default. A penalised fit to convergence is the stacker to beat (docs/benchmark.md has what it changed).
     *
     * @param trainedOn         the gate's rows with the experts' outputs there (out-of-fold under cross-fitting)
     * @param testProbabilities each expert's probabilities on the rows to predict
     * @return rows x labels
     */
    public static FloatMatrix stacking(GateData trainedOn, List<FloatMatrix> testProbabilities, List<String> labelNames, long seed) {
        String[] names = stackingFeatureNames(testProbabilities.size(), labelNames.size());
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("moe gate rows", LABELS), LABELS);
        for (int r = 0; r < trainedOn.rows(); r++) {
            train.add(new ArrayExample<>(new Label(labelNames.get(trainedOn.labels()[r])), names,
                    stackingRow(trainedOn.expertProbabilities(), r)));
        }
        Trainer<Label> trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 1e-4, seed);
        Model<Label> model = trainer.train(train);
        int rows = testProbabilities.get(0).rows();
        List<Example<Label>> examples = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            examples.add(new ArrayExample<>(new Label(labelNames.get(0)), names, stackingRow(testProbabilities, r)));
        }
        return scores(model.predict(examples), labelNames);
    }

    private static final LabelFactory LABELS = new LabelFactory();

    private static String[] stackingFeatureNames(int experts, int labels) {
        String[] names = new String[experts * labels];
        for (int k = 0; k < experts; k++) {
            for (int j = 0; j < labels; j++) {
                names[k * labels + j] = String.format(java.util.Locale.ROOT, "expert%03d-label%03d", k, j);
            }
        }
        return names;
    }

    private static double[] stackingRow(List<FloatMatrix> probabilities, int row) {
        int c = probabilities.get(0).columns();
        double[] values = new double[probabilities.size() * c];
        for (int k = 0; k < probabilities.size(); k++) {
            for (int j = 0; j < c; j++) {
                values[k * c + j] = probabilities.get(k).get(row, j);
            }
        }
        return values;
    }

    /** Tribuo's output scores in the data set's label order. */
    private static FloatMatrix scores(List<Prediction<Label>> predictions, List<String> labelNames) {
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int j = 0; j < labelNames.size(); j++) {
            labelIndex.put(labelNames.get(j), j);
        }
        FloatMatrix out = FloatMatrix.zeros(predictions.size(), labelNames.size());
        for (int r = 0; r < predictions.size(); r++) {
            for (Map.Entry<String, Label> score : predictions.get(r).getOutputScores().entrySet()) {
                Integer j = labelIndex.get(score.getKey());
                if (j != null) {
                    out.set(r, j, (float) score.getValue().getScore());
                }
            }
        }
        return out;
    }

    /**
     * The baselines the class path offers through {@link BaselineProvider} (e.g. {@code tribuo-ensemble}, which lives
     * with the Tribuo provider), each applied to the experts where it applies.
     *
     * @param rows rows x features, the columns named by {@code featureNames}
     * @return by baseline name, its probabilities (rows x labels)
     */
    public static Map<String, FloatMatrix> provided(List<AlignedExpert> experts, FloatMatrix rows, List<String> featureNames,
                                                    List<String> labelNames) {
        List<Expert> underlying = experts.stream().map(AlignedExpert::expert).toList();
        Map<String, FloatMatrix> out = new TreeMap<>();
        for (BaselineProvider provider : ServiceLoader.load(BaselineProvider.class, Baselines.class.getClassLoader())) {
            provider.predict(underlying, rows, featureNames, labelNames).ifPresent(p -> out.put(provider.name(), p));
        }
        return out;
    }
}
