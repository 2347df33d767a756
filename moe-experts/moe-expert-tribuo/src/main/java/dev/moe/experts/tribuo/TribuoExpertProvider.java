package dev.moe.experts.tribuo;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterSpec;
import dev.moe.api.ParameterSpec.Type;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformedModel;

/**
 * {@code tribuo}: Tribuo 4.3 classification models as experts.
 *
 * <p>Load: {@code model} is a file (relative to the config's folder) or {@code classpath:path/in/jar.tribuo},
 * in Tribuo's protobuf format. Train: {@code algorithm} is one of {@code logistic-regression}, {@code cart},
 * {@code knn}, {@code xgboost}, each with its own hyperparameters (see {@link TrainingAlgorithm});
 * {@code standardise} (default true for logistic-regression and knn) scales features inside the model;
 * {@code save} writes the trained model. Both: {@code probabilities} is {@code auto} (default: the model's
 * scores when Tribuo says they are probabilities, else one-hot), {@code scores} or {@code one-hot}.
 * Saves its experts into a saved mixture in {@link TribuoExpertFormat} (the model as Tribuo protobuf).
 */
public final class TribuoExpertProvider implements ExpertProvider {

    public static final String NAME = "tribuo";
    static final String PROVIDER = "provider";

    /**
     * Tribuo's trainers log at INFO through java.util.logging ("Training SGD model with 135 examples"), once per fit:
     * dozens of lines per run under cross-fitting. Quieted to warnings, but only when nobody chose a level for
     * {@code org.tribuo} (a {@code logging.properties} line {@code org.tribuo.level = INFO} brings them back). Held
     * here because java.util.logging keeps its loggers only weakly.
     */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        if (TRIBUO_LOG.getLevel() == null) {
            TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Tribuo 4.3 classifier: loads a model file (model, protobuf format) or trains one (algorithm: "
                + TrainingAlgorithm.knownNames() + ")";
    }

    /** Tribuo's version: a model file saved by a newer Tribuo may not load. */
    @Override
    public List<String> environment() {
        return List.of("Tribuo " + org.tribuo.Tribuo.VERSION);
    }

    /**
     * Every key of every mode and algorithm; the description says which ones take it. Each algorithm still refuses
     * the keys of the others ({@link TrainingAlgorithm#allowedKeys}); a test keeps the two lists in step.
     */
    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.of("model", Type.PATH, null, "load: a Tribuo model file (protobuf), or classpath:resource"),
            ProbabilityMode.SPEC,
            ParameterSpec.choice("algorithm", null, "train: the Tribuo trainer", TrainingAlgorithm.configNames()),
            ParameterSpec.of("save", Type.PATH, null, "train: write the trained model to this file (protobuf)"),
            ParameterSpec.of("standardise", Type.BOOLEAN, "true for knn, logistic-regression; else false",
                    "train: scale features to mean 0, variance 1 inside the model (a column of 0s and 1s, one-hot or a"
                            + " fill's indicator, is centred and divided by 0.5)"),
            ParameterSpec.of("seed", Type.INTEGER, "the expert's seed", "cart, logistic-regression, xgboost: the trainer's seed"),
            ParameterSpec.of("epochs", Type.INTEGER, "50", "logistic-regression: passes over the rows"),
            ParameterSpec.of("learning-rate", Type.NUMBER, "0.5", "logistic-regression: AdaGrad's step size"),
            ParameterSpec.of("minibatch-size", Type.INTEGER, "1", "logistic-regression: rows per step"),
            ParameterSpec.of("max-depth", Type.INTEGER, "unlimited (cart), 6 (xgboost)", "cart, xgboost: tree depth"),
            ParameterSpec.of("min-child-weight", Type.NUMBER, "5.0 (cart), 1.0 (xgboost)",
                    "cart, xgboost: least weight of rows in a leaf"),
            ParameterSpec.of("min-impurity-decrease", Type.NUMBER, "0.0", "cart: least impurity decrease of a split"),
            ParameterSpec.of("fraction-features", Type.NUMBER, "1.0", "cart: fraction of features tried per split"),
            TrainingAlgorithm.IMPURITY,
            ParameterSpec.of("k", Type.INTEGER, "5", "knn: neighbours that vote"),
            TrainingAlgorithm.DISTANCE,
            ParameterSpec.of("trees", Type.INTEGER, "50", "xgboost: boosting rounds"),
            ParameterSpec.of("eta", Type.NUMBER, "0.3", "xgboost: shrinkage per tree"),
            ParameterSpec.of("gamma", Type.NUMBER, "0.0", "xgboost: least loss reduction of a split"),
            ParameterSpec.of("subsample", Type.NUMBER, "1.0", "xgboost: fraction of rows per tree"),
            ParameterSpec.of("feature-subsample", Type.NUMBER, "1.0", "xgboost: fraction of features per tree"),
            ParameterSpec.of("lambda", Type.NUMBER, "1.0", "xgboost: L2 regularisation"),
            ParameterSpec.of("alpha", Type.NUMBER, "0.0", "xgboost: L1 regularisation"),
            ParameterSpec.of("threads", Type.INTEGER, "1", "xgboost: threads per training"),
            TrainingAlgorithm.TREE_METHOD);

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public boolean canTrain() {
        return true;
    }

    @Override
    public Expert load(ExpertSpec spec) {
        Parameters p = spec.parameters().requireOnly("model", ProbabilityMode.KEY);
        String value = p.requireString("model");
        ProbabilityMode mode = ProbabilityMode.from(p);
        String source;
        Model<Label> model;
        try {
            if (value.startsWith(TribuoModelFiles.CLASSPATH_PREFIX)) {
                source = value;
                model = TribuoModelFiles.loadResource(value.substring(TribuoModelFiles.CLASSPATH_PREFIX.length()),
                        TribuoExpertProvider.class.getClassLoader());
            } else {
                Path file = spec.resolvePath(value);
                source = file.toString();
                model = TribuoModelFiles.load(file);
            }
        } catch (ExpertException e) {
            throw new ExpertException("expert '" + spec.id() + "': " + e.getMessage(), e.getCause());
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put(PROVIDER, NAME);
        provenance.put("model", source);
        ModelMetadata.algorithm(model).ifPresent(a -> provenance.put("algorithm", a));
        describeModel(model, provenance);
        return new TribuoExpert(spec.id(), model, ModelMetadata.featureNames(model), ModelMetadata.labelNames(model),
                provenance, mode);
    }

    @Override
    public Expert train(ExpertSpec spec, TrainingSet data) {
        Parameters p = spec.parameters();
        TrainingAlgorithm algorithm = TrainingAlgorithm.from(p);
        p.requireOnly(algorithm.allowedKeys());
        ProbabilityMode mode = ProbabilityMode.from(p);
        boolean standardise = p.bool("standardise", algorithm.standardiseByDefault());
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        Trainer<Label> trainer = algorithm.create(p, spec.seed(), hyperparameters);
        if (standardise) {
            // densify: every example carries every feature, so the scaling applies to zeros too.
            trainer = new TransformTrainer<>(trainer,
                    FeatureStandardiser.transformations(data.features(), data.featureNames()), true);
        }

        MutableDataset<Label> dataset = dataset(spec.id(), data);
        List<String> seenLabels = seenLabels(data);
        Model<Label> model;
        try {
            model = trainer.train(dataset,
                    ModelMetadata.instanceProvenance(data.featureNames(), seenLabels, algorithm.configName()));
        } catch (RuntimeException e) {
            throw new ExpertException("expert '" + spec.id() + "': Tribuo could not train " + algorithm.configName()
                    + " on " + data.rows() + " rows: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new ExpertException("expert '" + spec.id() + "': cannot train " + algorithm.configName()
                    + ", a library is missing (XGBoost needs its native library, bundled for linux/macOS/windows x86_64 "
                    + "in the xgboost4j jar): " + e, e);
        }

        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put(PROVIDER, NAME);
        provenance.put("algorithm", algorithm.configName());
        provenance.putAll(hyperparameters);
        provenance.put("standardise", String.valueOf(standardise));
        provenance.put("training-rows", String.valueOf(data.rows()));
        describeModel(model, provenance);
        String save = p.string("save", null);
        if (save != null) {
            Path file = spec.resolvePath(save);
            try {
                TribuoModelFiles.save(model, file);
            } catch (ExpertException e) {
                throw new ExpertException("expert '" + spec.id() + "': " + e.getMessage(), e.getCause());
            }
            provenance.put("saved-to", file.toString());
        }
        return new TribuoExpert(spec.id(), model, data.featureNames(), seenLabels, provenance, mode);
    }

    @Override
    public boolean canSave(Expert expert) {
        return expert instanceof TribuoExpert;
    }

    @Override
    public void save(Expert expert, OutputStream out) throws IOException {
        if (!(expert instanceof TribuoExpert tribuo)) {
            throw new IllegalArgumentException("not a tribuo expert: " + expert);
        }
        TribuoExpertFormat.write(tribuo, out);
    }

    @Override
    public Expert read(ExpertSpec spec, InputStream in) throws IOException {
        return TribuoExpertFormat.read(in, spec.id(), spec.parameters().where());
    }

    /** The training rows as a Tribuo dataset; refuses NaN and infinite values with the row and feature named. */
    static MutableDataset<Label> dataset(String expertId, TrainingSet data) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("moe training set of expert '" + expertId + "'", factory), factory);
        String[] names = data.featureNames().toArray(String[]::new);
        if (new HashSet<>(data.featureNames()).size() != names.length) {
            throw new ExpertException("expert '" + expertId + "': duplicate feature names " + data.featureNames());
        }
        Label[] labels = data.labelNames().stream().map(Label::new).toArray(Label[]::new);
        FloatMatrix features = data.features();
        int columns = features.columns();
        float[] v = features.values();
        for (int r = 0; r < data.rows(); r++) {
            double[] values = new double[columns];
            for (int c = 0; c < columns; c++) {
                float x = v[r * columns + c];
                if (!Float.isFinite(x)) {
                    throw new ExpertException("expert '" + expertId + "': training row " + r + ", feature '" + names[c]
                            + "' is " + x + "; Tribuo trains on finite values only");
                }
                values[c] = x;
            }
            dataset.add(new ArrayExample<>(labels[data.labels()[r]], names, values));
        }
        return dataset;
    }

    /** The labels that occur in the rows, in the training set's label order: the trained model's label space. */
    static List<String> seenLabels(TrainingSet data) {
        Set<Integer> seen = new HashSet<>();
        for (int label : data.labels()) {
            seen.add(label);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < data.labelNames().size(); i++) {
            if (seen.contains(i)) {
                names.add(data.labelNames().get(i));
            }
        }
        return names;
    }

    static void describeModel(Model<Label> model, Map<String, String> provenance) {
        Model<Label> inner = model instanceof TransformedModel<Label> t ? t.getInnerModel() : model;
        provenance.put("model-class", inner.getClass().getName());
        if (inner != model) {
            provenance.put("transformed", "true");
        }
        try {
            provenance.put("trainer", model.getProvenance().getTrainerProvenance().getClassName());
            provenance.put("tribuo-version", model.getProvenance().getTribuoVersion());
        } catch (RuntimeException e) {
            // A model built outside Tribuo's trainers may have no trainer provenance: nothing to report.
        }
        TrainingDataProvenance.describe(model, provenance);
    }
}
