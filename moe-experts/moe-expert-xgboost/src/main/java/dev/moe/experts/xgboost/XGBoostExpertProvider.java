package dev.moe.experts.xgboost;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSignature;
import dev.moe.api.ExpertSpec;
import dev.moe.api.ParameterException;
import dev.moe.api.ParameterSpec;
import dev.moe.api.ParameterSpec.Type;
import dev.moe.api.Parameters;
import dev.moe.api.io.ModelSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code xgboost}: a pretrained XGBoost classifier, saved as JSON or UBJSON by XGBoost's Python or R package (or any
 * other), as an expert. Loads only; Tribuo's {@code algorithm: xgboost} trains one.
 *
 * <p>{@code model} is a file (relative to the config's folder) or {@code classpath:path/in/jar.json}; {@code features}
 * names the data columns the model reads, in its order (by default the {@code feature_names} the file records, as a
 * model trained on a pandas DataFrame does); {@code labels} names the classes of its output, in order (XGBoost records
 * only their number). The trees are evaluated here, in Java ({@link XGBoostJson} says what is read and what is
 * refused). Saves its experts into a saved mixture with the file's bytes ({@link XGBoostExpertFormat}).
 */
public final class XGBoostExpertProvider implements ExpertProvider {

    public static final String NAME = "xgboost";

    static final ParameterSpec ROUNDS = ParameterSpec.choice("rounds", "best",
            "best: the trees up to the best_iteration early stopping recorded (as XGBClassifier.predict_proba and R's"
                    + " predict); all: every tree (as Booster.predict)", "best", "all");

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.of("model", Type.PATH, null,
                    "the XGBoost model saved as JSON or UBJSON (relative to the config), or classpath:resource"),
            ParameterSpec.of("features", Type.STRING_LIST, "the model's feature_names (recorded from a DataFrame)",
                    "the data columns the model reads, in its order; required when the file records no names"),
            ParameterSpec.of("labels", Type.STRING_LIST, "0, 1, ..., C-1",
                    "the label of each class the model predicts, in its order (as the data names its labels)"),
            ROUNDS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "pretrained XGBoost classifier saved as JSON or UBJSON (Python, R, ...), evaluated in Java: model, features, labels";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    /** What this provider reads, and that it needs no native library. */
    @Override
    public List<String> environment() {
        return List.of("reads XGBoost's JSON and UBJSON models (XGBoost 1.0 to 3.x) itself, in Java: no native library");
    }

    @Override
    public Expert load(ExpertSpec spec) {
        Parameters p = spec.parameters().checkDeclared(PARAMETERS);
        String value = p.requireString("model");
        List<String> features = p.strings("features", null);
        List<String> labels = p.strings("labels", null);
        boolean allRounds = p.choice(ROUNDS).equals("all");
        ModelSources.Loaded file = ModelSources.read(spec, value, "XGBoost model", XGBoostExpertProvider.class);
        if (features != null && features.isEmpty()) {
            throw new ParameterException(p.where() + ": 'features' is empty: name the data columns the model reads");
        }
        return open(spec.id(), file.bytes(), file.source(), features, labels, allRounds, null);
    }

    @Override
    public boolean canSave(Expert expert) {
        return expert instanceof XGBoostExpert;
    }

    @Override
    public void save(Expert expert, OutputStream out) throws IOException {
        if (!(expert instanceof XGBoostExpert xgb)) {
            throw new IllegalArgumentException("not an xgboost expert: " + expert);
        }
        XGBoostExpertFormat.write(xgb, out);
    }

    @Override
    public Expert read(ExpertSpec spec, InputStream in) throws IOException {
        return XGBoostExpertFormat.read(in, spec.id(), spec.parameters().where());
    }

    /**
     * Reads the model and makes the expert.
     *
     * @param features   the columns as the config names them; null: the file's feature_names
     * @param labels     the classes as the config names them; null: 0..C-1
     * @param allRounds  every tree, else those up to the recorded best_iteration
     * @param provenance the saved provenance (reading a saved mixture); null: described from the model
     */
    static XGBoostExpert open(String id, byte[] bytes, String source, List<String> features, List<String> labels,
            boolean allRounds, Map<String, String> provenance) {
        XGBoostModel model;
        try {
            model = XGBoostJson.read(bytes, source, allRounds);
        } catch (ExpertException e) {
            throw new ExpertException("expert '" + id + "': " + e.getMessage(), e.getCause());
        }
        List<String> columns = features(id, model, features, source);
        List<String> names = labels(id, model, labels, source);
        ExpertProvenance described = provenance != null ? ExpertProvenance.fromMap(provenance, NAME)
                : describe(model, bytes, source, features, labels);
        ExpertSignature signature;
        try {
            signature = new ExpertSignature(id, columns, names, described);
        } catch (IllegalArgumentException e) {
            throw new ExpertException("expert '" + id + "': " + e.getMessage() + " (params.features and params.labels"
                    + " name each once)");
        }
        return new XGBoostExpert(signature, model, bytes, allRounds);
    }

    private static List<String> features(String id, XGBoostModel model, List<String> given, String source) {
        int width = model.numFeature();
        if (given == null) {
            if (model.featureNames().isEmpty()) {
                throw new ExpertException("expert '" + id + "': " + source + " records no feature names (it was trained"
                        + " on an array, not a DataFrame): set params.features to the " + width + " data columns it"
                        + " reads, in the order it was trained on, e.g. features: [" + example(width) + "]");
            }
            return model.featureNames();
        }
        if (given.size() != width) {
            throw new ExpertException("expert '" + id + "': params.features names " + given.size() + " columns, but "
                    + source + " reads " + width + " (num_feature"
                    + (model.featureNames().isEmpty() ? "" : "; its feature_names: " + String.join(", ", model.featureNames()))
                    + "): name " + width + " columns, in the order it was trained on");
        }
        return given;
    }

    private static String example(int width) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Math.min(width, 3); i++) {
            names.add("x" + i);
        }
        return String.join(", ", names) + (width > 3 ? ", ..." : "");
    }

    private static List<String> labels(String id, XGBoostModel model, List<String> given, String source) {
        int classes = model.classes();
        if (given == null) {
            List<String> indices = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                indices.add(String.valueOf(c));
            }
            return indices;
        }
        if (given.size() != classes) {
            throw new ExpertException("expert '" + id + "': params.labels names " + given.size() + " labels, but " + source
                    + " predicts " + classes + " classes (" + model.objective() + "): name " + classes
                    + " labels, in the order of its classes 0.." + (classes - 1));
        }
        return given;
    }

    private static ExpertProvenance describe(XGBoostModel model, byte[] bytes, String source, List<String> features,
            List<String> labels) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("sha256", ModelSources.sha256(bytes));
        details.put("bytes", String.valueOf(bytes.length));
        details.put("xgboost-version", model.version());
        details.put("objective", model.objective());
        details.put("booster", model.booster());
        details.put("rounds", model.roundsUsed() == model.rounds() ? String.valueOf(model.rounds())
                : model.roundsUsed() + " of " + model.rounds() + " (up to the best_iteration early stopping recorded;"
                        + " params.rounds: all for every tree)");
        details.put("trees", String.valueOf(model.forest().trees()));
        details.put("nodes", String.valueOf(model.forest().nodes()));
        details.put("classes", String.valueOf(model.classes()));
        details.put("base-score", model.baseScore());
        details.put("features-from", features != null ? "params.features" : "the model's feature_names");
        details.put("labels-from", labels != null ? "params.labels" : "class indices (params.labels not given)");
        return ExpertProvenance.loaded(NAME, source, details);
    }
}
