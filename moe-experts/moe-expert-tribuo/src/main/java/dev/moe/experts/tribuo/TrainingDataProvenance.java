package dev.moe.experts.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.moe.api.ExpertProvenance;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DatasetProvenance;

/**
 * The file a Tribuo model was trained on, as its own provenance records it. Tribuo's file data sources (CSV, JSON,
 * text) keep the file's path and SHA-256 ({@code dataPath}, {@code resource-hash}); a train/test split keeps its
 * proportion and seed around them. moe compares the hash with its own data file's, to say so when a loaded model was
 * trained on the rows it is tested on.
 */
final class TrainingDataProvenance {

    private TrainingDataProvenance() {
    }

    /**
     * Puts {@link ExpertProvenance#TRAINING_DATA_SHA256} (and the path, and the split when there was one) into
     * {@code provenance} when the model's data provenance names a file by its hash; nothing otherwise (a model trained
     * on rows in memory, or one whose provenance was stripped).
     */
    static void describe(Model<Label> model, Map<String, String> provenance) {
        DatasetProvenance data;
        try {
            data = model.getProvenance().getDatasetProvenance();
        } catch (RuntimeException e) {
            return; // no data provenance at all: nothing to compare
        }
        Found found = new Found();
        walk(data, found);
        if (found.hashes.isEmpty()) {
            return;
        }
        provenance.put(ExpertProvenance.TRAINING_DATA_SHA256, String.join(",", found.hashes));
        if (!found.paths.isEmpty()) {
            provenance.put(ExpertProvenance.TRAINING_DATA, String.join(",", found.paths));
        }
        if (found.split != null) {
            provenance.put(ExpertProvenance.TRAINING_DATA_PART, found.split);
        }
        provenance.putIfAbsent("training-rows", String.valueOf(data.getNumExamples()));
    }

    private static final class Found {
        final Set<String> hashes = new LinkedHashSet<>();
        final Set<String> paths = new LinkedHashSet<>();
        String split;
    }

    private static void walk(Provenance p, Found found) {
        ProvenanceTree.forEachObject(p, object -> walkObject(object, found));
    }

    private static void walkObject(ObjectProvenance object, Found found) {
        Double proportion = null;
        Object seed = null;
        Boolean trainSide = null;
        for (Pair<String, Provenance> field : object) {
            String key = field.getA();
            Provenance value = field.getB();
            if (value instanceof HashProvenance hash && key.equals("resource-hash")) {
                found.hashes.add(hash.getValue().toLowerCase(Locale.ROOT));
            } else if (key.equals("dataPath") && value instanceof PrimitiveProvenance<?> path) {
                found.paths.add(String.valueOf(path.getValue()));
            } else if (key.equals("train-proportion") && value instanceof PrimitiveProvenance<?> v && v.getValue() instanceof Number n) {
                proportion = n.doubleValue();
            } else if (key.equals("seed") && value instanceof PrimitiveProvenance<?> v) {
                seed = v.getValue();
            } else if (key.equals("is-train") && value instanceof PrimitiveProvenance<?> v && v.getValue() instanceof Boolean b) {
                trainSide = b;
            } else {
                walk(value, found);
            }
        }
        if (proportion != null && trainSide != null && found.split == null) {
            // Tribuo's TrainTestSplitter: the model saw the training side (or, oddly, the test side) of the file.
            double share = trainSide ? proportion : 1 - proportion;
            found.split = String.format(Locale.ROOT, "%s side of a train/test split (%.2f of the rows, seed %s)",
                    trainSide ? "training" : "test", share, seed);
        }
    }
}
