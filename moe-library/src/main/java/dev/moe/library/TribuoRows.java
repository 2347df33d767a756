package dev.moe.library;

import dev.moe.api.FloatMatrix;
import dev.moe.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;

/**
 * Tribuo examples as moe's dense rows: features by name (absent ones are 0, as Tribuo reads sparse examples). Names
 * match without surrounding spaces, as moe's CSV reader reads a header: Tribuo's CSVLoader keeps iris.csv's
 * 'sepalwidth ', and a mixture trained by moe on that file knows 'sepalwidth'; matched exactly, the feature would be
 * silently 0 on every row.
 */
final class TribuoRows {

    private TribuoRows() {
    }

    /**
     * A Tribuo data set as moe's: features in the feature map's id order, labels in the output domain's id order.
     *
     * @throws IllegalArgumentException naming the row: a label outside the domain, a value that is not finite
     */
    static Dataset dataset(org.tribuo.Dataset<Label> data) {
        ImmutableFeatureMap featureMap = data.getFeatureIDMap();
        List<String> featureNames = new ArrayList<>();
        for (int i = 0; i < featureMap.size(); i++) {
            featureNames.add(featureMap.get(i).getName());
        }
        ImmutableOutputInfo<Label> outputs = data.getOutputIDInfo();
        List<String> labelNames = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            labelNames.add(outputs.getOutput(i).getLabel());
        }
        int rows = data.size();
        int[] labels = new int[rows];
        Map<String, Integer> columns = index(featureNames);
        FloatMatrix features = FloatMatrix.zeros(rows, featureNames.size());
        int r = 0;
        for (Example<Label> example : data) {
            int label = outputs.getID(example.getOutput());
            if (label < 0) {
                throw new IllegalArgumentException("example " + r + " has the label '" + example.getOutput().getLabel()
                        + "', which is not in the data set's label domain " + labelNames);
            }
            labels[r] = label;
            fill(example, columns, features, r);
            r++;
        }
        String name = data.getSourceDescription() == null ? "tribuo dataset" : data.getSourceDescription();
        return new Dataset(name, features, labels, featureNames, labelNames);
    }

    /** The examples as rows of the given features; every example must name at least one of them. */
    static FloatMatrix rows(List<Example<Label>> examples, List<String> featureNames) {
        Map<String, Integer> columns = index(featureNames);
        FloatMatrix features = FloatMatrix.zeros(examples.size(), featureNames.size());
        for (int r = 0; r < examples.size(); r++) {
            if (fill(examples.get(r), columns, features, r) == 0) {
                // Tribuo's models refuse such an example the same way: nothing in it is known to the model.
                throw new IllegalArgumentException("No features found in Example " + examples.get(r));
            }
        }
        return features;
    }

    /** Writes one example's known features into a row; returns how many of them the row's columns know. */
    static int fill(Example<Label> example, Map<String, Integer> columns, FloatMatrix into, int row) {
        int used = 0;
        for (Feature feature : example) {
            Integer column = columns.get(feature.getName().strip());
            if (column == null) {
                continue;
            }
            double value = feature.getValue();
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("example " + row + ", feature '" + feature.getName() + "' is " + value
                        + "; moe reads finite values only");
            }
            into.set(row, column, (float) value);
            used++;
        }
        return used;
    }

    /** Column by name without surrounding spaces; look names up with {@code strip()}. */
    static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer before = index.put(names.get(i).strip(), i);
            if (before != null) {
                throw new IllegalArgumentException("features '" + names.get(before) + "' and '" + names.get(i)
                        + "' differ only in surrounding spaces; moe cannot tell them apart");
            }
        }
        return index;
    }
}
