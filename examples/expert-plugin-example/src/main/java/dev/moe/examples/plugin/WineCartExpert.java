package dev.moe.examples.plugin;

import dev.moe.api.AbstractExpert;
import dev.moe.api.ExpertSignature;
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
final class WineCartExpert extends AbstractExpert {

    private final Model<Label> model;
    private final String[] names;
    private final Map<String, Integer> labelColumn = new HashMap<>();
    private final boolean scores;

    /** @param signature with the model's labels in its output id order (see {@link #labelsOf}) */
    WineCartExpert(ExpertSignature signature, Model<Label> model, boolean scores) {
        super(signature);
        this.model = Objects.requireNonNull(model, "model");
        this.names = signature.featureNames().toArray(String[]::new);
        this.scores = scores;
        for (String label : signature.labelNames()) {
            labelColumn.put(label, labelColumn.size());
        }
    }

    /** The model's labels in its output id order: the columns of {@link #predict}. */
    static List<String> labelsOf(Model<Label> model) {
        List<String> labels = new ArrayList<>();
        model.getOutputIDInfo().forEach(pair -> labels.add(pair.getB().getLabel()));
        return labels;
    }

    @Override
    public FloatMatrix predict(FloatMatrix features) {
        requireColumns(features);
        List<Example<Label>> examples = new ArrayList<>(features.rows());
        for (int r = 0; r < features.rows(); r++) {
            double[] values = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                values[c] = features.get(r, c);
            }
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, values));
        }
        FloatMatrix out = FloatMatrix.zeros(features.rows(), labelColumn.size());
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
