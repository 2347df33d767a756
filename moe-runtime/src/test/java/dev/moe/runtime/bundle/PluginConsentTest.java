package dev.moe.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
