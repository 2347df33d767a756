package dev.moe.runtime.evaluation;

import dev.moe.api.FloatMatrix;
import dev.moe.experts.tribuo.TribuoExpert;
import dev.moe.gating.mixture.AlignedExpert;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.impl.ArrayExample;

/**
 * The answers to "was the gate worth it": the same experts without a gate. {@code uniform} averages their
 * probabilities; {@code tribuo-ensemble} is Tribuo's own {@link WeightedEnsembleModel} with a
 * {@link FullyWeightedVotingCombiner} over the experts' Tribuo models, when every expert is one.
 */
public final class Baselines {

    public static final String UNIFORM = "uniform";
    public static final String TRIBUO_ENSEMBLE = "tribuo-ensemble";

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
     * Tribuo's weighted ensemble (equal weights, soft vote) of the experts' models, on rows of the data set whose
     * columns are {@code featureNames}. Empty unless every expert is a Tribuo model and Tribuo accepts them as one
     * ensemble: it requires equal feature and label domains (experts on different feature or label subsets are refused).
     */
    public static Optional<FloatMatrix> tribuoEnsemble(List<AlignedExpert> experts, FloatMatrix rows,
                                                       List<String> featureNames, List<String> labelNames) {
        List<Model<Label>> models = new ArrayList<>();
        for (AlignedExpert expert : experts) {
            if (!(expert.expert() instanceof TribuoExpert tribuo)) {
                return Optional.empty();
            }
            models.add(tribuo.model());
        }
        float[] weights = new float[models.size()];
        Arrays.fill(weights, 1f / models.size());
        WeightedEnsembleModel<Label> ensemble;
        try {
            ensemble = WeightedEnsembleModel.createEnsembleFromExistingModels("moe-experts", models,
                    new FullyWeightedVotingCombiner(), weights);
        } catch (IllegalArgumentException differentDomains) {
            return Optional.empty();
        }
        String[] names = featureNames.toArray(String[]::new);
        List<Example<Label>> examples = new ArrayList<>(rows.rows());
        for (int r = 0; r < rows.rows(); r++) {
            double[] values = new double[rows.columns()];
            for (int j = 0; j < values.length; j++) {
                values[j] = rows.get(r, j);
            }
            examples.add(new ArrayExample<>(new Label(labelNames.get(0)), names, values));
        }
        Map<String, Integer> labelIndex = new HashMap<>();
        for (int j = 0; j < labelNames.size(); j++) {
            labelIndex.put(labelNames.get(j), j);
        }
        List<Prediction<Label>> predictions = ensemble.predict(examples);
        FloatMatrix out = FloatMatrix.zeros(rows.rows(), labelNames.size());
        for (int r = 0; r < predictions.size(); r++) {
            for (Map.Entry<String, Label> score : predictions.get(r).getOutputScores().entrySet()) {
                Integer j = labelIndex.get(score.getKey());
                if (j != null) {
                    out.set(r, j, (float) score.getValue().getScore());
                }
            }
        }
        return Optional.of(out);
    }
}
