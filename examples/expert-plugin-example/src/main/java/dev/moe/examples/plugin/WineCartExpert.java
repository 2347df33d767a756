package dev.moe.examples.plugin;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/**
 * A Tribuo classification model as an expert: the whole batch becomes Tribuo examples, one batch call to the
 * model, then each prediction's label scores (normalised) or a one-hot row. Immutable and thread-safe.
 */
final class WineCartExpert implements Expert {

    private final String id;
    private final Model<Label> model;
    private final List<String> featureNames;
    private final String[] names;
    private final List<String> labelNames = new ArrayList<>();
    private final Map<String, Integer> labelColumn = new HashMap<>();
    private final boolean scores;
    private final Map<String, String> provenance;

    WineCartExpert(String id, Model<Label> model, List<String> featureNames, boolean scores, Map<String, String> provenance) {
        this.id = Objects.requireNonNull(id, "id");
        this.model = Objects.requireNonNull(model, "model");
        this.featureNames = List.copyOf(featureNames);
        this.names = featureNames.toArray(String[]::new);
        this.scores = scores;
        this.provenance = Map.copyOf(provenance);
        model.getOutputIDInfo().forEach(pair -> {
            labelColumn.put(pair.getB().getLabel(), labelNames.size());
            labelNames.add(pair.getB().getLabel());
        });
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    @Override
    public List<String> labelNames() {
        return List.copyOf(labelNames);
    }

    @Override
    public Map<String, String> provenance() {
        return provenance;
    }

    @Override
    public FloatMatrix predict(FloatMatrix features) {
        if (features.columns() != names.length) {
            throw new IllegalArgumentException("expert '" + id + "' expects " + names.length + " feature columns, got "
                    + features.columns());
        }
        List<Example<Label>> examples = new ArrayList<>(features.rows());
        for (int r = 0; r < features.rows(); r++) {
            double[] values = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                values[c] = features.get(r, c);
            }
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, values));
        }
        FloatMatrix out = FloatMatrix.zeros(features.rows(), labelNames.size());
        List<Prediction<Label>> predictions = examples.isEmpty() ? List.of() : model.predict(examples);
        for (int r = 0; r < predictions.size(); r++) {
            Prediction<Label> prediction = predictions.get(r);
            double sum = 0;
            for (Label label : prediction.getOutputScores().values()) {
                sum += Math.max(0, label.getScore());
            }
            if (scores && sum > 0) {
                for (Label label : prediction.getOutputScores().values()) {
                    out.set(r, labelColumn.get(label.getLabel()), (float) (Math.max(0, label.getScore()) / sum));
                }
            } else {
                out.set(r, labelColumn.get(prediction.getOutput().getLabel()), 1f);
            }
        }
        return out;
    }
}
