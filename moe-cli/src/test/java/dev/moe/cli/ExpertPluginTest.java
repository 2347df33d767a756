package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin as a user would use it: its jar dropped into a plugins folder, named in a config.
 * The plugin is not on this test's class path (see moe-cli's pom); the build passes its jar's path in.
 */
class ExpertPluginTest {

    private static final String CONFIG = """
            seed: 1
            data: { source: csv, path: %s }
            split: { experts: 0.4, gate: 0.3, test: 0.3 }
            experts:
              - { id: wine-cart, provider: wine-cart-example }
              - { id: colour-logistic, provider: tribuo, subset: { features: [color_intensity, hue] }, params: { algorithm: logistic-regression, epochs: 50 } }
              - { id: mlp, provider: nd4j-mlp, subset: { labels: [class_0, class_2] }, params: { hidden: 8, epochs: 100, learning-rate: 0.01 } }
            gate: { hidden: [], epochs: 100, learning-rate: 0.05 }
            """;

    @TempDir
    Path dir;

    Path plugins;
    Path config;

    @BeforeEach
    void dropThePluginIntoAPluginsFolder() throws Exception {
        Path jar = Path.of(System.getProperty("moe.examplePluginJar"));
        assertTrue(Files.isRegularFile(jar), "the example plugin's jar is built before this module: " + jar);
        plugins = Files.createDirectories(dir.resolve("my-plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        Path wine = Path.of(System.getProperty("moe.examplesFolder"), "data", "wine.csv").toAbsolutePath();
        config = dir.resolve("wine-plugin.yaml");
        Files.writeString(config, CONFIG.formatted(wine));
    }

    @Test
    void pluginIsNotOnTheClassPath() {
        assertEquals(null, getClass().getClassLoader().getResource("dev/moe/examples/plugin/WineCartExpertProvider.class"));
    }

    @Test
    void expertsListsThePluginAndWhereItCameFrom() {
        MainTest.Result r = MainTest.moe("experts", "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());
        String line = r.out().lines().filter(l -> l.startsWith("wine-cart-example")).findFirst().orElseThrow();
        assertTrue(line.contains(plugins.resolve("moe-expert-plugin-example-0.1.0-SNAPSHOT.jar").toString()), line);
        // With the version its jar states (Maven's pom.properties), which the file name need not carry.
        assertTrue(line.contains(", moe-expert-plugin-example 0.1.0-SNAPSHOT"), line);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("nd4j-mlp") && l.contains("classpath")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("tribuo")), r.out());
    }

    @Test
    void evaluateUsesThePluginsExpert() throws Exception {
        Path json = dir.resolve("report.json");
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "--plugins", plugins.toString(), "--json", json.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
        assertEquals("wine-cart", results.get(0).get("model").asText());
        // The shipped tree is a good wine classifier (it saw part of this file in training, so this is no held-out figure).
        assertTrue(results.get(0).get("accuracy").asDouble() > 0.85, results.toString());
        assertEquals("moe", results.get(results.size() - 1).get("model").asText());
        assertTrue(results.get(results.size() - 1).get("accuracy").asDouble() > 0.85, results.toString());
    }

    @Test
    void theSameConfigWithoutThePluginFailsClearly() {
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "-q");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("moe: " + config + ": line 5: experts[wine-cart].provider: unknown expert provider 'wine-cart-example'; known: nd4j-mlp, onnx, tribuo, xgboost"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aPluginsDefaultFolderIsTheOneBesideTheConfig() throws Exception {
        Files.move(plugins, dir.resolve("plugins"));
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "-q");
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void brokenPluginsAreNamed() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("broken.jar"), "not a zip");
        MainTest.Result r = MainTest.moe("experts", "--plugins", bad.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("moe: " + bad.resolve("broken.jar") + ": not a readable jar"), r.err());

        Path twice = Files.createDirectories(dir.resolve("twice"));
        Files.copy(plugins.resolve("moe-expert-plugin-example-0.1.0-SNAPSHOT.jar"), twice.resolve("a.jar"));
        Files.copy(plugins.resolve("moe-expert-plugin-example-0.1.0-SNAPSHOT.jar"), twice.resolve("b.jar"));
        r = MainTest.moe("experts", "--plugins", twice.toString());
        assertEquals(2, r.status());
        assertEquals("moe: expert provider 'wine-cart-example' is offered twice: by " + twice.resolve("a.jar") + " and by "
                + twice.resolve("b.jar") + "; a config names providers by name, so keep one of them (two versions of one plugin?), or"
                + " rename one provider" + System.lineSeparator(), r.err());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(empty.resolve("nothing.jar")));
        out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
        out.close();
        r = MainTest.moe("experts", "--plugins", empty.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("moe: " + empty.resolve("nothing.jar") + ": no expert provider or routing strategy"), r.err());

        r = MainTest.moe("experts", "--plugins", dir.resolve("absent").toString());
        assertEquals(2, r.status());
        assertEquals("moe: plugins folder not found: " + dir.resolve("absent") + System.lineSeparator(), r.err());
    }
}
