package dev.moe.experts.tribuo;

import dev.moe.api.BaselineProvider;
import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
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
 * The {@code tribuo-ensemble} baseline: Tribuo's own {@link WeightedEnsembleModel} (equal weights, soft vote, a
 * {@link FullyWeightedVotingCombiner}) over the experts that are Tribuo models: what a Tribuo user gets from those
 * models without moe. It applies when at least two experts are Tribuo models and Tribuo accepts them as one ensemble,
 * which requires equal feature and label domains (experts on different feature or label subsets are refused).
 */
public final class TribuoEnsembleBaseline implements BaselineProvider {

    public static final String NAME = "tribuo-ensemble";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String requirement() {
        return "needs at least two experts that are Tribuo models (the tribuo provider's), which Tribuo accepts as one"
                + " ensemble only with the same features and labels";
    }

    @Override
    public Optional<FloatMatrix> predict(List<Expert> experts, FloatMatrix rows, List<String> featureNames, List<String> labelNames) {
        List<Model<Label>> models = new ArrayList<>();
        for (Expert expert : experts) {
            if (expert instanceof TribuoExpert tribuo) {
                models.add(tribuo.model());
            }
        }
        if (models.size() < 2) {
            return Optional.empty();
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
        return Optional.of(scores(ensemble.predict(examples), labelNames));
    }

    /** Tribuo's output scores in the data set's label order (0 for a label the ensemble does not know). */
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
}
