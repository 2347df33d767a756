package dev.moe.experts.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tribuo.Model;
import org.tribuo.VariableIDInfo;
import org.tribuo.classification.Label;

/**
 * What moe stores inside a Tribuo model it trains, as Tribuo "instance provenance" (saved with the model's
 * protobuf): the feature and label names in the training set's order, and the algorithm. A model from
 * elsewhere lacks them; then the names come from the model's feature and label domains, in Tribuo's id order
 * (features sorted by name).
 */
final class ModelMetadata {

    static final String FEATURE_NAMES = "moe.feature-names";
    static final String LABEL_NAMES = "moe.label-names";
    static final String ALGORITHM = "moe.algorithm";

    private ModelMetadata() {
    }

    static Map<String, Provenance> instanceProvenance(List<String> featureNames, List<String> labelNames, String algorithm) {
        Map<String, Provenance> map = new LinkedHashMap<>();
        map.put(FEATURE_NAMES, strings(FEATURE_NAMES, featureNames));
        map.put(LABEL_NAMES, strings(LABEL_NAMES, labelNames));
        map.put(ALGORITHM, new StringProvenance(ALGORITHM, algorithm));
        return map;
    }

    private static ListProvenance<StringProvenance> strings(String key, List<String> values) {
        List<StringProvenance> list = new ArrayList<>();
        for (String v : values) {
            list.add(new StringProvenance(key, v));
        }
        return new ListProvenance<>(list);
    }

    /** The features the expert reads: the stored order when it covers every feature the model knows. */
    static List<String> featureNames(Model<Label> model) {
        List<String> domain = new ArrayList<>();
        for (int i = 0; i < model.getFeatureIDMap().size(); i++) {
            VariableIDInfo info = model.getFeatureIDMap().get(i);
            domain.add(info.getName());
        }
        // A stored order may hold more names than the domain: Tribuo leaves out columns that were all zero.
        return stored(model, FEATURE_NAMES)
                .filter(names -> new HashSet<>(names).size() == names.size() && names.containsAll(domain))
                .orElse(domain);
    }

    /** The labels the expert predicts: the model's label domain, in the stored order when there is one. */
    static List<String> labelNames(Model<Label> model) {
        List<String> domain = TribuoExpert.labelNamesInIdOrder(model);
        Set<String> domainSet = new HashSet<>(domain);
        return stored(model, LABEL_NAMES)
                .map(names -> names.stream().filter(domainSet::contains).distinct().toList())
                .filter(names -> names.size() == domain.size())
                .orElse(domain);
    }

    /** Whether moe trained the model (on its float rows): it stored the feature names it was trained on. */
    static boolean trainedByMoe(Model<Label> model) {
        return stored(model, FEATURE_NAMES).isPresent();
    }

    static Optional<String> algorithm(Model<Label> model) {
        Provenance p = instance(model).get(ALGORITHM);
        return p instanceof StringProvenance s ? Optional.of(s.getValue()) : Optional.empty();
    }

    private static Optional<List<String>> stored(Model<Label> model, String key) {
        if (!(instance(model).get(key) instanceof ListProvenance<?> list)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (Provenance p : list) {
            if (!(p instanceof StringProvenance s)) {
                return Optional.empty();
            }
            names.add(s.getValue());
        }
        return Optional.of(names);
    }

    private static Map<String, ? extends Provenance> instance(Model<Label> model) {
        try {
            return model.getProvenance().getInstanceProvenance().getMap();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
