package dev.moe.experts.onnx;

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
 * {@code onnx}: a pretrained ONNX classifier (from PyTorch, scikit-learn, Keras, LightGBM, Tribuo, ...) as an expert,
 * run by ONNX Runtime. Loads only; it does not train.
 *
 * <p>{@code model} is a file (relative to the config's folder) or {@code classpath:path/in/jar.onnx};
 * {@code features} names the data columns the model's one input reads, in order (an ONNX model records no column
 * names); {@code labels} names the classes of the output's columns; {@code output} chooses the output that holds the
 * class scores; {@code scores} says whether they are probabilities or logits. Saves its experts into a saved mixture
 * with the model's bytes ({@link OnnxExpertFormat}), so that the mixture predicts without the original file.
 *
 * <p>Nothing of ONNX Runtime is touched until {@link #load} or {@link #read}: listing providers, or a run without onnx
 * experts, loads no native library.
 */
public final class OnnxExpertProvider implements ExpertProvider {

    public static final String NAME = "onnx";

    static final ParameterSpec SCORES = ParameterSpec.choice("scores", ScoreKind.PROBABILITIES.configName(),
            "what the output holds: probabilities (checked: non-negative, rows sum to 1), or logits (softmax applied)",
            ScoreKind.PROBABILITIES.configName(), ScoreKind.LOGITS.configName());

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.of("model", Type.PATH, null, "the ONNX model file (relative to the config), or classpath:resource"),
            ParameterSpec.of("features", Type.STRING_LIST, null,
                    "required: the data columns the model's input reads, in its order (ONNX records no column names)"),
            ParameterSpec.of("labels", Type.STRING_LIST, "a ZipMap output's classes; else 0, 1, ..., C-1",
                    "the label of each output column, in order (as the data names its labels)"),
            ParameterSpec.of("output", Type.STRING, "the one float [N, C] tensor or ZipMap output",
                    "the model output that holds the class scores"),
            SCORES,
            ParameterSpec.of("threads", Type.INTEGER, "1", "ONNX Runtime's threads per run (moe already scores blocks in parallel)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "pretrained ONNX classifier (PyTorch, scikit-learn, ...), run by ONNX Runtime: model, features, labels,"
                + " output, scores";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    /** ONNX Runtime's version, its native library loaded, and the execution providers this build of it offers. */
    @Override
    public List<String> environment() {
        return OnnxModel.environmentReport();
    }

    @Override
    public Expert load(ExpertSpec spec) {
        Parameters p = spec.parameters().checkDeclared(PARAMETERS);
        String value = p.requireString("model");
        Settings settings = Settings.from(p, spec.id());
        ModelSources.Loaded model = ModelSources.read(spec, value, "ONNX model", OnnxExpertProvider.class);
        String source = model.source();
        byte[] bytes = model.bytes();
        return open(spec.id(), bytes, source, settings, null);
    }

    @Override
    public boolean canSave(Expert expert) {
        return expert instanceof OnnxExpert;
    }

    @Override
    public void save(Expert expert, OutputStream out) throws IOException {
        if (!(expert instanceof OnnxExpert onnx)) {
            throw new IllegalArgumentException("not an onnx expert: " + expert);
        }
        OnnxExpertFormat.write(onnx, out);
    }

    @Override
    public Expert read(ExpertSpec spec, InputStream in) throws IOException {
        return OnnxExpertFormat.read(in, spec.id(), spec.parameters().where());
    }

    /** What the config says besides the model: the columns, the labels, the output and what it holds. */
    record Settings(List<String> features, List<String> labels, String output, ScoreKind scores, int threads) {

        static Settings from(Parameters p, String id) {
            List<String> features = p.strings("features", null);
            if (features == null || features.isEmpty()) {
                throw new ParameterException(p.where() + ": missing required key 'features': the data columns the model's"
                        + " input reads, in the order it was trained on (an ONNX model records no column names),"
                        + " e.g. features: [x0, x1, x2, x3]");
            }
            List<String> labels = p.strings("labels", null);
            String output = p.string("output", null);
            ScoreKind scores = ScoreKind.fromConfigName(p.choice(SCORES));
            int threads = p.positiveInteger("threads", 1);
            return new Settings(features, labels, output, scores, threads);
        }
    }

    /**
     * Creates the session and the expert.
     *
     * @param provenance the saved provenance (reading a saved mixture); null: described from the model
     */
    static OnnxExpert open(String id, byte[] bytes, String source, Settings settings, Map<String, String> provenance) {
        OnnxModel model;
        try {
            model = OnnxModel.open(bytes, source, settings.features().size(), settings.output(), settings.threads());
        } catch (ExpertException e) {
            throw new ExpertException("expert '" + id + "': " + e.getMessage(), e.getCause());
        } catch (LinkageError e) {
            throw new ExpertException("expert '" + id + "': ONNX Runtime's native library cannot be loaded on this"
                    + " machine (" + System.getProperty("os.name") + ", " + System.getProperty("os.arch") + "): " + e, e);
        }
        try {
            List<String> labels = labels(id, model, settings.labels(), source);
            ExpertProvenance described = provenance != null ? ExpertProvenance.fromMap(provenance, NAME)
                    : describe(model, bytes, source, settings, labels);
            ExpertSignature signature;
            try {
                signature = new ExpertSignature(id, settings.features(), labels, described);
            } catch (IllegalArgumentException e) {
                throw new ExpertException(e.getMessage() + " (params.features and params.labels name each once)");
            }
            return new OnnxExpert(signature, model, bytes, settings.scores(), settings.output(), settings.threads());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The labels of the output's columns: as given (checked against the output), ZipMap's classes, or 0..C-1. */
    private static List<String> labels(String id, OnnxModel model, List<String> given, String source) {
        int width = model.outputWidth();
        if (model.isZipMap()) {
            List<String> classes = model.zipMapClasses();
            if (given == null) {
                return classes;
            }
            if (given.size() != width) {
                throw new ExpertException("expert '" + id + "': params.labels names " + given.size() + " labels, but output '"
                        + model.outputName() + "' of " + source + " has " + width + " classes (" + String.join(", ", classes) + ")");
            }
            for (String label : given) {
                if (!classes.contains(label)) {
                    throw new ExpertException("expert '" + id + "': params.labels names '" + label + "', which is not a class"
                            + " of output '" + model.outputName() + "' of " + source + " (its classes: "
                            + String.join(", ", classes) + ")");
                }
            }
            return given;
        }
        if (given == null) {
            List<String> indices = new ArrayList<>();
            for (int c = 0; c < width; c++) {
                indices.add(String.valueOf(c));
            }
            return indices;
        }
        if (given.size() != width) {
            throw new ExpertException("expert '" + id + "': params.labels names " + given.size() + " labels, but output '"
                    + model.outputName() + "' of " + source + " has " + width + " columns (one per class): name " + width
                    + " labels, in the order of the model's output");
        }
        return given;
    }

    private static ExpertProvenance describe(OnnxModel model, byte[] bytes, String source, Settings settings,
            List<String> labels) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("sha256", ModelSources.sha256(bytes));
        details.put("bytes", String.valueOf(bytes.length));
        details.putAll(model.description());
        details.put("scores", settings.scores().configName());
        details.put("labels-from", settings.labels() != null ? "params.labels"
                : model.isZipMap() ? "the ZipMap's classes" : "column indices (params.labels not given)");
        return ExpertProvenance.loaded(NAME, source, details);
    }
}
