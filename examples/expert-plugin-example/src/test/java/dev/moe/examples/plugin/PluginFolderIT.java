package dev.moe.examples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after {@code package}: {@code target/plugin/} alone, on top of a class loader that holds nothing but moe-api
 * (as a host would arrange it), is a working plugin. Reflection throughout, since this test's own class path has
 * Tribuo and moe-api on it and must not lend them.
 */
class PluginFolderIT {

    private static final Path PLUGIN = Path.of("target", "plugin");
    private static final String JAR = "moe-expert-plugin-example-0.1.0-SNAPSHOT.jar";

    @Test
    void thePluginJarBundlesNeitherMoeApiNorTribuo() throws Exception {
        try (JarFile jar = new JarFile(PLUGIN.resolve(JAR).toFile())) {
            List<String> foreign = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("dev/moe/api/") || n.startsWith("org/tribuo/")).toList();
            assertEquals(List.of(), foreign);
        }
        try (Stream<Path> files = Files.list(PLUGIN)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("tribuo-classification-tree-4.3.2.jar"), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("moe-api")), names.toString());
        }
    }

    @Test
    void theFolderServesTheExpertWithOnlyMoeApiFromTheHost() throws Exception {
        URL api = Class.forName("dev.moe.api.ExpertProvider").getProtectionDomain().getCodeSource().getLocation();
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(PLUGIN)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(p.toUri().toURL());
            }
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader host = new URLClassLoader(new URL[] {api}, ClassLoader.getPlatformClassLoader());
             URLClassLoader plugin = new URLClassLoader(jars.toArray(URL[]::new), host)) {
            // The plugin must not rely on the context loader: give it the host's.
            Thread.currentThread().setContextClassLoader(host);
            Class<?> providerType = host.loadClass("dev.moe.api.ExpertProvider");
            Object provider = null;
            for (Object p : ServiceLoader.load(providerType, plugin)) {
                if ("wine-cart-example".equals(providerType.getMethod("name").invoke(p))) {
                    provider = p;
                }
            }
            assertNotNull(provider, "wine-cart-example not found in " + PLUGIN);
            assertSame(plugin, plugin.loadClass("org.tribuo.Model").getClassLoader(), "Tribuo comes from the folder");

            Class<?> parametersType = host.loadClass("dev.moe.api.Parameters");
            Class<?> specType = host.loadClass("dev.moe.api.ExpertSpec");
            Class<?> matrixType = host.loadClass("dev.moe.api.FloatMatrix");
            Object parameters = parametersType.getConstructor(String.class, Map.class)
                    .newInstance("experts[wine].params", Map.of());
            Object spec = specType.getConstructor(String.class, String.class, parametersType, Path.class, long.class)
                    .newInstance("wine", "wine-cart-example", parameters, Path.of("."), 1L);
            Object expert = providerType.getMethod("load", specType).invoke(provider, spec);
            Class<?> expertType = host.loadClass("dev.moe.api.Expert");

            WineData test = WineData.read().split()[1];
            Object rows = matrixType.getConstructor(int.class, int.class, float[].class)
                    .newInstance(test.features().rows(), test.features().columns(), test.features().values());
            Object out = expertType.getMethod("predict", matrixType).invoke(expert, rows);
            @SuppressWarnings("unchecked")
            List<String> labels = (List<String>) expertType.getMethod("labelNames").invoke(expert);
            int correct = 0;
            for (int r = 0; r < test.labels().size(); r++) {
                int best = (int) matrixType.getMethod("argMaxOfRow", int.class).invoke(out, r);
                correct += labels.get(best).equals(test.labels().get(r)) ? 1 : 0;
            }
            double accuracy = (double) correct / test.labels().size();
            assertTrue(accuracy >= 0.88, "held-out accuracy " + accuracy);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
