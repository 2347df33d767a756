package dev.moe.examples.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The plugin guide's copy-paste POM (docs/plugins.md) is this module's POM, word for word: this module (built and tested
 * by the normal build, and loaded as a plugin by moe-cli's tests) is a plugin built from the guide's snippet alone.
 */
class PluginPomTest {

    /** The line just before the guide's POM block. */
    static final String MARKER = "<!-- plugin-pom: examples/expert-plugin-example/pom.xml, checked by PluginPomTest -->";

    /** The plugin guide, two folders up. */
    private static final Path GUIDE = Path.of("../../docs/plugins.md");

    /** Only inside moe's repository: a copy of this example elsewhere has no guide or parent POM two folders up. */
    private static void assumeInsideMoesRepository() {
        assumeTrue(Files.isRegularFile(GUIDE) && Files.isRegularFile(Path.of("../../pom.xml")),
                "not inside moe's repository");
    }

    @Test
    void theGuidesPluginPomIsThisModulesPom() throws IOException {
        assumeInsideMoesRepository();
        String guide = Files.readString(GUIDE);
        int at = guide.indexOf(MARKER);
        assertTrue(at >= 0, "docs/plugins.md lacks the line " + MARKER);
        Matcher block = Pattern.compile("\\G\\s*```xml\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertTrue(block.find(at + MARKER.length()), "no ```xml block right after " + MARKER + " in docs/plugins.md");
        assertEquals(Files.readString(Path.of("pom.xml")).strip(), block.group(1).strip(),
                "docs/plugins.md's plugin POM and examples/expert-plugin-example/pom.xml differ: make them the same");
    }

    @Test
    void itBuildsAgainstThisVersionOfMoe() throws IOException {
        assumeInsideMoesRepository();
        Matcher parent = Pattern.compile("<artifactId>moe-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("../../pom.xml")));
        assertTrue(parent.find(), "no moe-parent version in ../../pom.xml");
        Matcher own = Pattern.compile("<moe.version>([^<]+)</moe.version>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(own.find(), "no moe.version property in pom.xml");
        assertEquals(parent.group(1), own.group(1), "the plugin's moe.version is not moe's version");
        Matcher version = Pattern.compile("<artifactId>moe-expert-plugin-example</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find());
        // moe-cli's tests find the plugin jar by moe's version.
        assertEquals(parent.group(1), version.group(1));
    }
}
