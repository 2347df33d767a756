package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a saved mixture says when its plugins are not installed, from its manifest alone. */
class MixtureAssemblyTest {

    static BundleManifest.ExpertEntry expert(String id, String provider, BundleManifest.PluginRef plugin) {
        return new BundleManifest.ExpertEntry(id, provider, "embedded", "experts/" + id, Map.of(), null, null, plugin,
                List.of("x"), List.of("a", "b"), Map.of());
    }

    /**
     * Two plugins, one a folder of jars: each missing provider is named with its own plugin as the bundle's plugins list
     * records it (the folder with its libraries), found by its jar's SHA-256.
     */
    @Test
    void eachMissingProviderIsNamedWithItsOwnPlugin() {
        BundleManifest.PluginRef folder = new BundleManifest.PluginRef("smile-plugin-2.0.jar", "smile-plugin", "2.0", "aa11",
                Map.of("smile-core-3.0.jar", "cc33", "smile-math-3.0.jar", "dd44"));
        BundleManifest.PluginRef jar = new BundleManifest.PluginRef("centroid-plugin-1.0.jar", "centroid-plugin", "1.0", "bb22");
        BundleManifest m = new BundleManifest("moe-bundle", 1, "test", null, "label", List.of("x"), List.of("a", "b"),
                new BundleManifest.Strategy("softmax-dense", Map.of(), null, null),
                new BundleManifest.Gate(List.of(1, 2), List.of("softmax"), null, null, null, null, null, null),
                List.of(expert("c", "centroid", new BundleManifest.PluginRef("centroid-plugin-1.0.jar", "centroid-plugin", "1.0", "BB22")),
                        expert("s", "smile", new BundleManifest.PluginRef("smile-plugin-2.0.jar", "smile-plugin", "2.0", "aa11")),
                        expert("n", "nameless", new BundleManifest.PluginRef("other.jar", null, null, "ee55"))),
                null, Map.of(), List.of(folder, jar), null, null, null);
        Path file = Path.of("m.moe");
        MoeException e = assertThrows(MoeException.class,
                () -> new MixtureAssembly(ProviderRegistry.fromClassPath(), false).build(m, Map.of(), file));
        assertEquals(file + ": needs expert provider 'centroid' (plugin centroid-plugin 1.0, centroid-plugin-1.0.jar) and"
                + " expert provider 'smile' (plugin smile-plugin 2.0, a folder of smile-plugin-2.0.jar and 2 library jars) and"
                + " expert provider 'nameless' (from other.jar), not installed here (known expert providers: "
                + String.join(", ", ProviderRegistry.fromClassPath().expertProviders().keySet()) + "; add the plugin's jar, or"
                + " its folder of jars, to the plugins folder: --plugins DIR, or Mixture.load(file, pluginsFolder) in Java)",
                e.getMessage());
    }
}
