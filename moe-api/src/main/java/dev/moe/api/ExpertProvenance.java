package dev.moe.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an expert came from, typed where every expert has an answer and free-form for the rest.
 *
 * @param provider the provider's name, e.g. {@code nd4j-mlp}
 * @param model    the file or resource the model was loaded from; null for an expert trained in this run
 * @param details  anything else worth showing, in order: hyperparameters, training rows, library versions
 */
public record ExpertProvenance(String provider, String model, Map<String, String> details) {

    /** The key {@link #asMap} gives {@link #provider}; {@link #fromMap} reads it back. */
    public static final String PROVIDER = "provider";
    /** The key {@link #asMap} gives {@link #model}; {@link #fromMap} reads it back. */
    public static final String MODEL = "model";
    /**
     * The detail that names the SHA-256 (lowercase hex) of the file a loaded model was trained on, when the model
     * records it (Tribuo's file data sources do); several, comma-separated, for a model trained on several files. moe
     * compares it with its data file's and says so when a loaded expert was trained on the very file it is tested on.
     */
    public static final String TRAINING_DATA_SHA256 = "training-data-sha256";
    /** The detail that names the file a loaded model was trained on, as the model records it (for messages). */
    public static final String TRAINING_DATA = "training-data";
    /**
     * The detail that says a loaded model was trained on part of {@link #TRAINING_DATA} only (a train/test split:
     * its proportion and seed, as the model records them).
     */
    public static final String TRAINING_DATA_PART = "training-data-part";

    /**
     * Copies the details; they may not use the fields' keys.
     *
     * @param provider the provider's name
     * @param model    the file or resource the model was loaded from, or null
     * @param details  anything else, in order
     */
    public ExpertProvenance {
        Objects.requireNonNull(provider, "provider");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
        if (details.containsKey(PROVIDER) || details.containsKey(MODEL)) {
            throw new IllegalArgumentException("details may not hold '" + PROVIDER + "' or '" + MODEL + "': they are fields");
        }
    }

    /**
     * An expert trained in this run.
     *
     * @param provider the provider's name
     * @param details  its hyperparameters and the like, in order
     * @return a provenance without a model file
     */
    public static ExpertProvenance trained(String provider, Map<String, String> details) {
        return new ExpertProvenance(provider, null, details);
    }

    /**
     * An expert loaded from a file or resource.
     *
     * @param provider the provider's name
     * @param model    the path or resource it was loaded from
     * @param details  anything else, in order
     * @return a provenance naming the model
     */
    public static ExpertProvenance loaded(String provider, String model, Map<String, String> details) {
        return new ExpertProvenance(provider, Objects.requireNonNull(model, "model"), details);
    }

    /**
     * The same provenance with one more detail.
     *
     * @param key   the detail's name (not {@code provider} or {@code model})
     * @param value its value
     * @return this provenance with one more detail, replacing one of the same key
     */
    public ExpertProvenance with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new ExpertProvenance(provider, model, more);
    }

    /**
     * This provenance as one flat map.
     *
     * @return one flat map, for reports and saved mixtures: {@code provider}, then {@code model} when known, then the details
     */
    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PROVIDER, provider);
        if (model != null) {
            out.put(MODEL, model);
        }
        out.putAll(details);
        return Collections.unmodifiableMap(out);
    }

    /**
     * The inverse of {@link #asMap}, for maps saved by older formats.
     *
     * @param map              a flat provenance map
     * @param fallbackProvider the provider when the map names none
     * @return the typed provenance
     */
    public static ExpertProvenance fromMap(Map<String, String> map, String fallbackProvider) {
        Map<String, String> details = new LinkedHashMap<>(map);
        String provider = details.remove(PROVIDER);
        String model = details.remove(MODEL);
        return new ExpertProvenance(provider != null ? provider : fallbackProvider, model, details);
    }
}
