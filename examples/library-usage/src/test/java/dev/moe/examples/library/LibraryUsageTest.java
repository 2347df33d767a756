package dev.moe.examples.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryUsageTest {

    @Test
    void trainsCombinesEvaluatesSavesAndReloads(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("iris.moe");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, Double> accuracy = LibraryUsage.run(Path.of("../data/iris.csv"), saved,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertTrue(Files.size(saved) > 0);
        List<String> names = new ArrayList<>(accuracy.keySet());
        assertEquals(5, names.size(), names.toString());
        assertTrue(names.get(3).startsWith("moe ("), names.toString());
        double mixture = accuracy.get(names.get(3));
        assertEquals(mixture, accuracy.get("moe, loaded"), 0.0, "the loaded mixture predicts as the saved one");
        assertTrue(mixture >= 0.9, "mixture accuracy " + mixture);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("moe, loaded") && text.contains("accuracy"), text);
    }

    /** The README shows this example whole: the first java block of its section is this file, word for word. */
    @Test
    void theReadmeShowsThisExample() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        int section = readme.indexOf("## Using moe from Java");
        assertTrue(section >= 0, "README.md lacks the section 'Using moe from Java'");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String shown = readme.substring(start, readme.indexOf("```", start));
        String source = Files.readString(Path.of("src/main/java/dev/moe/examples/library/LibraryUsage.java"));
        assertEquals(source.strip(), shown.strip(), "README.md's example and LibraryUsage.java differ: make them the same");
    }
}
