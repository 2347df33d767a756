package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking a bundle's plugins against a folder reads each jar's bytes at most once. */
class PluginConsentTest {

    @TempDir
    Path plugins;

    @Test
    void eachJarIsHashedOncePerCheckEvenWhenAPluginIsFoundByItsBytes() throws Exception {
        Path a = Files.write(plugins.resolve("a.jar"), new byte[] {1});
        Path b = Files.write(plugins.resolve("b.jar"), new byte[] {2});
        Path renamed = Files.write(plugins.resolve("c-renamed.jar"), new byte[] {3});
        // One plugin installed under another name (found by its bytes), one not installed at all: both look at every jar.
        BundleManifest.PluginRef moved = new BundleManifest.PluginRef("c.jar", "c", "1", Origins.sha256Of(renamed));
        BundleManifest.PluginRef absent = new BundleManifest.PluginRef("d.jar", "d", "1", "00".repeat(32));
        Map<Path, Integer> reads = new TreeMap<>();
        Function<Path, String> counting = jar -> {
            reads.merge(jar, 1, Integer::sum);
            return Origins.sha256Of(jar);
        };

        List<PluginConsent.Check> checks = PluginConsent.check(List.of(moved, absent), plugins.resolve("m.moe"), plugins, counting);

        assertEquals(renamed, checks.get(0).found());
        assertTrue(checks.get(0).matches());
        assertNull(checks.get(1).found());
        assertNull(checks.get(1).problem());
        assertEquals(Map.of(a, 1, b, 1, renamed, 1), reads);
    }

    /** moe inspect's answer: a jar of the recorded name with other bytes does not match, and says why; no folder, no match. */
    @Test
    void aJarWithOtherBytesDoesNotMatch() throws Exception {
        Path jar = Files.write(plugins.resolve("p.jar"), new byte[] {1, 2});
        BundleManifest.PluginRef ref = new BundleManifest.PluginRef("p.jar", "p", "1", "ab".repeat(32));
        PluginConsent.Check other = PluginConsent.check(List.of(ref), plugins.resolve("m.moe"), plugins, Origins::sha256Of).get(0);
        assertEquals(jar, other.found());
        assertFalse(other.matches());
        assertTrue(other.problem().startsWith(jar + ": its SHA-256 is " + Origins.sha256Of(jar).substring(0, 16) + "..., but "
                + plugins.resolve("m.moe") + " was saved with p.jar of SHA-256 abababababababab...; refusing"), other.problem());

        PluginConsent.Check noFolder = PluginConsent.check(List.of(ref), plugins.resolve("m.moe"), null, Origins::sha256Of).get(0);
        assertNull(noFolder.found());
        assertNull(noFolder.problem());
        assertFalse(noFolder.matches());
    }
}
