package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.plugins.TestJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A routing strategy from a plugin is recorded by the bundle like an expert's plugin: its jar is loaded only by consent. */
class PluginStrategyTest {

    private static final String PROVIDER = """
            package planted;
            import dev.moe.api.*;
            import java.util.Map;
            public final class EvenProvider implements RoutingStrategyProvider {
                public String name() { return "even"; }
                public String description() { return "the same weight for every expert"; }
                public Map<String, String> parameters() { return Map.of(); }
                public RoutingStrategy create(Parameters parameters, int expertCount) {
                    return new RoutingStrategy() {
                        public String name() { return "even"; }
                        public String describe() { return "even"; }
                        public Routing route(FloatMatrix logits, boolean training) {
                            FloatMatrix w = FloatMatrix.zeros(logits.rows(), logits.columns());
                            java.util.Arrays.fill(w.values(), 1f / logits.columns());
                            return new Routing() {
                                public FloatMatrix weights() { return w; }
                                public FloatMatrix backward(FloatMatrix g) { return FloatMatrix.zeros(g.rows(), g.columns()); }
                            };
                        }
                    };
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aPluginStrategysJarIsRecordedAndLoadedOnlyFromTheFolderGiven() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = TestJars.jar(plugins.resolve("even-plugin.jar"), Map.of("planted.EvenProvider", PROVIDER),
                Map.of("META-INF/services/dev.moe.api.RoutingStrategyProvider", "planted.EvenProvider\n"), List.of());
        ProviderRegistry registry = ProviderRegistry.withPlugins(getClass().getClassLoader(), List.of(jar));
        BundleFixtures.Trained trained = BundleFixtures.seedMixture();
        RoutingStrategy even = registry.routingProviders().get("even").provider()
                .create(new Parameters("routing.params", Map.of()), trained.model().experts().size());
        MixtureModel model = new MixtureModel(trained.model().gate(), even, trained.model().experts(), trained.model().labelNames());
        SaveRequest base = trained.request();
        Path bundle = dir.resolve("even.moe");
        BundleManifest manifest = new BundleWriter(registry).write(new SaveRequest(model, base.featureNames(), Map.of(),
                base.experts(), base.labelColumn(), base.provenance(), base.configText()), bundle);

        assertEquals(1, manifest.plugins().size(), manifest.plugins().toString());
        assertEquals("even-plugin.jar", manifest.plugins().get(0).jar());
        assertEquals(Origins.sha256Of(jar), manifest.plugins().get(0).sha256());
        assertFalse(manifest.strategy().origin().startsWith("classpath"), manifest.strategy().origin());

        SavedMixture loaded = BundleReader.withPluginConsent(plugins, getClass().getClassLoader()).read(bundle);
        assertEquals("even", loaded.model().strategy().name());
        assertEquals(List.of(jar), PluginConsent.pluginUnits(manifest, bundle, plugins));
        // No folder given: the plugin is not loaded, and the message names the strategy.
        MoeException e = assertThrows(MoeException.class,
                () -> BundleReader.withPluginConsent(null, getClass().getClassLoader()).read(bundle));
        assertTrue(e.getMessage().contains("routing strategy 'even'"), e.getMessage());
        assertEquals(List.of(), PluginConsent.pluginUnits(manifest, bundle, null));
    }
}
