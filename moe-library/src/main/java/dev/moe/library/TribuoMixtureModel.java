package dev.moe.library;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import dev.moe.runtime.MoeVersion;
import dev.moe.runtime.bundle.BundleManifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.ModelProvenance;

/**
 * A {@link Mixture} seen as a Tribuo {@code Model<Label>}: predictions carry every label's probability, the feature
 * and output domains are the mixture's, and the provenance names the data set, the trainer and each expert. Batches
 * ({@code predict(Dataset)}, {@code predict(Iterable)}) are scored as one block of rows, as moe scores them.
 *
 * <p>Not Java-serializable and without a protobuf form: save the mixture with {@link Mixture#save} instead.
 */
final class TribuoMixtureModel extends Model<Label> {

    private static final long serialVersionUID = 1L;
    /** Rows scored per call to the mixture, so that a large batch does not hold every row's outputs at once. */
    private static final int BLOCK_ROWS = 4096;

    private final transient Mixture mixture;
    private final transient Map<String, Integer> columns;

    TribuoMixtureModel(Mixture mixture) {
        this(mixture, "moe-mixture", provenance(mixture));
    }

    private TribuoMixtureModel(Mixture mixture, String name, ModelProvenance provenance) {
        super(name, provenance, featureMap(mixture), outputInfo(mixture.labelNames()), true);
        this.mixture = mixture;
        this.columns = TribuoRows.index(mixture.featureNames());
    }

    /** The training data's feature map where there is one, else one built from the feature names. */
    private static ImmutableFeatureMap featureMap(Mixture mixture) {
        Mixture.TribuoOrigin origin = mixture.tribuoOrigin();
        if (origin != null && origin.featureMap() != null) {
            return origin.featureMap();
        }
        // Without Tribuo training data there are no value statistics: each feature is recorded as seen once, at 0.
        MutableFeatureMap map = new MutableFeatureMap();
        for (String name : mixture.featureNames()) {
            map.add(name, 0);
        }
        return new ImmutableFeatureMap(map);
    }

    /** Label ids in the mixture's label order. */
    private static ImmutableOutputInfo<Label> outputInfo(List<String> labelNames) {
        Map<Label, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < labelNames.size(); i++) {
            ids.put(new Label(labelNames.get(i)), i);
        }
        return new LabelFactory().constructInfoForExternalModel(ids);
    }

    private static ModelProvenance provenance(Mixture mixture) {
        Map<String, Provenance> instance = new LinkedHashMap<>();
        instance.put("moe-version", new StringProvenance("moe-version", MoeVersion.get()));
        instance.put("combiner", new StringProvenance("combiner", mixture.combiner()));
        instance.put("strategy", new StringProvenance("strategy", mixture.model().strategy().describe()));
        BundleManifest.Provenance p = mixture.provenance();
        if (p != null) {
            if (p.seed() != null) {
                instance.put("seed", new StringProvenance("seed", String.valueOf(p.seed())));
            }
            if (p.dataSha256() != null) {
                instance.put("data-sha256", new StringProvenance("data-sha256", p.dataSha256()));
            }
        }
        List<MapProvenance<StringProvenance>> experts = new ArrayList<>();
        for (Expert expert : mixture.experts()) {
            Map<String, StringProvenance> described = new LinkedHashMap<>();
            described.put("id", new StringProvenance("id", expert.id()));
            expert.provenance().forEach((key, value) -> described.put(key, new StringProvenance(key, String.valueOf(value))));
            experts.add(new MapProvenance<>(described));
        }
        instance.put("experts", new ListProvenance<>(experts));
        Mixture.TribuoOrigin origin = mixture.tribuoOrigin();
        return new ModelProvenance(TribuoMixtureModel.class.getName(), mixture.createdAt(), origin.dataset(),
                origin.trainer(), instance);
    }

    /** @return the mixture behind this model */
    Mixture mixture() {
        return mixture;
    }

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        return predictAll(List.of(example)).get(0);
    }

    @Override
    protected List<Prediction<Label>> innerPredict(Iterable<Example<Label>> examples) {
        List<Example<Label>> all = new ArrayList<>();
        examples.forEach(all::add);
        return predictAll(all);
    }

    private List<Prediction<Label>> predictAll(List<Example<Label>> examples) {
        List<Prediction<Label>> out = new ArrayList<>(examples.size());
        List<String> labels = mixture.labelNames();
        for (int from = 0; from < examples.size(); from += BLOCK_ROWS) {
            List<Example<Label>> block = examples.subList(from, Math.min(examples.size(), from + BLOCK_ROWS));
            FloatMatrix p = mixture.predict(TribuoRows.rows(block, mixture.featureNames())).probabilities();
            for (int r = 0; r < block.size(); r++) {
                Map<String, Label> scores = new LinkedHashMap<>();
                for (int j = 0; j < labels.size(); j++) {
                    scores.put(labels.get(j), new Label(labels.get(j), p.get(r, j)));
                }
                int best = p.argMaxOfRow(r);
                out.add(new Prediction<>(new Label(labels.get(best), p.get(r, best)), scores, used(block.get(r)),
                        block.get(r), true));
            }
        }
        return out;
    }

    private int used(Example<Label> example) {
        int used = 0;
        for (var feature : example) {
            used += columns.containsKey(feature.getName().strip()) ? 1 : 0;
        }
        return used;
    }

    /** A mixture ranks no features of its own: empty. */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return new HashMap<>();
    }

    /** No excuses: a mixture's explanation is its gate weights ({@link Mixture#predict}). */
    @Override
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected Model<Label> copy(String newName, ModelProvenance newProvenance) {
        return new TribuoMixtureModel(mixture, newName, newProvenance);
    }

    /** Tribuo's protobuf form: refused with the way a mixture is saved, instead of Tribuo's generic message. */
    @Override
    public org.tribuo.protos.core.ModelProto serialize() {
        throw new UnsupportedOperationException(HOW_TO_SAVE);
    }

    /** Refused before Tribuo opens the file: it would leave an empty one behind. */
    @Override
    public void serializeToFile(java.nio.file.Path file) {
        throw new UnsupportedOperationException(HOW_TO_SAVE);
    }

    @Override
    public void serializeToStream(java.io.OutputStream stream) {
        throw new UnsupportedOperationException(HOW_TO_SAVE);
    }

    /**
     * Java serialization: refused. Tribuo's {@code Model} is {@code Serializable}, and the mixture is transient, so
     * a stream was written without it, to come back as a model whose every prediction fails.
     */
    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        throw new java.io.NotSerializableException(HOW_TO_SAVE);
    }

    private static final String HOW_TO_SAVE = "a moe mixture as a Tribuo model has no serialized form: save the mixture with"
            + " Mixture.save(path), a bundle moe predict reads too, and load it with Mixture.load(path)";
}
