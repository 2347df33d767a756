package dev.moe.runtime.bundle;

import com.google.inject.Guice;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.util.Map;

/** A small trained seed mixture (three nd4j-mlp experts, linear gate), trained once per test JVM. */
public final class BundleFixtures {

    public static final String CONFIG = """
            seed: 5
            data: { source: synthetic-seed, rows: 600 }
            split: { experts: 0.5, gate: 0.3, test: 0.2, balance-experts: true }
            experts:
              - { id: expert1, provider: nd4j-mlp, subset: { labels: ["0", "1"] }, params: { hidden: 8, epochs: 20, learning-rate: 0.03 } }
              - { id: expert2, provider: nd4j-mlp, subset: { labels: ["1", "2"] }, params: { hidden: 8, epochs: 20, learning-rate: 0.03 } }
              - { id: expert3, provider: nd4j-mlp, subset: { labels: ["0", "2"] }, params: { hidden: 8, epochs: 20, learning-rate: 0.03 } }
            gate: { choose: gate, hidden: [6], activations: [leaky-relu], epochs: 30, learning-rate: 0.05 }
            """;

    public static final ProviderRegistry REGISTRY = ProviderRegistry.fromClassPath();

    private static Trained trained;

    public record Trained(MoeConfig config, Experiment.TrainedRun run) {
        public MixtureModel model() {
            return run.model();
        }

        public SaveRequest request() {
            return run.saveRequest(config, REGISTRY, CONFIG);
        }

        /** The same gate and experts under another strategy, created by name through the registry. */
        public SaveRequest request(String strategy, Map<String, Object> params) {
            RoutingStrategy routing = REGISTRY.routingProviders().get(strategy).provider()
                    .create(new Parameters("routing.params", params), model().experts().size());
            MixtureModel m = new MixtureModel(model().gate(), routing, model().experts(), model().labelNames());
            SaveRequest base = request();
            return new SaveRequest(m, base.featureNames(), params, base.experts(), base.labelColumn(), base.provenance(),
                    base.configText());
        }
    }

    private BundleFixtures() {
    }

    public static synchronized Trained seedMixture() {
        if (trained == null) {
            trained = train(CONFIG);
        }
        return trained;
    }

    public static Trained train(String yaml) {
        return train(ConfigLoader.parse(yaml, Path.of("seed-small.yaml")));
    }

    public static Trained train(MoeConfig config) {
        Experiment experiment = Guice.createInjector(new MoeModule(config, REGISTRY)).getInstance(Experiment.class);
        return new Trained(config, experiment.train(config.seedOrDefault(), "", ProgressListener.SILENT));
    }

    /** The largest absolute difference between two equally long arrays. */
    public static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError(a.length + " values against " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
