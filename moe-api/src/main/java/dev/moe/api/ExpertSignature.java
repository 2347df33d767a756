package dev.moe.api;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What the runtime needs to know about an expert besides its predictions: its id, the features it reads and the
 * labels it predicts (both in column order), and where it came from. Held by {@link AbstractExpert}.
 *
 * @param id           the id the config gave the expert
 * @param featureNames the columns {@link Expert#predict} takes, in order; no duplicates
 * @param labelNames   the columns it returns, in order; at least one, no duplicates
 * @param provenance   where it came from
 */
public record ExpertSignature(String id, List<String> featureNames, List<String> labelNames, ExpertProvenance provenance) {

    public ExpertSignature {
        Objects.requireNonNull(id, "id");
        featureNames = List.copyOf(featureNames);
        labelNames = List.copyOf(labelNames);
        Objects.requireNonNull(provenance, "provenance");
        if (new HashSet<>(featureNames).size() != featureNames.size()) {
            throw new IllegalArgumentException("expert '" + id + "': duplicate feature names " + featureNames);
        }
        if (labelNames.isEmpty() || new HashSet<>(labelNames).size() != labelNames.size()) {
            throw new IllegalArgumentException("expert '" + id + "': label names must be distinct and at least one, got " + labelNames);
        }
    }

    /** The same expert under another id (a saved model loaded by a config entry of another name). */
    public ExpertSignature withId(String newId) {
        return new ExpertSignature(newId, featureNames, labelNames, provenance);
    }

    /** The same expert with another provenance (e.g. one more detail after fine-tuning). */
    public ExpertSignature withProvenance(ExpertProvenance newProvenance) {
        return new ExpertSignature(id, featureNames, labelNames, newProvenance);
    }
}
