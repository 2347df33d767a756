package dev.moe.runtime.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that ships its own version of a library moe also uses (here: a jackson-databind class of the same name as
 * moe's, with another API) sees its own; the SPI and the JDK still come from moe.
 */
class PluginClassLoaderTest {

    /** Stands in for another jackson-databind: the real class has a field VERSION, this one a method. */
    private static final String OTHER_JACKSON = """
            package com.fasterxml.jackson.databind.cfg;
            public final class PackageVersion {
                public static String version() { return "0.0.1-the-plugin's"; }
            }
            """;

    /** Stands in for the slf4j-api jar a library drags into a plugin's folder (Smile does). */
    private static final String OTHER_SLF4J = """
            package org.slf4j;
            public final class LoggerFactory {
                public static String version() { return "0.0.1-the-plugin's"; }
            }
            """;

    private static final String PROVIDER = """
            package probe;
            public final class ProbeProvider implements dev.moe.api.ExpertProvider {
                public String name() { return "probe"; }
                public String description() {
                    return "jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.version();
                }
            }
            """;

    @TempDir
    static Path dir;
    static Path plugins;

    @BeforeAll
    static void buildPlugin() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        Path folder = Files.createDirectories(plugins.resolve("probe"));
        Path library = TestJars.jar(folder.resolve("jackson-databind-0.0.1.jar"),
                Map.of("com.fasterxml.jackson.databind.cfg.PackageVersion", OTHER_JACKSON), Map.of(), List.of());
        TestJars.jar(folder.resolve("slf4j-api-0.0.1.jar"), Map.of("org.slf4j.LoggerFactory", OTHER_SLF4J), Map.of(), List.of());
        TestJars.jar(folder.resolve("probe-1.0.0.jar"), Map.of("probe.ProbeProvider", PROVIDER),
                Map.of("META-INF/services/dev.moe.api.ExpertProvider", "probe.ProbeProvider\n"), List.of(library));
    }

    @Test
    void thePluginSeesItsOwnVersionOfALibraryMoeAlsoShips() {
        ProviderRegistry registry = ProviderRegistry.discover(getClass().getClassLoader(), plugins);
        ExpertProvider probe = registry.expertProvider("probe");
        // With moe's jackson first this call would fail (NoSuchMethodError): moe's PackageVersion has no version().
        assertEquals("jackson 0.0.1-the-plugin's", probe.description());
        assertTrue(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.getMajorVersion() >= 2, "moe keeps its own");
        assertTrue(registry.expertProviders().containsKey("nd4j-mlp"), "the class path's providers are still found once");
    }

    @Test
    void theSpiAndTheJdkComeFromMoeAndWhatThePluginLacksToo() throws Exception {
        ClassLoader plugin = ProviderRegistry.discover(getClass().getClassLoader(), plugins).expertProvider("probe")
                .getClass().getClassLoader();
        assertTrue(plugin instanceof PluginClassLoader, plugin.toString());
        assertSame(Expert.class, plugin.loadClass("dev.moe.api.Expert"));
        assertSame(String.class, plugin.loadClass("java.lang.String"));
        assertSame(java.sql.Date.class, plugin.loadClass("java.sql.Date"));
        Class<?> own = plugin.loadClass("com.fasterxml.jackson.databind.cfg.PackageVersion");
        assertNotSame(com.fasterxml.jackson.databind.cfg.PackageVersion.class, own);
        assertSame(plugin, own.getClassLoader());
        // A class the plugin does not ship: moe's (a thin plugin jar runs on the libraries moe ships).
        assertSame(ObjectMapper.class, plugin.loadClass("com.fasterxml.jackson.databind.ObjectMapper"));
        assertTrue(plugin.getResource("com/fasterxml/jackson/databind/cfg/PackageVersion.class").toString()
                .contains("jackson-databind-0.0.1.jar"));
    }

    @Test
    void slf4jComesFromMoeEvenWhenThePluginShipsItsOwn() throws Exception {
        ClassLoader plugin = ProviderRegistry.discover(getClass().getClassLoader(), plugins).expertProvider("probe")
                .getClass().getClassLoader();
        // The plugin's copy would look up moe's binding, built against moe's copy: "not a subtype", and no logging.
        assertSame(org.slf4j.LoggerFactory.class, plugin.loadClass("org.slf4j.LoggerFactory"));
        assertSame(org.slf4j.Logger.class, plugin.loadClass("org.slf4j.Logger"));
    }
}
