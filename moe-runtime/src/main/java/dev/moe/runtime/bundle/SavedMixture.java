package dev.moe.runtime.bundle;

import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A mixture loaded from a bundle: the model, immutable and safe for concurrent {@code predict} calls, with the
 * manifest it was described by.
 *
 * @param file     the bundle it was read from
 * @param manifest its manifest
 * @param model    the mixture, ready to predict
 * @param providers the providers its experts were read with: saving the mixture again takes the same ones, since a
 *                 plugin's provider knows its experts by their classes, which another load of the plugin would define anew
 * @param configText the config it was trained from, as the bundle holds it (verified with every entry when read); null
 *                 when it holds none (a mixture saved from Java)
 */
public record SavedMixture(Path file, BundleManifest manifest, MixtureModel model, ProviderRegistry providers, String configText)
        implements AutoCloseable {

    public SavedMixture {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(providers, "providers");
    }

    /** Closes the mixture's experts: once done predicting. */
    @Override
    public void close() {
        model.close();
    }

    /** The columns the mixture reads, by name, in the order {@code model().predict} takes them. */
    public List<String> featureNames() {
        return manifest.featureNames();
    }

    public List<String> labelNames() {
        return model.labelNames();
    }

    /** How an input's columns become {@link #featureNames()}: as they are, or categorical ones one-hot. */
    public dev.moe.runtime.data.CategoricalEncoding encoding() {
        return manifest.encoding();
    }

    /** The label column of the data it was trained on. */
    public String labelColumn() {
        return manifest.labelColumn();
    }

    /** The label cells that meant "no label" in its training data ({@code data.unlabelled}); empty when none. */
    public List<String> unlabelled() {
        return manifest.unlabelled() == null ? List.of() : manifest.unlabelled();
    }

    /** The labels at least one expert predicts: the only ones the mixture can give probability above zero. */
    public Set<String> labelsKnownToExperts() {
        Set<String> known = new LinkedHashSet<>();
        Set<String> mixture = Set.copyOf(model.labelNames());
        for (String label : model.labelNames()) {
            for (AlignedExpert e : model.experts()) {
                if (e.expert().labelNames().contains(label) && mixture.contains(label)) {
                    known.add(label);
                    break;
                }
            }
        }
        return known;
    }
}
