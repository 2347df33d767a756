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

    /** The keys {@link #asMap} gives the typed fields; {@link #fromMap} reads them back. */
    public static final String PROVIDER = "provider";
    public static final String MODEL = "model";

    public ExpertProvenance {
        Objects.requireNonNull(provider, "provider");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
        if (details.containsKey(PROVIDER) || details.containsKey(MODEL)) {
            throw new IllegalArgumentException("details may not hold '" + PROVIDER + "' or '" + MODEL + "': they are fields");
        }
    }

    /** An expert trained in this run, with its hyperparameters and the like. */
    public static ExpertProvenance trained(String provider, Map<String, String> details) {
        return new ExpertProvenance(provider, null, details);
    }

    /** An expert loaded from {@code model} (a path or a resource). */
    public static ExpertProvenance loaded(String provider, String model, Map<String, String> details) {
        return new ExpertProvenance(provider, Objects.requireNonNull(model, "model"), details);
    }

    /** This provenance with one more detail (replacing one of the same key). */
    public ExpertProvenance with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new ExpertProvenance(provider, model, more);
    }

    /** As one flat map, for reports and saved mixtures: {@code provider}, then {@code model} when known, then the details. */
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
     * The inverse of {@link #asMap}, for maps saved by older formats; a map without {@code provider} gets
     * {@code fallbackProvider}.
     */
    public static ExpertProvenance fromMap(Map<String, String> map, String fallbackProvider) {
        Map<String, String> details = new LinkedHashMap<>(map);
        String provider = details.remove(PROVIDER);
        String model = details.remove(MODEL);
        return new ExpertProvenance(provider != null ? provider : fallbackProvider, model, details);
    }
}
