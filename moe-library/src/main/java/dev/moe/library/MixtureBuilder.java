package dev.moe.library;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.api.NearestName;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.TrainingSet;
import dev.moe.experts.tribuo.TribuoExpert;
import dev.moe.gating.training.GateOptions;
import dev.moe.gating.training.GateTrainer;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleFormat;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.SaveRequest;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.ExpertFactory;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.experiment.RoutingStrategies;
import dev.moe.runtime.experiment.SplitPlan;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.EmptyDatasetProvenance;

/**
 * Describes a mixture to train: its experts and how to combine them. Everything not set is what {@code moe train}
 * does with a config that leaves it out: experts cross-fitted (10 folds below 1000 rows, else 5), calibrated, and
 * the combiner chosen by 5-fold cross-validation between {@code uniform} (averaging) and {@code product} (the
 * experts' weighted product), averaging only where its log-loss is clearly lower.
 *
 * <pre>{@code
 * Mixture mixture = Mixture.builder()
 *         .expert("logistic", logisticModel)         // a Tribuo Model<Label> already trained
 *         .expert("cart", new CARTClassificationTrainer(8))   // a Tribuo trainer: trained by moe, cross-fitted
 *         .expert("mlp", "nd4j-mlp", Map.of("hidden", List.of(32)))   // a provider, as in a config
 *         .train(trainingData);                     // a Tribuo Dataset<Label>
 * }</pre>
 *
 * A builder is not thread-safe; {@link #train} may be called again (each call trains a new mixture).
 */
public final class MixtureBuilder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MixtureBuilder.class);

    /** One expert as given: a config entry, and for an expert given in code, how to get it. */
    private record ExpertEntry(MoeConfig.ExpertConfig config, ExpertFactory.InMemoryExpert inMemory) { }

    private final List<ExpertEntry> experts = new ArrayList<>();
    private long seed = MoeConfig.DEFAULT_SEED;
    private Integer crossFitFolds;
    private List<String> candidates;
    private Double floorMargin;
    private String strategy;
    private Map<String, Object> strategyParams = Map.of();
    private UnaryOperator<GateOptions.Builder> gate = UnaryOperator.identity();
    /** Whether {@link #gate} was called: then the gate it describes joins the default candidates. */
    private boolean gateChanged;
    private Path pluginsFolder;
    private ProgressListener progress = ProgressListener.SILENT;
    private List<String> categorical = List.of();
    private List<String> ignore = List.of();
    private List<String> fill = List.of();
    private List<String> unlabelled = List.of();

    MixtureBuilder() {
    }

    /** A builder with the same settings and experts, independent of this one from now on. */
    MixtureBuilder copy() {
        MixtureBuilder copy = new MixtureBuilder();
        copy.experts.addAll(experts);
        copy.seed = seed;
        copy.crossFitFolds = crossFitFolds;
        copy.candidates = candidates;
        copy.floorMargin = floorMargin;
        copy.strategy = strategy;
        copy.strategyParams = strategyParams;
        copy.gate = gate;
        copy.gateChanged = gateChanged;
        copy.pluginsFolder = pluginsFolder;
        copy.progress = progress;
        copy.categorical = categorical;
        copy.ignore = ignore;
        copy.fill = fill;
        copy.unlabelled = unlabelled;
        return copy;
    }

    /**
     * Adds an expert already trained, used as it is (never trained again). Its id names it.
     *
     * @param expert any implementation of moe's SPI; to be saved, a provider on the class path (or in the plugins
     *               folder) must be able to save it, as the built-in ones save their own experts
     * @return this builder
     */
    public MixtureBuilder expert(Expert expert) {
        Objects.requireNonNull(expert, "expert");
        return add(expert.id(), new ExpertFactory.InMemoryExpert() {
            @Override
            public boolean trains() {
                return false;
            }

            @Override
            public Expert build(TrainingSet rows, long seed) {
                return expert;
            }
        });
    }

    /**
     * Adds a Tribuo classification model already trained, used as it is: it reads the model's features by name and
     * predicts its labels (probabilities where Tribuo says the model gives them, else one-hot rows).
     *
     * @param id    names the expert
     * @param model the model
     * @return this builder
     */
    public MixtureBuilder expert(String id, Model<Label> model) {
        return expert(TribuoExpert.of(id, model));
    }

    /**
     * Adds a Tribuo trainer: moe trains it on the training rows, once per cross-fitting fold and once on all of them,
     * each fit with its own invocation count, so that the result does not depend on the number of cores.
     *
     * @param id      names the expert
     * @param trainer a Tribuo classification trainer
     * @return this builder
     */
    public MixtureBuilder expert(String id, Trainer<Label> trainer) {
        Objects.requireNonNull(trainer, "trainer");
        return add(id, new ExpertFactory.InMemoryExpert() {
            @Override
            public boolean trains() {
                return true;
            }

            @Override
            public Expert build(TrainingSet rows, long seed) {
                // Tribuo replays its random draws up to the invocation count: keep it small, but seed-dependent.
                return TribuoExpert.train(id, trainer, rows, (int) Math.floorMod(seed, 1000L));
            }
        });
    }

    /**
     * Adds an expert built by a provider, exactly as an entry of a config's {@code experts:} list: it trains on the
     * training rows, or loads a model when {@code params} names one ({@code model:}). Relative paths resolve against
     * the working directory.
     *
     * @param id       names the expert
     * @param provider the provider's name ({@code nd4j-mlp}, {@code tribuo}, a plugin's)
     * @param params   the provider's parameters, as in a config ({@code moe experts} lists them)
     * @return this builder
     */
    public MixtureBuilder expert(String id, String provider, Map<String, ?> params) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(params, "params");
        checkNewId(id);
        experts.add(new ExpertEntry(new MoeConfig.ExpertConfig(id, provider, null, null, new LinkedHashMap<>(params)), null));
        return this;
    }

    private MixtureBuilder add(String id, ExpertFactory.InMemoryExpert expert) {
        checkNewId(id);
        experts.add(new ExpertEntry(new MoeConfig.ExpertConfig(id, ExpertFactory.IN_MEMORY, null, null, Map.of()), expert));
        return this;
    }

    private void checkNewId(String id) {
        Objects.requireNonNull(id, "id");
        if (experts.stream().anyMatch(e -> e.config().id().equals(id))) {
            throw new IllegalArgumentException("two experts named '" + id + "': expert ids must be unique");
        }
    }

    /**
     * Sets the seed.
     *
     * @param value the seed every random choice of the training derives from (default 42, as {@code moe train})
     * @return this builder
     */
    public MixtureBuilder seed(long value) {
        this.seed = value;
        return this;
    }

    long seed() {
        return seed;
    }

    /**
     * Sets the folds of cross-fitting.
     *
     * @param folds folds of cross-fitting, at least 2 (default: 10 below 1000 rows, else 5)
     * @return this builder
     */
    public MixtureBuilder crossFitFolds(int folds) {
        if (folds < 2) {
            throw new IllegalArgumentException("cross-fitting needs at least 2 folds, got " + folds);
        }
        this.crossFitFolds = folds;
        return this;
    }

    /**
     * The combiners to choose among by cross-validation, as {@code gate.candidates} in a config: {@code uniform},
     * {@code constant}, {@code product}, and gates by what they read ({@code features}, {@code signals}, {@code experts},
     * {@code both}), each learned one also with {@code -raw} appended (on the experts' uncalibrated outputs). Default
     * {@code uniform, product}; one name trains that one.
     *
     * @param names the candidates, simplest first (ties go to the earlier)
     * @return this builder
     * @throws IllegalArgumentException when none is given, a name is unknown, or one is given twice
     */
    public MixtureBuilder candidates(String... names) {
        List<String> known = MoeConfig.GateConfig.KNOWN_CANDIDATES;
        if (names.length == 0) {
            throw new IllegalArgumentException("at least one candidate: " + String.join(", ", known));
        }
        // Checked here, as a config's gate.candidates are when it is read, not after the experts have trained.
        for (int i = 0; i < names.length; i++) {
            String name = Objects.requireNonNull(names[i], "candidate");
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown candidate '" + name + "'" + NearestName.didYouMean(name, known)
                        + "; known: " + String.join(", ", known));
            }
            if (List.of(names).subList(0, i).contains(name)) {
                throw new IllegalArgumentException("candidate '" + name + "' is listed twice");
            }
        }
        this.candidates = List.of(names);
        return this;
    }

    /**
     * How clearly averaging must win the choice, as {@code gate.floor-margin} in a config: {@code uniform} is chosen
     * only where its cross-validated log-loss is lower than the best learned candidate's by more than this many
     * standard errors. Default 2; 0 is the plain minimum of the log-loss (ties to the earlier candidate).
     *
     * @param standardErrors the margin, 0 or more
     * @return this builder
     */
    public MixtureBuilder floorMargin(double standardErrors) {
        if (!(standardErrors >= 0)) {
            throw new IllegalArgumentException("the floor's margin must be 0 or more, got " + standardErrors);
        }
        this.floorMargin = standardErrors;
        return this;
    }

    /**
     * Routes with a named strategy ({@code moe strategies} lists them), as {@code routing:} in a config: naming one
     * trains a gate with it instead of choosing a combiner, unless {@link #candidates} are set too.
     *
     * @param name   the strategy's name, e.g. {@code top-k}
     * @param params its parameters, e.g. {@code Map.of("k", 2)}
     * @return this builder
     */
    public MixtureBuilder strategy(String name, Map<String, ?> params) {
        this.strategy = Objects.requireNonNull(name, "name");
        this.strategyParams = new LinkedHashMap<>(params);
        return this;
    }

    /**
     * Changes the gate's network and training options, starting from the defaults {@code moe train} would use for
     * these rows (a linear gate, 300 epochs, Adam at 0.01, weight decay, early stopping from 100 gate rows on,
     * calibrated experts). The averaging candidate is never trained, whatever this says; unless {@link #candidates}
     * are set, a gate on the features with these options joins the default candidates.
     *
     * @param change e.g. {@code g -> g.hidden(List.of(16), List.of(Activation.RELU)).epochs(500)}
     * @return this builder
     */
    public MixtureBuilder gate(UnaryOperator<GateOptions.Builder> change) {
        this.gate = Objects.requireNonNull(change, "change");
        this.gateChanged = true;
        return this;
    }

    /**
     * Adds a folder of plugins.
     *
     * @param folder a folder of plugin jars whose providers and strategies the experts may name (default: the class
     *               path only); a saved mixture records the plugins it uses
     * @return this builder
     */
    public MixtureBuilder plugins(Path folder) {
        this.pluginsFolder = Objects.requireNonNull(folder, "folder");
        return this;
    }

    /**
     * Sets who is told of the training.
     *
     * @param listener told of each step and gate epoch (default: silent)
     * @return this builder
     */
    public MixtureBuilder progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Columns of a CSV file ({@link #train(Path, String)}) that are not features (an id, a name), as {@code data.ignore}
     * in a config: dropped before the file's cells are read.
     *
     * @param columns the columns' names ({@code ""} for a column the header leaves unnamed, as the row index pandas'
     *                {@code to_csv} writes); none: every column but the label is read (the default)
     * @return this builder
     */
    public MixtureBuilder ignore(String... columns) {
        this.ignore = List.of(columns);
        return this;
    }

    /**
     * Columns of a CSV file ({@link #train(Path, String)}) that hold categories (a vote y/n, a colour, a code), as
     * {@code data.categorical} in a config: each becomes one feature per level, {@code column=level}, with the levels
     * of the training rows; a missing cell or a level those rows lack encodes as none of them (all zeros). The
     * mixture records the levels, so {@link Mixture#predictRows}, {@code moe predict} and the Spark stage read the raw
     * column and encode it the same way.
     *
     * @param columns the columns' names; {@code "all"} alone: every column but the label and the {@linkplain #ignore
     *                ignored} ones (unless the file has a column named {@code all})
     * @return this builder
     */
    public MixtureBuilder categorical(String... columns) {
        List<String> names = List.of(columns);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one categorical column, or \"all\"");
        }
        this.categorical = names;
        return this;
    }

    /**
     * Numeric columns of a CSV file ({@link #train(Path, String)}) with gaps (blank, NA, ?, ...), as {@code data.fill}
     * in a config: a missing cell takes the median of the training rows' values, and a feature {@code column=missing}
     * after the column is 1 where the cell was missing, 0 elsewhere. Text that is not a number is still refused. The
     * mixture records the medians, so {@link Mixture#predictRows}, {@code moe predict} and the Spark stage fill a new
     * row's gaps the same way.
     *
     * @param columns the columns' names; {@code "all"} alone: every numeric feature column
     * @return this builder
     */
    public MixtureBuilder fill(String... columns) {
        List<String> names = List.of(columns);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one column to fill, or \"all\"");
        }
        this.fill = names;
        return this;
    }

    /**
     * Label cells of a CSV file ({@link #train(Path, String)}) that mean "no label" (R's {@code NA}, a blank cell:
     * {@code ""}), as {@code data.unlabelled} in a config: their rows are left out before their features are read, and
     * counted in one warning line. Cells are compared exactly as written after spaces around them are stripped. The
     * mixture records the list, so a saved one evaluated on a labelled file ({@code moe evaluate -m}) leaves the same
     * rows out.
     *
     * @param labels the label cells that mean "no label"
     * @return this builder
     */
    public MixtureBuilder unlabelled(String... labels) {
        List<String> texts = List.of(labels);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("name at least one label cell that means \"no label\" (\"\" for a blank one)");
        }
        this.unlabelled = texts.stream().map(String::strip).distinct().toList();
        return this;
    }

    /**
     * Trains the mixture on every example of a Tribuo data set (none is held out). Features are read by name; an
     * example that lacks one has 0 there, as Tribuo reads sparse examples.
     *
     * @param data labelled examples
     * @return the trained mixture
     * @throws dev.moe.runtime.MoeException when an expert cannot be built or the rows are too few
     */
    public Mixture train(org.tribuo.Dataset<Label> data) {
        Objects.requireNonNull(data, "data");
        return train(data, new MixtureTrainer(this).getProvenance());
    }

    /**
     * Trains the mixture on every row of a CSV file (none is held out), read as {@code moe train} reads its data: a
     * header, the label in {@code labelColumn}, every other column a numeric feature unless {@link #categorical} or
     * {@link #ignore} names it. A numeric cell that is missing (outside the {@link #fill} columns) or not a number
     * is refused, naming its line and column.
     *
     * @param csv         the file
     * @param labelColumn the label's column
     * @return the trained mixture; its {@link Mixture#inputColumns()} are the file's columns but the label
     * @throws dev.moe.runtime.MoeException naming the file and line or column when the file cannot be read as such,
     *                                      when an expert cannot be built, or when the rows are too few
     */
    public Mixture train(Path csv, String labelColumn) {
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(labelColumn, "labelColumn");
        Dataset data;
        try {
            data = CsvSource.read(csv, labelColumn, ignore, categorical, fill, unlabelled);
        } catch (CsvSource.NotANumber e) {
            if (e.decimalComma()) {
                throw e;
            }
            throw new MoeException(e.getMessage() + "; if its values are categories, name it in categorical(\"" + e.column()
                    + "\", ...) (or categorical(\"all\")); if it is not a feature, in ignore(\"" + e.column() + "\")", e);
        } catch (MoeException e) {
            // The reader names a config's keys (data.label: ..., data.categorical names ...); here they are arguments.
            throw new MoeException(e.getMessage().replaceFirst("^data\\.label: ", "")
                    .replaceFirst("say data\\.label: (.*)$", "give train(csv, \"$1\")")
                    .replaceFirst("^data\\.(categorical|ignore|fill) names", "$1(...) names")
                    .replaceFirst("^data\\.fill: ", "fill(...): ").replace("name the column in data.fill", "name the column in fill(...)")
                    .replace("data.unlabelled: [\"\"] leaves them out", "unlabelled(\"\") leaves them out")
                    .replace("with data.ignore: [\"\"]", "with ignore(\"\")"), e);
        }
        if (data.unlabelled() != null) {
            LOG.warn("{}", data.unlabelled().warning(data.name()).replace("(data.unlabelled)", "(unlabelled(...))"));
        }
        return train(data, new Mixture.TribuoOrigin(null, new EmptyDatasetProvenance(), new MixtureTrainer(this).getProvenance()),
                labelColumn, BundleFormat.fileSha256(csv));
    }

    Mixture train(org.tribuo.Dataset<Label> data, TrainerProvenance trainer) {
        requireNoCategorical("a Tribuo data set");
        return train(TribuoRows.dataset(data), new Mixture.TribuoOrigin(data.getFeatureIDMap(), data.getProvenance(), trainer), "label", null);
    }

    /**
     * Trains the mixture on every row given (none is held out).
     *
     * @param features     rows x features
     * @param featureNames the features' names: experts read columns by name
     * @param labels       each row's label, an index into {@code labelNames}
     * @param labelNames   the labels
     * @return the trained mixture
     * @throws IllegalArgumentException when the shapes disagree, a label index is outside {@code labelNames}, a
     *                                  feature value is NaN or infinite, or a feature or label is named twice
     * @throws dev.moe.runtime.MoeException when an expert cannot be built or the rows are too few
     */
    public Mixture train(FloatMatrix features, List<String> featureNames, int[] labels, List<String> labelNames) {
        requireNoCategorical("a matrix");
        TrainingSet checked = new TrainingSet(features, labels, featureNames, labelNames);
        Mixture.requireFinite(checked.features(), checked.featureNames());
        // Experts find their columns by name: a name given twice would hand them the first column and lose the other.
        requireDistinct("feature", checked.featureNames());
        requireDistinct("label", checked.labelNames());
        Dataset data = new Dataset("in-memory rows", checked.features(), checked.labels(), checked.featureNames(),
                checked.labelNames());
        return train(data, new Mixture.TribuoOrigin(null, new EmptyDatasetProvenance(), new MixtureTrainer(this).getProvenance()), "label", null);
    }

    /** Categorical and ignored columns are a CSV file's; other inputs hold numbers already, and would not use them. */
    private void requireNoCategorical(String input) {
        if (!categorical.isEmpty() || !ignore.isEmpty() || !fill.isEmpty() || !unlabelled.isEmpty()) {
            throw new IllegalStateException((!categorical.isEmpty() ? "categorical(" + String.join(", ", categorical)
                    : !ignore.isEmpty() ? "ignore(" + String.join(", ", ignore)
                    : !fill.isEmpty() ? "fill(" + String.join(", ", fill) : "unlabelled(" + String.join(", ", unlabelled))
                    + ") names a CSV file's columns (train(Path, String)); "
                    + input + " holds numbers already");
        }
    }

    private static void requireDistinct(String what, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            int first = names.indexOf(names.get(i));
            if (first != i) {
                throw new IllegalArgumentException(what + " '" + names.get(i) + "' is named twice: at " + first + " and " + i);
            }
        }
    }

    /**
     * @param labelColumn the label's column, as the bundle records it for {@code moe evaluate -m}
     * @param fileSha256  the SHA-256 of the file the rows were read from; null when they were not read from one
     */
    Mixture train(Dataset data, Mixture.TribuoOrigin origin, String labelColumn, String fileSha256) {
        if (experts.isEmpty()) {
            throw new IllegalStateException("no experts: add at least one with expert(...)");
        }
        MoeConfig config = config();
        int rows = data.rows();
        int folds = config.split().crossFitFolds(rows);
        if (rows < 2 * folds) {
            throw new IllegalArgumentException(rows + " rows are too few for " + folds + "-fold cross-fitting: give at least "
                    + 2 * folds + " rows, or fewer folds with crossFitFolds(n), n from 2 to " + Math.max(2, rows / 2));
        }
        ProviderRegistry registry = pluginsFolder == null ? ProviderRegistry.fromClassPath()
                : ProviderRegistry.discover(MixtureBuilder.class.getClassLoader(), pluginsFolder);
        Map<String, ExpertFactory.InMemoryExpert> inMemory = new LinkedHashMap<>();
        for (ExpertEntry e : experts) {
            if (e.inMemory() != null) {
                inMemory.put(e.config().id(), e.inMemory());
            }
        }
        ExpertFactory factory = new ExpertFactory(registry, inMemory);
        RoutingStrategy routing = new RoutingStrategies(registry.routingProvidersByName()).create(config.routing(), experts.size());
        UnaryOperator<GateOptions.Builder> change = gate;
        Experiment experiment = new Experiment(config, Map.of(), factory, routing, new GateTrainer())
                .withGateOptions(options -> change.apply(options.toBuilder()).build());
        int[] all = IntStream.range(0, rows).toArray();
        Experiment.TrainedRun run = experiment.train(data, new SplitPlan(all, all, new int[0]), seed, "", progress);

        List<Mixture.ExpertOrigin> origins = new ArrayList<>();
        for (ExpertEntry e : experts) {
            MoeConfig.ExpertConfig c = e.config();
            origins.add(e.inMemory() != null ? new Mixture.ExpertOrigin(null, Map.of(), config.baseDirectory(), true)
                    : new Mixture.ExpertOrigin(c.provider(), c.params(), config.baseDirectory(), factory.trains(c)));
        }
        Map<String, Object> routingParams = run.model().strategy().name().equals(config.routing().strategyOrDefault())
                ? config.routing().params() : Map.of();
        // The encoded rows (categorical columns one-hot), as moe train records them.
        Dataset encoded = run.data();
        BundleManifest.Provenance provenance = new BundleManifest.Provenance(null, null, seed, "java-api", data.name(),
                rows, SaveRequest.datasetSha256(encoded), fileSha256, 0, null, null);
        return new Mixture(run.model(), encoded.featureNames(), origins, routingParams, labelColumn, provenance, run.gate().chosen(),
                registry, OffsetDateTime.now(), origin, run.encoding(), unlabelled);
    }

    /**
     * The candidates set, else null (the defaults); with {@link #gate} changed and no strategy named, the defaults and
     * a gate on the features (as a config's gate section that describes a network does): the defaults train no gate
     * network.
     */
    private List<String> candidatesToTry() {
        if (candidates != null || !gateChanged || strategy != null) {
            return candidates; // a named strategy trains that gate alone (no candidates)
        }
        List<String> withGate = new ArrayList<>(MoeConfig.GateConfig.DEFAULT_CANDIDATES);
        withGate.add("features");
        return withGate;
    }

    /** The config {@code moe train} would run for these settings. */
    private MoeConfig config() {
        MoeConfig.GateConfig gateConfig = new MoeConfig.GateConfig(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, candidatesToTry(), null, null, null, null, floorMargin);
        MoeConfig.RoutingConfig routing = new MoeConfig.RoutingConfig(strategy, strategyParams);
        MoeConfig.SplitConfig split = new MoeConfig.SplitConfig(null, null, null, null, crossFitFolds);
        return new MoeConfig(null, null, split, experts.stream().map(ExpertEntry::config).toList(), gateConfig, routing,
                List.of(), seed, 1);
    }

    /** {@return a Tribuo trainer that trains mixtures described by a copy of this builder as it is now} */
    public MixtureTrainer asTribuoTrainer() {
        return new MixtureTrainer(this);
    }

    /** @return the experts' ids, in order */
    List<String> expertIds() {
        return experts.stream().map(e -> e.config().id()).toList();
    }

    /** @return a description of the settings, for the Tribuo provenance */
    Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("experts", String.join(", ", expertIds()));
        out.put("seed", String.valueOf(seed));
        out.put("cross-fit-folds", crossFitFolds == null ? "default" : String.valueOf(crossFitFolds));
        out.put("candidates", String.join(", ", config().gate().candidatesOrDefault()));
        out.put("floor-margin", String.valueOf(config().gate().floorMarginOrDefault()));
        out.put("strategy", strategy == null ? "default" : strategy + " " + strategyParams);
        if (!unlabelled.isEmpty()) {
            out.put("unlabelled", String.join(", ", unlabelled));
        }
        return out;
    }
}
