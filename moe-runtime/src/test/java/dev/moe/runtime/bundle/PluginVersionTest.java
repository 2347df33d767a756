package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle records its plugins' versions; an embedded expert is refused by a plugin of another major version. */
class PluginVersionTest {

    private static final String PROVIDER = """
            package versioned;
            import dev.moe.api.*;
            import java.util.List;
            import java.util.Map;
            public final class VersionedProvider implements ExpertProvider {
                public String name() { return "versioned"; }
                public Expert load(ExpertSpec spec) { return new Flat(spec.id()); }
                public boolean canSave(Expert e) { return e instanceof Flat; }
                public void save(Expert e, java.io.OutputStream out) throws java.io.IOException { out.write(7); }
                public Expert read(ExpertSpec spec, java.io.InputStream in) throws java.io.IOException {
                    if (in.read() != 7) throw new ExpertException(spec.parameters().where() + " is not mine");
                    return new Flat(spec.id());
                }
                static final class Flat extends AbstractExpert {
                    Flat(String id) {
                        super(new ExpertSignature(id, List.of("feature0", "feature1"), List.of("0", "1", "2"),
                                ExpertProvenance.trained("versioned", Map.of())));
                    }
                    public FloatMatrix predict(FloatMatrix x) {
                        requireColumns(x);
                        FloatMatrix out = FloatMatrix.zeros(x.rows(), 3);
                        java.util.Arrays.fill(out.values(), 1f / 3);
                        return out;
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private Path compiled;

    /** The same classes built as another version: only pom.properties differs. */
    private Path plugin(String version) throws Exception {
        if (compiled == null) {
            compiled = TestJars.jar(dir.resolve("compiled.jar"), Map.of("versioned.VersionedProvider", PROVIDER),
                    Map.of("META-INF/services/dev.moe.api.ExpertProvider", "versioned.VersionedProvider\n"), List.of());
        }
        Path folder = Files.createDirectories(dir.resolve("v" + version));
        return TestJars.copyWith(compiled, folder.resolve("versioned-plugin-" + version + ".jar"),
                Map.of("META-INF/maven/test/versioned-plugin/pom.properties",
                        "groupId=test\nartifactId=versioned-plugin\nversion=" + version + "\n"));
    }

    private static ProviderRegistry registry(Path jar) {
        return ProviderRegistry.withPlugins(PluginVersionTest.class.getClassLoader(), List.of(jar));
    }

    @Test
    void anotherMinorVersionReadsTheBundleAnotherMajorIsRefusedInOneLine() throws Exception {
        ProviderRegistry saving = registry(plugin("1.0.0"));
        ExpertProvider provider = saving.expertProvider("versioned");
        List<Expert> experts = List.of(
                provider.load(new ExpertSpec("a", "versioned", Parameters.empty("a"), dir, 1)),
                provider.load(new ExpertSpec("b", "versioned", Parameters.empty("b"), dir, 1)));
        SaveRequest.ExpertSource source = new SaveRequest.ExpertSource("versioned", Map.of(), dir, true);
        Path bundle = dir.resolve("m.moe");
        BundleManifest written = new BundleWriter(saving).write(
                TestProviders.request(TestProviders.mixture(experts, 3), List.of(source, source)), bundle);
        assertEquals("1.0.0", written.experts().get(0).plugin().version());
        assertEquals("versioned-plugin", written.plugins().get(0).artifact());
        // A request without provenance (a mixture built in Java) still records the libraries it was saved with.
        assertEquals(System.getProperty("java.version"), written.provenance().libraries().get("java").split(" ")[0]);

        assertEquals(2, new BundleReader(registry(plugin("1.2.5"))).read(bundle).model().experts().size());
        MoeException e = assertThrows(MoeException.class, () -> new BundleReader(registry(plugin("2.0.0"))).read(bundle));
        assertEquals(bundle + ": expert 'a' was saved with plugin versioned-plugin 1.0.0, but the installed versioned-plugin"
                + " is 2.0.0, another major version that may read it differently; install versioned-plugin 1.x, or train the"
                + " mixture again", e.getMessage());
    }

    @Test
    void anotherVersionInThePluginsFolderIsNamedWithBothVersions() throws Exception {
        // From a plugins folder a bundle runs only the jar it recorded, byte for byte: the plugin's next patch release,
        // there under its own name, was "needs expert provider 'versioned' (plugin versioned-plugin 1.0.0, ...), not
        // installed here", which sent its user looking for a plugin they had installed.
        Path savedWith = plugin("1.0.0");
        ProviderRegistry saving = registry(savedWith);
        Expert expert = saving.expertProvider("versioned").load(new ExpertSpec("a", "versioned", Parameters.empty("a"), dir, 1));
        Path bundle = dir.resolve("m.moe");
        BundleManifest written = new BundleWriter(saving).write(TestProviders.request(TestProviders.mixture(List.of(expert), 3),
                List.of(new SaveRequest.ExpertSource("versioned", Map.of(), dir, true))), bundle);
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        Path patch = Files.copy(plugin("1.0.1"), folder.resolve("versioned-plugin-1.0.1.jar"));
        MoeException e = assertThrows(MoeException.class,
                () -> BundleReader.withPluginConsent(folder, PluginVersionTest.class.getClassLoader()).read(bundle));
        assertEquals(patch + ": it is versioned-plugin 1.0.1, but " + bundle + " was saved with versioned-plugin 1.0.0"
                + " (versioned-plugin-1.0.0.jar, SHA-256 " + written.plugins().get(0).sha256().substring(0, 16) + "...); a saved"
                + " mixture runs only the plugin jar it was saved with, byte for byte: give it a plugins folder that holds that"
                + " jar, or train the bundle again", e.getMessage());
        // With the jar it was saved with, it loads.
        Path both = Files.createDirectories(dir.resolve("both"));
        Files.copy(savedWith, both.resolve(savedWith.getFileName()));
        assertEquals(1, BundleReader.withPluginConsent(both, PluginVersionTest.class.getClassLoader()).read(bundle).model()
                .experts().size());
    }

    @Test
    void aReferencedExpertIsRefusedByAnyOtherVersionOfItsPlugin() throws Exception {
        // A provider that cannot save its experts: the bundle holds the expert's parameters, and its model lives in the
        // plugin, so only the version it was saved with may load it again (a patch release may ship another model).
        Path compiledReferenced = TestJars.jar(Files.createDirectories(dir.resolve("ref")).resolve("compiled.jar"),
                Map.of("versioned.VersionedProvider", PROVIDER.replace("public boolean canSave(Expert e) { return e instanceof Flat; }", "")),
                Map.of("META-INF/services/dev.moe.api.ExpertProvider", "versioned.VersionedProvider\n"), List.of());
        java.util.function.Function<String, Path> version = v -> {
            try {
                Path folder = Files.createDirectories(dir.resolve("ref-v" + v));
                return TestJars.copyWith(compiledReferenced, folder.resolve("versioned-plugin-" + v + ".jar"),
                        Map.of("META-INF/maven/test/versioned-plugin/pom.properties",
                                "groupId=test\nartifactId=versioned-plugin\nversion=" + v + "\n"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        ProviderRegistry saving = registry(version.apply("1.0.0"));
        Expert expert = saving.expertProvider("versioned").load(new ExpertSpec("a", "versioned", Parameters.empty("a"), dir, 1));
        Path bundle = dir.resolve("ref.moe");
        BundleManifest written = new BundleWriter(saving).write(TestProviders.request(TestProviders.mixture(List.of(expert), 3),
                List.of(new SaveRequest.ExpertSource("versioned", Map.of(), dir, false))), bundle);
        assertEquals("reference", written.experts().get(0).storage());

        assertEquals(1, new BundleReader(registry(version.apply("1.0.0"))).read(bundle).model().experts().size());
        MoeException e = assertThrows(MoeException.class, () -> new BundleReader(registry(version.apply("1.0.1"))).read(bundle));
        assertEquals(bundle + ": expert 'a' was saved with versioned-plugin 1.0.0, but the installed versioned-plugin is 1.0.1;"
                + " its model lives in the plugin, so install version 1.0.0", e.getMessage());
    }

    @Test
    void majorVersions() {
        assertEquals("1", MixtureAssembly.major("1.0.2-SNAPSHOT"));
        assertEquals("0", MixtureAssembly.major("0.1.0-SNAPSHOT"));
        assertEquals("12", MixtureAssembly.major("12"));
        assertEquals("3", MixtureAssembly.major("03.1"));
        assertNull(MixtureAssembly.major("v1.0"));
        assertNull(MixtureAssembly.major("1a.0"));
        assertNull(MixtureAssembly.major(null));
    }
}
