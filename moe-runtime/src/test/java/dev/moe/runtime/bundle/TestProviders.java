package dev.moe.runtime.bundle;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;

/** Expert providers that behave like third-party plugins, registered through a class loader of their own. */
final class TestProviders {

    static final List<String> FEATURES = List.of("feature0", "feature1", "feature2", "feature3");
    static final List<String> LABELS = List.of("0", "1", "2");

    private TestProviders() {
    }

    /** The class path's providers and strategies plus the ones below, as a plugin folder would add them. */
    static ProviderRegistry registry(Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(ExpertProvider.class.getName()),
                Pretrained.class.getName() + "\n" + FailsMidSave.class.getName() + "\n" + Picky.class.getName() + "\n");
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, TestProviders.class.getClassLoader());
        return ProviderRegistry.discover(loader, null);
    }

    /** A fixed linear softmax classifier on two features: its output depends on {@code scale}. */
    static final class LinearExpert implements Expert {
        private final String id;
        private final float scale;

        LinearExpert(String id, float scale) {
            this.id = id;
            this.scale = scale;
        }

        public String id() {
            return id;
        }

        public List<String> featureNames() {
            return List.of("feature1", "feature0");
        }

        public List<String> labelNames() {
            return LABELS;
        }

        public Map<String, String> provenance() {
            return Map.of("scale", String.valueOf(scale));
        }

        public FloatMatrix predict(FloatMatrix x) {
            float[] out = new float[x.rows() * 3];
            for (int r = 0; r < x.rows(); r++) {
                double[] z = {scale * x.get(r, 1), -scale * x.get(r, 0), 0.5 * x.get(r, 0) * x.get(r, 1)};
                double max = Math.max(z[0], Math.max(z[1], z[2]));
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    z[j] = Math.exp(z[j] - max);
                    sum += z[j];
                }
                for (int j = 0; j < 3; j++) {
                    out[r * 3 + j] = (float) (z[j] / sum);
                }
            }
            return new FloatMatrix(x.rows(), 3, out);
        }
    }

    /** Loads a pretrained expert from its parameters; cannot train or save: saved mixtures refer to it. */
    public static final class Pretrained implements ExpertProvider {
        static final AtomicBoolean FAIL_LOADS = new AtomicBoolean();

        public String name() {
            return "pretrained-linear";
        }

        public Expert load(ExpertSpec spec) {
            if (FAIL_LOADS.get()) {
                throw new IllegalStateException("boom while loading");
            }
            return new LinearExpert(spec.id(), (float) spec.parameters().real("scale", 1.0));
        }
    }

    /** Trains, claims it can save, and fails half-way through writing. */
    public static final class FailsMidSave implements ExpertProvider {
        public String name() {
            return "fails-mid-save";
        }

        public boolean canTrain() {
            return true;
        }

        public Expert load(ExpertSpec spec) {
            return new LinearExpert(spec.id(), 2f);
        }

        public Expert train(ExpertSpec spec, TrainingSet data) {
            return new LinearExpert(spec.id(), 2f);
        }

        public boolean canSave(Expert expert) {
            return true;
        }

        public void save(Expert expert, OutputStream out) throws IOException {
            out.write(new byte[5000]);
            throw new IllegalStateException("disk on fire");
        }
    }

    /** Trains, and saves none of the experts it is shown: a canSave that does not know them. */
    public static final class Picky implements ExpertProvider {
        public String name() {
            return "picky";
        }

        public boolean canTrain() {
            return true;
        }

        public Expert train(ExpertSpec spec, TrainingSet data) {
            return new LinearExpert(spec.id(), 2f);
        }

        public boolean canSave(Expert expert) {
            return false;
        }
    }

    /** A mixture of the given experts with a random linear gate over the four seed features. */
    static MixtureModel mixture(List<Expert> experts, long seed) {
        Mlp network = Mlp.initialise(new int[] {4, experts.size()}, List.of(), 0.0, DataType.FLOAT, seed);
        GateNetwork gate = new GateNetwork(new FeatureScaler(new float[] {0.1f, -0.2f, 0f, 0.3f}, new float[] {1f, 2f, 1f, 0.5f}), network);
        List<AlignedExpert> aligned = experts.stream().map(e -> AlignedExpert.align(e, FEATURES, LABELS)).toList();
        return new MixtureModel(gate, new SoftmaxDenseRouting(1.0), aligned, LABELS);
    }

    static SaveRequest request(MixtureModel model, List<SaveRequest.ExpertSource> sources) {
        return new SaveRequest(model, FEATURES, Map.of(), sources, "label", null, null);
    }
}
