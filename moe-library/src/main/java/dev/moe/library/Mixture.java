package dev.moe.library;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.routing.ConstantRouting;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.gating.routing.UniformRouting;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.bundle.SaveRequest;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.io.OutputTarget;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;

/**
 * A trained mixture of experts: predicts, saves itself as a bundle that {@code moe predict} reads too, and is a
 * Tribuo {@code Model<Label>} on request ({@link #asTribuoModel()}).
 *
 * <p><b>Threads.</b> Immutable: one mixture (trained, or loaded) may be shared by any number of threads predicting at
 * once, and each block of rows gets the same answer as from one thread, to the bit. A row's probabilities may differ
 * in the last bits of a float with the size of the block it is predicted in (the experts' matrix kernels), never its
 * label in practice.
 *
 * <p><b>Resources.</b> moe does not close a mixture's experts: the built-in ones hold only memory the garbage
 * collector frees, but an expert holding native memory, files or threads (a plugin's, see
 * {@link dev.moe.api.Expert#close()}) is freed by {@code mixture.model().close()} once the mixture is no longer used.
 *
 * <pre>{@code
 * Mixture mixture = Mixture.builder().expert("lr", lrModel).expert("cart", cartModel).train(train);
 * Predictions p = mixture.predict(rows);       // rows: columns in mixture.featureNames() order
 * mixture.save(Path.of("model.moe"));
 * Mixture again = Mixture.load(Path.of("model.moe"));
 * }</pre>
 */
public final class Mixture {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Mixture.class);

    /**
     * Where one expert came from, for saving.
     *
     * @param provider its provider's name; null for an expert given in code (the provider that can save it is
     *                 looked for when saving)
     * @param trained  whether it was trained (else loaded, and a provider that cannot save it loads it again)
     */
    record ExpertOrigin(String provider, Map<String, Object> params, Path baseDirectory, boolean trained) { }

    /**
     * What Tribuo's view of the mixture shows.
     *
     * @param featureMap the training data's feature map; null when it did not come from Tribuo
     */
    record TribuoOrigin(ImmutableFeatureMap featureMap, DatasetProvenance dataset, TrainerProvenance trainer) { }

    private final MixtureModel model;
    private final List<String> featureNames;
    private final List<ExpertOrigin> origins;
    private final Map<String, Object> routingParams;
    private final String labelColumn;
    private final BundleManifest.Provenance provenance;
    private final String combiner;
    /**
     * The providers its experts came from, kept for {@link #save}: a plugin loaded again would define its classes anew,
     * and its provider would not know its own experts ({@code canSave}'s {@code instanceof} false).
     */
    private final ProviderRegistry providers;
    private final OffsetDateTime createdAt;
    private final TribuoOrigin tribuo;
    /** How an input's columns become {@link #featureNames}: as they are, or categorical ones one-hot (a loaded bundle's). */
    private final CategoricalEncoding encoding;
    /** The label cells that meant "no label" in its training file, kept for {@link #save} ({@code moe evaluate -m} uses them). */
    private final List<String> unlabelled;

    Mixture(MixtureModel model, List<String> featureNames, List<ExpertOrigin> origins, Map<String, Object> routingParams,
            String labelColumn, BundleManifest.Provenance provenance, String combiner, ProviderRegistry providers,
            OffsetDateTime createdAt, TribuoOrigin tribuo) {
        this(model, featureNames, origins, routingParams, labelColumn, provenance, combiner, providers, createdAt, tribuo,
                CategoricalEncoding.none(featureNames), List.of());
    }

    Mixture(MixtureModel model, List<String> featureNames, List<ExpertOrigin> origins, Map<String, Object> routingParams,
                    String labelColumn, BundleManifest.Provenance provenance, String combiner, ProviderRegistry providers,
                    OffsetDateTime createdAt, TribuoOrigin tribuo, CategoricalEncoding encoding, List<String> unlabelled) {
        this.model = Objects.requireNonNull(model, "model");
        this.featureNames = List.copyOf(featureNames);
        this.origins = List.copyOf(origins);
        this.routingParams = Map.copyOf(routingParams);
        this.labelColumn = labelColumn;
        this.provenance = provenance;
        this.combiner = combiner;
        this.providers = Objects.requireNonNull(providers, "providers");
        this.createdAt = createdAt;
        this.tribuo = tribuo;
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.unlabelled = List.copyOf(unlabelled);
    }

    /** {@return a builder for a new mixture, with the defaults of {@code moe train}} */
    public static MixtureBuilder builder() {
        return new MixtureBuilder();
    }

    /**
     * Predicts a block of rows. Any number of rows: a block is scored at once, so memory grows with it (split a large
     * input into blocks of a few thousand rows, as {@code moe predict} streams its file).
     *
     * @param rows rows x {@link #featureNames()}, in that order; read, not changed
     * @return the probabilities and each expert's weight per row
     * @throws IllegalArgumentException when the number of columns is not the number of features, or a value is NaN or
     *                                  infinite (moe reads finite values only, as {@code moe predict} does)
     */
    public Predictions predict(FloatMatrix rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.columns() != featureNames.size()) {
            throw new IllegalArgumentException("the mixture reads " + featureNames.size() + " features " + featureNames
                    + ", got " + rows.columns() + " columns");
        }
        requireFinite(rows, featureNames);
        MixtureModel.Prediction p = model.predict(rows);
        return new Predictions(labelNames(), expertIds(), p.probabilities(), p.weights());
    }

    /**
     * Fails on a NaN or infinite value, naming its row and feature: experts would turn it into NaN probabilities (or,
     * reading other features, ignore it), where {@code moe predict} refuses such a cell.
     */
    static void requireFinite(FloatMatrix rows, List<String> featureNames) {
        float[] values = rows.values();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("row " + i / rows.columns() + ", feature '"
                        + featureNames.get(i % rows.columns()) + "' is " + values[i] + "; moe reads finite values only");
            }
        }
    }

    /**
     * Predicts rows given by column name, as {@code moe predict} reads a CSV file: every column of
     * {@link #inputColumns()} must be there (others are ignored); a numeric cell is a {@link Number} or its text, a
     * categorical one its level as text (or any value whose {@code toString()} is the level), one-hot encoded with the levels the bundle records (a level it does not
     * record, or a missing cell, encodes as none of them: all zeros; such cells are counted and said in one warning
     * per call, through SLF4J, as {@code moe predict} says them). A filled column's missing cell (null, NaN, or a missing
     * value's text: blank, NA, ?, ...) takes the median the bundle records, with its {@code column=missing} feature 1.
     *
     * @param rows each row as column name to cell; read, not changed
     * @return the probabilities and each expert's weight per row, as {@link #predict}
     * @throws MoeException naming the row and column of a missing column or a bad numeric value
     */
    public Predictions predictRows(List<? extends Map<String, ?>> rows) {
        Objects.requireNonNull(rows, "rows");
        List<String> columns = encoding.inputColumns();
        float[] values = new float[Math.multiplyExact(rows.size(), featureNames.size())];
        Object[] cells = new Object[columns.size()];
        CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();
        for (int r = 0; r < rows.size(); r++) {
            Map<String, ?> row = Objects.requireNonNull(rows.get(r), "row " + r + " is null");
            for (int k = 0; k < cells.length; k++) {
                if (!row.containsKey(columns.get(k))) {
                    throw new MoeException("row " + r + ": no column '" + columns.get(k) + "'; the mixture reads " + columns.size()
                            + " columns (" + String.join(", ", columns) + ")");
                }
                cells[k] = row.get(columns.get(k));
            }
            encoding.encodeRow(cells, values, r * featureNames.size(), "row " + r + ": ", tally);
        }
        String summary = tally.summary();
        if (summary != null) {
            // One line per call, as moe predict says one per input file.
            LOG.warn("predictRows, {} rows: {}", rows.size(), summary);
        }
        return predict(new FloatMatrix(rows.size(), featureNames.size(), values));
    }

    /**
     * {@return the columns {@link #predictRows} reads: the features, except that a categorical column stands for its
     *         {@code column=level} features (equal to {@link #featureNames()} when every column is numeric)}
     */
    public List<String> inputColumns() {
        return encoding.inputColumns();
    }

    /**
     * {@return each categorical column's levels, in the order of its {@code column=level} features, the columns in
     *         input order; empty when every column is numeric}
     */
    public Map<String, List<String>> categoricalColumns() {
        Map<String, List<String>> levels = new LinkedHashMap<>();
        encoding.categorical().forEach(c -> levels.put(c.name(), c.levels()));
        return Collections.unmodifiableMap(levels);
    }

    /**
     * {@return each filled numeric column's median, the value a missing cell takes (its {@code column=missing} feature
     *         then 1), the columns in input order; empty when none is filled}
     */
    public Map<String, Double> filledColumns() {
        Map<String, Double> medians = new LinkedHashMap<>();
        encoding.filled().forEach(c -> medians.put(c.name(), c.median()));
        return Collections.unmodifiableMap(medians);
    }

    /**
     * {@return the label cells that meant "no label" in the file it was trained on ({@link MixtureBuilder#unlabelled}),
     *         whose rows were left out; empty when none was named}
     */
    public List<String> unlabelled() {
        return unlabelled;
    }

    /** {@return the features the mixture reads, in the order {@link #predict} takes them} */
    public List<String> featureNames() {
        return featureNames;
    }

    /** {@return the labels it predicts, in the order of the probability columns} */
    public List<String> labelNames() {
        return model.labelNames();
    }

    /** {@return the experts' ids, in the order of the weight columns} */
    public List<String> expertIds() {
        return model.experts().stream().map(AlignedExpert::id).toList();
    }

    /** {@return the experts themselves, in order: the mixture's own, still in use by it (do not close them)} */
    public List<Expert> experts() {
        return model.experts().stream().map(AlignedExpert::expert).toList();
    }

    /**
     * {@return how the experts are combined, as {@code moe evaluate} reports it: {@code uniform} (averaging),
     *         {@code constant} (one weight per expert), or a gate by what it reads ({@code features}, {@code signals},
     *         {@code experts}, {@code both}) routing through {@link #strategy()}}
     */
    public String combiner() {
        return combiner;
    }

    /** {@return the routing strategy's name ({@code uniform} and {@code constant} are strategies too)} */
    public String strategy() {
        return model.strategy().name();
    }

    /** {@return the trained model underneath (gate, strategy, calibrated experts), for what this class does not offer} */
    public MixtureModel model() {
        return model;
    }

    /**
     * Saves the mixture as a bundle ({@code moe predict -m FILE} reads it too); refuses an existing file.
     *
     * @param file where to write it
     * @throws MoeException when the file exists, an expert cannot be saved, or the file cannot be written
     */
    public void save(Path file) {
        save(file, false);
    }

    /**
     * Saves the mixture as a bundle, atomically: an interrupted write leaves the previous file as it was, and missing
     * folders on the way are created (and removed again when nothing is written). Experts
     * are saved by their providers; an expert given in code is saved by the provider that says it can save it
     * (the built-in ones save their own experts, Tribuo models among them).
     *
     * @param file      where to write it
     * @param overwrite whether an existing file may be replaced
     * @throws MoeException when the file exists and {@code overwrite} is false, an expert cannot be saved, or the
     *                      file cannot be written
     */
    public void save(Path file, boolean overwrite) {
        Objects.requireNonNull(file, "file");
        if (Files.exists(file) && !overwrite) {
            throw new MoeException(file + ": exists; save(file, true) replaces it");
        }
        ProviderRegistry registry = providers;
        List<SaveRequest.ExpertSource> sources = new ArrayList<>();
        for (int i = 0; i < origins.size(); i++) {
            ExpertOrigin origin = origins.get(i);
            String provider = origin.provider() != null ? origin.provider() : savingProvider(registry, model.experts().get(i).expert(), file);
            sources.add(new SaveRequest.ExpertSource(provider, origin.params(), origin.baseDirectory(), origin.trained()));
        }
        try (OutputTarget target = OutputTarget.claim(file, "model bundle", true, List.of())) {
            if (target.kind() != OutputTarget.Kind.FILE) {
                throw new MoeException(file + ": a model bundle is a zip file; give a file name for it");
            }
            new BundleWriter(registry).write(new SaveRequest(model, featureNames, routingParams, sources, labelColumn,
                    provenance, null, encoding.encoded(), unlabelled), file);
            target.written();
        }
    }

    private static String savingProvider(ProviderRegistry registry, Expert expert, Path file) {
        for (ProviderRegistry.Found<ExpertProvider> found : registry.expertProviders().values()) {
            if (found.provider().canSave(expert)) {
                return found.provider().name();
            }
        }
        throw new MoeException("cannot save " + file + ": expert '" + expert.id() + "' (" + expert.getClass().getName()
                + ") was given in code and no expert provider found can save it; known providers: "
                + String.join(", ", registry.expertProviders().keySet()));
    }

    /**
     * Loads a saved mixture with the providers on the class path.
     *
     * @param file a bundle written by {@link #save} or {@code moe train}
     * @return the mixture
     * @throws MoeException when the file is missing, corrupt, newer than this moe, or needs a plugin
     */
    public static Mixture load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a saved mixture, with the plugins it records taken from a folder (each checked against the SHA-256 the
     * bundle recorded, as {@code moe predict --plugins} does).
     *
     * @param file          a bundle written by {@link #save} or {@code moe train}
     * @param pluginsFolder the plugins folder; null for the class path only
     * @return the mixture
     * @throws MoeException when the file is missing, corrupt, newer than this moe, or a plugin is missing or differs
     */
    public static Mixture load(Path file, Path pluginsFolder) {
        return load(file, pluginsFolder, false);
    }

    /**
     * Loads a saved mixture as {@link #load(Path, Path)} does, optionally letting experts stored by reference read the
     * files their parameters name (as {@code moe predict --allow-referenced-files}). A bundle stores an expert by
     * reference when its provider cannot save it (a plugin's model loaded from a file): such a mixture, saved from
     * Java too, loads only with this.
     *
     * @param file                 a bundle written by {@link #save} or {@code moe train}
     * @param pluginsFolder        the plugins folder; null for the class path only
     * @param allowReferencedFiles whether an expert stored by reference may read files outside its plugin: only for a
     *                             bundle you trust, since its parameters could name any file on this machine
     * @return the mixture
     * @throws MoeException when the file is missing, corrupt, newer than this moe, a plugin is missing or differs, or
     *                      (without {@code allowReferencedFiles}) an expert names a file outside its plugin
     */
    public static Mixture load(Path file, Path pluginsFolder, boolean allowReferencedFiles) {
        Objects.requireNonNull(file, "file");
        SavedMixture saved = BundleReader.withPluginConsent(pluginsFolder, Mixture.class.getClassLoader())
                .allowingReferencedFiles(allowReferencedFiles).read(file);
        BundleManifest manifest = saved.manifest();
        List<ExpertOrigin> origins = new ArrayList<>();
        for (BundleManifest.ExpertEntry e : manifest.experts()) {
            boolean embedded = BundleFormat.EMBEDDED.equals(e.storage());
            Path base = e.baseDirectory() == null ? Path.of("").toAbsolutePath() : Path.of(e.baseDirectory());
            origins.add(new ExpertOrigin(e.provider(), e.params(), base, embedded));
        }
        BundleManifest.Provenance p = manifest.provenance();
        // The config's text is not carried over: a bundle saved again names no config entry.
        BundleManifest.Provenance kept = p == null ? null : new BundleManifest.Provenance(p.configFile(), null, p.seed(),
                p.dataSource(), p.data(), p.dataRows(), p.dataSha256(), p.dataFileSha256(), p.testRows(), p.testAccuracy(),
                null);
        return new Mixture(saved.model(), saved.featureNames(), origins,
                manifest.strategy().params() == null ? Map.of() : manifest.strategy().params(), saved.labelColumn(), kept,
                combiner(saved.model()), saved.providers(), createdAt(manifest.createdAt()),
                new TribuoOrigin(null, new EmptyDatasetProvenance(), new EmptyTrainerProvenance()), saved.encoding(),
                saved.unlabelled());
    }

    /** What the run called the combiner: averaging, constant weights and the product by their strategy, a gate by its inputs. */
    private static String combiner(MixtureModel model) {
        String strategy = model.strategy().name();
        if (model.exponentsFollowSignals()) {
            return dev.moe.gating.training.SignalPool.NAME;
        }
        return strategy.equals(UniformRouting.NAME) || strategy.equals(ConstantRouting.NAME) || strategy.equals(ProductRouting.NAME) ? strategy
                : model.gate().inputs().configName();
    }

    private static OffsetDateTime createdAt(String instant) {
        try {
            return instant == null ? OffsetDateTime.now() : OffsetDateTime.parse(instant);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.now();
        }
    }

    /**
     * This mixture as a Tribuo model: predictions with every label's probability, the training data's feature map
     * (for a mixture trained on a Tribuo data set) and provenance, so Tribuo's evaluators take it as any other model.
     *
     * @return a new Tribuo model backed by this mixture
     */
    public Model<Label> asTribuoModel() {
        return new TribuoMixtureModel(this);
    }

    TribuoOrigin tribuoOrigin() {
        return tribuo;
    }

    OffsetDateTime createdAt() {
        return createdAt;
    }

    BundleManifest.Provenance provenance() {
        return provenance;
    }

    @Override
    public String toString() {
        return "Mixture[" + String.join(", ", expertIds()) + "; " + combiner + "; " + featureNames.size() + " features, "
                + labelNames().size() + " labels]";
    }
}
