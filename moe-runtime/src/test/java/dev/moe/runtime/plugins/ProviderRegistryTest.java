package dev.moe.runtime.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    @TempDir
    Path dir;

    @Test
    void aProviderWithoutANameIsRefusedNamingItsClassAndJar() throws Exception {
        // null was a bare "expert provider failed while loading: java.lang.NullPointerException"; a blank name was
        // registered, one no config could name.
        for (String name : new String[] {"null", "\" \""}) {
            Path folder = Files.createDirectories(dir.resolve("plugins-" + name.length()));
            Path built = TestJars.jar(Files.createDirectories(dir.resolve("build-" + name.length())).resolve("nameless-1.0.jar"), Map.of("nameless.Nameless", """
                    package nameless;
                    public final class Nameless implements dev.moe.api.ExpertProvider {
                        public String name() { return %s; }
                    }
                    """.formatted(name)), Map.of("META-INF/services/dev.moe.api.ExpertProvider", "nameless.Nameless\n"), List.of());
            Path jar = Files.copy(built, folder.resolve(built.getFileName())); // the folder holds the plugin alone
            MoeException e = assertThrows(MoeException.class,
                    () -> ProviderRegistry.discover(ProviderRegistryTest.class.getClassLoader(), folder));
            assertEquals(jar + ": expert provider nameless.Nameless has no name (its name() returned "
                    + (name.equals("null") ? "null" : "' '") + ") (every plugin in the folder is loaded before the config is"
                    + " read: its provider names are unknown until then; move it out of the folder to run without it)", e.getMessage());
        }
    }

    @Test
    void aProviderWhoseParametersAreNullIsRefusedNamingItAndItsJar() throws Exception {
        // Was "internal error: java.lang.NullPointerException: ... because \"parameters\" is null" from moe experts, and
        // from the config's check: exit 1, no plugin named.
        Path folder = Files.createDirectories(dir.resolve("plugins"));
        Path built = TestJars.jar(Files.createDirectories(dir.resolve("build")).resolve("careless-1.0.jar"), Map.of("careless.Careless", """
                package careless;
                public final class Careless implements dev.moe.api.ExpertProvider {
                    public String name() { return "careless"; }
                    public java.util.List<dev.moe.api.ParameterSpec> parameters() { return null; }
                }
                """), Map.of("META-INF/services/dev.moe.api.ExpertProvider", "careless.Careless\n"), List.of());
        Path jar = Files.copy(built, folder.resolve(built.getFileName()));
        MoeException e = assertThrows(MoeException.class,
                () -> ProviderRegistry.discover(ProviderRegistryTest.class.getClassLoader(), folder));
        assertEquals(jar + ": expert provider 'careless' (careless.Careless) declares its parameters as null; parameters() must"
                + " list them (List.of() for none) (every plugin in the folder is loaded before the config is read: its provider"
                + " names are unknown until then; move it out of the folder to run without it)", e.getMessage());
    }
}
