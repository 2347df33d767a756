package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.nn.Permutations;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a gate trains on, with every expert's output on them computed once: the experts are frozen, so their
 * outputs never change during training. Under cross-fitting the outputs are out-of-fold (each row scored by an
 * expert that did not train on it), which is why they are given here rather than computed by the trainer.
 *
 * @param features            rows x data set features
 * @param labels              each row's label index
 * @param expertProbabilities per expert, rows x labels in the data set's label order, uncalibrated
 */
public record GateData(FloatMatrix features, int[] labels, List<FloatMatrix> expertProbabilities) {

    public GateData {
        expertProbabilities = List.copyOf(expertProbabilities);
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException(features.rows() + " rows but " + labels.length + " labels");
        }
        for (FloatMatrix p : expertProbabilities) {
            if (p.rows() != features.rows()) {
                throw new IllegalArgumentException("expert probabilities for " + p.rows() + " rows, features for " + features.rows());
            }
        }
    }

    /** The rows with the given experts' outputs on them. */
    public static GateData of(FloatMatrix features, int[] labels, List<AlignedExpert> experts) {
        List<FloatMatrix> probabilities = new ArrayList<>();
        for (AlignedExpert expert : experts) {
            probabilities.add(expert.predict(features));
        }
        return new GateData(features, labels, probabilities);
    }

    public int rows() {
        return features.rows();
    }

    /** The given rows only. */
    public GateData select(int[] rows) {
        return new GateData(features.selectRows(rows), Permutations.select(labels, rows),
                expertProbabilities.stream().map(p -> p.selectRows(rows)).toList());
    }
}
