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

    /**
     * Copies the lists and refuses duplicate names and an empty label space.
     *
     * @param id           the expert's id
     * @param featureNames the columns it reads, in order
     * @param labelNames   the columns it returns, in order
     * @param provenance   where it came from
     */
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

    /**
     * This signature under another id.
     *
     * @param newId the id of the config entry that loaded a saved model
     * @return the same signature under that id
     */
    public ExpertSignature withId(String newId) {
        return new ExpertSignature(newId, featureNames, labelNames, provenance);
    }

    /**
     * This signature with another provenance.
     *
     * @param newProvenance e.g. the old one with one more detail after fine-tuning
     * @return the same signature with that provenance
     */
    public ExpertSignature withProvenance(ExpertProvenance newProvenance) {
        return new ExpertSignature(id, featureNames, labelNames, newProvenance);
    }
}
