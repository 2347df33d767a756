package dev.moe.examples.plugin;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSignature;
import dev.moe.api.ParameterSpec;
import dev.moe.api.ExpertSpec;
import dev.moe.api.Parameters;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * {@code wine-cart-example}: an example expert plugin. It ships one pretrained Tribuo CART classifier for the
 * wine data set (13 chemical measurements, classes {@code class_0..class_2}) inside its jar and serves it as an
 * expert. It depends on moe-api (provided by the host) and Tribuo only; nothing to train, nothing to configure
 * but {@code probabilities}: {@code scores} (default: the tree's leaf class frequencies) or {@code one-hot}.
 */
public final class WineCartExpertProvider implements ExpertProvider {

    public static final String NAME = "wine-cart-example";

    /** Declared once: the runtime checks a config's value against the choices, and load() reads it with the default. */
    private static final ParameterSpec PROBABILITIES = ParameterSpec.choice("probabilities", "scores",
            "scores: the tree's leaf class frequencies; one-hot: its predicted label", "scores", "one-hot");

    /** The model inside this jar; regenerate it with {@code WineCartModelGenerator} (see its comment). */
    static final String MODEL_RESOURCE = "/dev/moe/examples/plugin/wine-cart.tribuo";

    /** The columns of the wine data set the model was trained on, in the CSV's order. */
    public static final List<String> FEATURES = List.of("alcohol", "malic_acid", "ash", "alcalinity_of_ash",
            "magnesium", "total_phenols", "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity",
            "hue", "od280_od315", "proline");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "example plugin: a pretrained Tribuo CART tree for the wine data set (13 features); "
                + "probabilities: scores|one-hot";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(PROBABILITIES);
    }

    @Override
    public Expert load(ExpertSpec spec) {
        Parameters p = spec.parameters().checkDeclared(parameters());
        String probabilities = p.choice(PROBABILITIES);
        Model<Label> model = loadModel();
        ExpertProvenance provenance = ExpertProvenance.loaded(NAME, "classpath:" + MODEL_RESOURCE.substring(1),
                Map.of("model-class", model.getClass().getName(), "probabilities", probabilities));
        return new WineCartExpert(new ExpertSignature(spec.id(), FEATURES, WineCartExpert.labelsOf(model), provenance),
                model, probabilities.equals("scores"));
    }

    /** The shipped model, read with Tribuo's protobuf format through this class's own loader. */
    @SuppressWarnings("unchecked")
    static Model<Label> loadModel() {
        try (InputStream raw = WineCartExpertProvider.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (raw == null) {
                throw new ExpertException("plugin " + NAME + ": resource " + MODEL_RESOURCE + " is missing from its jar");
            }
            Model<?> model = Model.deserializeFromStream(new BufferedInputStream(raw));
            if (!model.validate(Label.class)) {
                throw new ExpertException("plugin " + NAME + ": " + MODEL_RESOURCE + " is not a classification model");
            }
            return (Model<Label>) model;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ExpertException ee) {
                throw ee;
            }
            throw new ExpertException("plugin " + NAME + ": cannot read " + MODEL_RESOURCE + ": " + e, e);
        }
    }
}
