package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.Parameters;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.plugins.TestJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that is a folder of jars (its own jar and its libraries, as a third-party library such as Smile needs): a
 * bundle records every jar of the folder, and is loaded only with those very jars, as it is with the provider's jar.
 */
class PluginFolderLibrariesTest {

    private static final String LIBRARY = """
            package lib;
            public final class Probabilities { public static float third() { return 1f / 3; } }
            """;

    private static final String PROVIDER = """
            package folder;
            import dev.moe.api.*;
            import java.util.List;
            import java.util.Map;
            public final class FolderProvider implements ExpertProvider {
                public String name() { return "folder"; }
                public Expert load(ExpertSpec spec) { return new Flat(spec.id()); }
                public boolean canSave(Expert e) { return e instanceof Flat; }
                public void save(Expert e, java.io.OutputStream out) throws java.io.IOException { out.write(7); }
                public Expert read(ExpertSpec spec, java.io.InputStream in) throws java.io.IOException {
                    in.read();
                    return new Flat(spec.id());
                }
                static final class Flat extends AbstractExpert {
                    Flat(String id) {
                        super(new ExpertSignature(id, List.of("feature0", "feature1"), List.of("0", "1", "2"),
                                ExpertProvenance.trained("folder", Map.of())));
                    }
                    public FloatMatrix predict(FloatMatrix x) {
                        FloatMatrix out = FloatMatrix.zeros(x.rows(), 3);
                        java.util.Arrays.fill(out.values(), lib.Probabilities.third());
                        return out;
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    Path plugins;
    Path folder;
    Path library;
    Path bundle;
    String librarySha;

    @BeforeEach
    void saveAMixtureWithAPluginFolder() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        folder = Files.createDirectories(plugins.resolve("folder-plugin"));
        library = TestJars.jar(folder.resolve("lib-1.0.jar"), Map.of("lib.Probabilities", LIBRARY), Map.of(), List.of());
        TestJars.jar(folder.resolve("folder-plugin-1.0.jar"), Map.of("folder.FolderProvider", PROVIDER),
                Map.of("META-INF/services/dev.moe.api.ExpertProvider", "folder.FolderProvider\n"), List.of(library));
        ProviderRegistry registry = ProviderRegistry.withPlugins(getClass().getClassLoader(), List.of(folder));
        ExpertProvider provider = registry.expertProvider("folder");
        List<Expert> experts = List.of(provider.load(new ExpertSpec("a", "folder", Parameters.empty("a"), dir, 1)),
                provider.load(new ExpertSpec("b", "folder", Parameters.empty("b"), dir, 1)));
        SaveRequest.ExpertSource source = new SaveRequest.ExpertSource("folder", Map.of(), dir, true);
        bundle = dir.resolve("m.moe");
        BundleManifest written = new BundleWriter(registry).write(
                TestProviders.request(TestProviders.mixture(experts, 3), List.of(source, source)), bundle);
        librarySha = Origins.sha256Of(library);
        assertEquals(Map.of("lib-1.0.jar", librarySha), written.plugins().get(0).libraries());
    }

    private int load() {
        try (SavedMixture mixture = BundleReader.withPluginConsent(plugins, getClass().getClassLoader()).read(bundle)) {
            return mixture.model().experts().size();
        }
    }

    @Test
    void theFolderItWasSavedWithLoadsIt() {
        assertEquals(2, load());
    }

    @Test
    void withoutThePluginTheMessageSaysToInstallItsFolder() throws Exception {
        // It named the provider's jar alone, and said to add "the plugin's jar": installed so, it would not run.
        plugins = Files.createDirectories(dir.resolve("empty"));
        assertEquals(bundle + ": needs expert provider 'folder' (from a folder of folder-plugin-1.0.jar and 1 library jar),"
                + " not installed here (known expert providers: nd4j-mlp, tribuo; add the plugin's jar, or its folder of jars,"
                + " to the plugins folder: --plugins DIR, or Mixture.load(file, pluginsFolder) in Java)",
                assertThrows(MoeException.class, this::load).getMessage());
    }

    @Test
    void aChangedLibraryJarIsRefused() throws Exception {
        // Without the libraries in the bundle, this jar ran: only the provider's jar was checked.
        TestJars.jar(library, Map.of("lib.Probabilities", LIBRARY.replace("1f / 3", "0.5f")), Map.of(), List.of());
        MoeException e = assertThrows(MoeException.class, this::load);
        assertEquals(library + ": its SHA-256 is " + Origins.sha256Of(library).substring(0, 16) + "..., but " + bundle
                + " was saved with " + librarySha.substring(0, 16) + "...; refusing to run a plugin folder other than the one "
                + bundle + " was saved with (install that folder, or train the bundle again)", e.getMessage());
    }

    @Test
    void aJarAddedToTheFolderOrOneTakenAwayIsRefused() throws Exception {
        Path extra = Files.copy(library, folder.resolve("extra-1.0.jar"));
        assertEquals(extra + ": a jar the plugin did not have when " + bundle + " was saved; refusing to run a plugin"
                + " folder other than the one " + bundle + " was saved with (install that folder, or train the bundle"
                + " again)", assertThrows(MoeException.class, this::load).getMessage());
        Files.delete(extra);
        Files.delete(library);
        assertEquals(folder + ": library jar lib-1.0.jar is missing; refusing to run a plugin folder other than the one "
                + bundle + " was saved with (install that folder, or train the bundle again)",
                assertThrows(MoeException.class, this::load).getMessage());
    }

    /** A bundle saved before the plugins list: the plugin jars its experts record are loaded, and checked by their hashes. */
    @Test
    void aBundleFromBeforeThePluginsListLoadsTheJarsItsExpertsRecord() throws Exception {
        Path old = dir.resolve("old.moe");
        BundleReaderTest.rewriteWithManifest(bundle, old, (name, b) -> b, manifest -> manifest.remove("plugins"));
        bundle = old;
        assertEquals(2, load());
        Path provider = folder.resolve("folder-plugin-1.0.jar");
        Path rebuilt = TestJars.copyWith(provider, dir.resolve("rebuilt.jar"), Map.of("extra.txt", "another build"));
        Files.move(rebuilt, provider, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        MoeException e = assertThrows(MoeException.class, this::load);
        assertTrue(e.getMessage().startsWith(provider + ": its SHA-256 is "), e.getMessage());
    }
}
