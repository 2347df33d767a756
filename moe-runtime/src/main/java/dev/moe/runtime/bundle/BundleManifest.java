package dev.moe.runtime.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import dev.moe.runtime.data.CategoricalEncoding;

/**
 * {@code manifest.json}, the table of contents of a saved mixture (see {@link BundleFormat}).
 *
 * @param format        always {@link BundleFormat#FORMAT}
 * @param formatVersion the bundle layout's version; a reader refuses versions newer than it knows
 * @param createdBy     the program and version that wrote it
 * @param createdAt     when, as an ISO-8601 instant
 * @param labelColumn   the label column of the data it was trained on (for evaluating on a labelled CSV)
 * @param featureNames  the columns the mixture reads, in the gate's order
 * @param labelNames    the labels it predicts, in the order of its probability columns
 * @param strategy      the routing strategy and the parameters it was created with
 * @param gate          the gate network's shape and the entries holding its numbers
 * @param experts       the experts, in the gate's output order
 * @param provenance    where the mixture came from
 * @param entries       every other entry of the bundle, with its SHA-256 (lower-case hex)
 * @param plugins       the plugin jars whose code the mixture runs (experts' and strategy's providers), each with
 *                      its SHA-256: loading the bundle loads these and no other; null in bundles older than this field
 * @param sizes         every other entry's uncompressed size in bytes: the reader streams each entry against it
 *                      (a zip bomb is refused before it is held); null in bundles older than this field
 * @param categorical   the categorical input columns, each with its levels in feature order: {@code featureNames}
 *                      holds a {@code column=level} feature per level; null when every column is numeric (and in
 *                      bundles before format version 3)
 * @param fill          the filled numeric columns, each with its median: {@code featureNames} holds the column and
 *                      {@code column=missing} after it; null when none is filled (and in bundles before format version 4)
 * @param unlabelled    label cells that meant "no label" in the training data ({@code data.unlabelled}): a labelled
 *                      CSV's rows with one of them are left out of an evaluation too; null when none. No version of
 *                      its own: a reader that does not know the field refuses such a row (an empty label, or one no
 *                      expert knows) rather than scoring it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
        String format,
        Integer formatVersion,
        String createdBy,
        String createdAt,
        String labelColumn,
        List<String> featureNames,
        List<String> labelNames,
        Strategy strategy,
        Gate gate,
        List<ExpertEntry> experts,
        Provenance provenance,
        Map<String, String> entries,
        List<PluginRef> plugins,
        Map<String, Long> sizes,
        List<Categorical> categorical,
        List<Filled> fill,
        List<String> unlabelled) {

    public BundleManifest(String format, Integer formatVersion, String createdBy, String createdAt, String labelColumn,
                          List<String> featureNames, List<String> labelNames, Strategy strategy, Gate gate,
                          List<ExpertEntry> experts, Provenance provenance, Map<String, String> entries,
                          List<PluginRef> plugins, Map<String, Long> sizes, List<Categorical> categorical, List<Filled> fill) {
        this(format, formatVersion, createdBy, createdAt, labelColumn, featureNames, labelNames, strategy, gate, experts,
                provenance, entries, plugins, sizes, categorical, fill, null);
    }

    /** The fields a bundle cannot be read without; a manifest that lacks one is corrupt. */
    public BundleManifest {
        required(featureNames, "featureNames");
        required(labelNames, "labelNames");
        required(strategy, "strategy");
        required(gate, "gate");
        required(experts, "experts");
        required(entries, "entries");
        if (experts.isEmpty() || labelNames.isEmpty()) {
            throw new IllegalArgumentException("no experts or no labels");
        }
        for (ExpertEntry e : experts) {
            required(e, "experts[]");
        }
        if (categorical != null) {
            for (Categorical c : categorical) {
                required(c, "categorical[]");
            }
        }
        if (fill != null) {
            for (Filled f : fill) {
                required(f, "fill[]");
            }
        }
        if (unlabelled != null) {
            for (String u : unlabelled) {
                required(u, "unlabelled[]");
            }
        }
    }

    /**
     * How the input's columns become {@code featureNames}: as they are, one-hot ({@link #categorical}), or with their
     * gaps filled ({@link #fill}).
     */
    public CategoricalEncoding encoding() {
        if (categorical == null && fill == null) {
            return CategoricalEncoding.none(featureNames);
        }
        List<CategoricalEncoding.Column> encoded = new java.util.ArrayList<>();
        if (categorical != null) {
            categorical.forEach(c -> encoded.add(new CategoricalEncoding.Column(c.column(), c.levels())));
        }
        if (fill != null) {
            fill.forEach(f -> encoded.add(CategoricalEncoding.Column.filled(f.column(), f.median())));
        }
        return CategoricalEncoding.of(featureNames, encoded);
    }

    /**
     * A filled numeric input column.
     *
     * @param column its name in the input
     * @param median the value a missing cell takes (the median of the rows the mixture was fitted on)
     */
    public record Filled(String column, Double median) {
        public Filled {
            required(column, "fill[].column");
            required(median, "fill[" + column + "].median");
        }
    }

    /**
     * A categorical input column.
     *
     * @param column its name in the input
     * @param levels its levels, in the order of their features ({@code column=level})
     */
    public record Categorical(String column, List<String> levels) {
        public Categorical {
            required(column, "categorical[].column");
            required(levels, "categorical[" + column + "].levels");
        }
    }

    /**
     * @throws IllegalArgumentException {@code 'KEY' is missing}, which the reader reports as a corrupt manifest
     */
    static void required(Object value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
    }

    /**
     * @param name        the strategy's name, created again through the strategy provider of that name
     * @param params      the parameters it was created with ({@code routing.params})
     * @param description its {@code describe()} at save time, for people
     * @param origin      where its provider was found: {@code classpath (...)} or a plugin's jar or folder
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Strategy(String name, Map<String, Object> params, String description, String origin) {
        public Strategy {
            required(name, "strategy.name");
        }
    }

    /**
     * The gate: its inputs, standardised, then an MLP with one output per expert. Each named entry holds
     * little-endian float32 values: the scaler's means and scales (one per gate input) and the MLP's flat parameters.
     *
     * @param inputs      what the gate reads ({@code features}, {@code signals}, {@code experts}, {@code both}); absent
     *                    means features (format version 1)
     * @param calibration the entry holding each expert's calibration, float32 pairs (temperature, floor) in the
     *                    gate's order ({@code q = (1 - floor) p^(1/temperature) / sum + floor / labels}); absent
     *                    means uncalibrated experts. An entry, not manifest numbers, so that its checksum covers it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gate(List<Integer> sizes, List<String> activations, Double dropout, String means, String scales,
                       String parameters, String inputs, String calibration) {
        public Gate {
            required(sizes, "gate.sizes");
            required(activations, "gate.activations");
        }
    }

    /**
     * One expert.
     *
     * @param storage       {@code embedded}: the provider saved the model into {@code entry}; {@code reference}:
     *                      the provider loads it again from {@code params} (a pretrained model a plugin ships)
     * @param entry         the embedded model's entry; null for a reference
     * @param params        the config's parameters of the expert; a reference loads it with them
     * @param baseDirectory the config's folder, against which a reference's relative paths resolve
     * @param origin        where the provider was found when saving
     * @param plugin        the jar the provider came from, when it is known
     * @param featureNames  the features the expert reads; checked again when loading
     * @param labelNames    the labels it predicts; checked again when loading
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExpertEntry(String id, String provider, String storage, String entry, Map<String, Object> params,
                              String baseDirectory, String origin, PluginRef plugin, List<String> featureNames,
                              List<String> labelNames, Map<String, String> provenance) {
        public ExpertEntry {
            required(id, "experts[].id");
            required(provider, "experts[" + id + "].provider");
            required(storage, "experts[" + id + "].storage");
            required(featureNames, "experts[" + id + "].featureNames");
            required(labelNames, "experts[" + id + "].labelNames");
        }
    }

    /**
     * A provider's jar: its file name, its Maven artifact and version when the jar says them, and the SHA-256 of its
     * bytes (a jar with another hash is refused when the bundle is loaded).
     *
     * @param libraries for a plugin that is a folder of jars, in the bundle's list of plugins: every other jar of the
     *                  folder by file name, with its SHA-256 (the folder must hold exactly these when the bundle is
     *                  loaded); null for a plugin that is one jar, in an expert's entry, and in bundles saved before
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PluginRef(String jar, String artifact, String version, String sha256, Map<String, String> libraries) {

        /** A jar alone, without libraries. */
        public PluginRef(String jar, String artifact, String version, String sha256) {
            this(jar, artifact, version, sha256, null);
        }

        /** @return this jar with the other jars of its plugin folder */
        PluginRef withLibraries(Map<String, String> jars) {
            return new PluginRef(jar, artifact, version, sha256, jars);
        }
    }

    /**
     * @param configFile    the config file's path when saved
     * @param configEntry   the entry holding the config's text, or null
     * @param seed          the seed of the run (every random choice of it derives from this)
     * @param dataSource    {@code csv}, {@code synthetic-seed}, ...
     * @param data          the data set's name (file name or generator)
     * @param dataRows      how many rows it had
     * @param dataSha256    SHA-256 of the data set as read (names, features as float32, labels)
     * @param dataFileSha256 SHA-256 of the data file's bytes, for a file source
     * @param testRows      how many rows the run held out for testing
     * @param testAccuracy  the mixture's accuracy on them
     * @param libraries     versions of the program, Java and the libraries that compute the predictions
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provenance(String configFile, String configEntry, Long seed, String dataSource, String data,
                             Integer dataRows, String dataSha256, String dataFileSha256, Integer testRows,
                             Double testAccuracy, Map<String, String> libraries) { }
}
