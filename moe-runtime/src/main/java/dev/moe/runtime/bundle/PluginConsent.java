package dev.moe.runtime.bundle;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.plugins.JarCoordinates;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Plugins only with consent. A bundle records the plugin jars whose code it runs (name, version, SHA-256); loading
 * it loads exactly those, from the plugins folder the user named ({@code --plugins} or {@code $MOE_PLUGINS}), and
 * refuses a jar whose bytes differ from the recorded ones. Nothing is loaded from a folder that merely sits beside
 * the bundle, and no jar the bundle does not name is loaded at all.
 */
public final class PluginConsent {

    private PluginConsent() {
    }

    /** The plugin jars (not the class path) these providers came from, each once. */
    static List<BundleManifest.PluginRef> pluginsOf(List<ProviderRegistry.Found<?>> experts, ProviderRegistry.Found<?> strategy) {
        List<ProviderRegistry.Found<?>> all = new ArrayList<>(experts);
        all.add(strategy);
        Set<String> seen = new LinkedHashSet<>();
        List<BundleManifest.PluginRef> out = new ArrayList<>();
        for (ProviderRegistry.Found<?> found : all) {
            if (found == null || found.origin() == null || found.origin().startsWith("classpath")) {
                continue;
            }
            BundleManifest.PluginRef ref = Origins.pluginOf(found.provider().getClass());
            if (ref != null && ref.sha256() != null && seen.add(ref.sha256())) {
                out.add(ref);
            }
        }
        return out;
    }

    /**
     * The providers a bundle may use: the class path's, and the plugins it records, found in {@code pluginsFolder}.
     * A recorded plugin that is not in the folder is left out (the reader then names it as not installed).
     *
     * @throws MoeException when a jar of the recorded name has other bytes, or the bundle names plugins without hashes
     */
    public static ProviderRegistry registryFor(BundleManifest m, Path bundle, Path pluginsFolder, ClassLoader host) {
        return ProviderRegistry.withPlugins(host, pluginUnits(m, bundle, pluginsFolder));
    }

    /**
     * The plugins a bundle records, as found in {@code pluginsFolder}: each a jar directly in the folder, or the
     * sub-folder holding it (a plugin with its libraries). What {@link #registryFor} loads, and what moe-spark ships to
     * executors. A recorded plugin that is not in the folder is left out (the reader then names it as not installed).
     *
     * @throws MoeException when a jar of the recorded name has other bytes, or the bundle names plugins without hashes
     */
    public static List<Path> pluginUnits(BundleManifest m, Path bundle, Path pluginsFolder) {
        List<BundleManifest.PluginRef> needed = needed(m);
        if (pluginsFolder != null && !Files.isDirectory(pluginsFolder)) {
            throw new MoeException("plugins folder not found: " + pluginsFolder);
        }
        if (needed.isEmpty() || pluginsFolder == null) {
            return List.of();
        }
        List<Path> units = new ArrayList<>();
        JarHashes hashes = new JarHashes(Origins::sha256Of);
        for (BundleManifest.PluginRef ref : needed) {
            Path unit = unitOf(ref, bundle, pluginsFolder, find(pluginsFolder, ref, hashes), hashes);
            if (unit != null && !units.contains(unit)) {
                units.add(unit);
            }
        }
        return units;
    }

    /**
     * One recorded plugin as {@code moe predict} would find it in {@code pluginsFolder}, without loading it.
     *
     * @param ref     the plugin as the bundle records it
     * @param found   the jar of the folder taken for it; null when none is there (or no folder was given)
     * @param problem why loading the bundle would refuse it, in the words loading uses; null when it would not
     */
    public record Check(BundleManifest.PluginRef ref, Path found, String problem) {
        /** Present, with the recorded bytes (and libraries): what loading needs. */
        public boolean matches() {
            return found != null && problem == null;
        }
    }

    /**
     * Every plugin the bundle records, checked against {@code pluginsFolder} (null: none given) as loading checks it:
     * by name or bytes, then SHA-256, then a plugin folder's libraries. Reads the jars' bytes, runs none of their code.
     *
     * @throws MoeException when the folder is given and does not exist
     */
    public static List<Check> check(BundleManifest m, Path bundle, Path pluginsFolder) {
        return check(needed(m), bundle, pluginsFolder, Origins::sha256Of);
    }

    /** {@link #check}, each jar's bytes hashed by {@code sha256}, at most once per jar. */
    static List<Check> check(List<BundleManifest.PluginRef> needed, Path bundle, Path pluginsFolder,
                             Function<Path, String> sha256) {
        if (pluginsFolder != null && !Files.isDirectory(pluginsFolder)) {
            throw new MoeException("plugins folder not found: " + pluginsFolder);
        }
        List<Check> checks = new ArrayList<>();
        JarHashes hashes = new JarHashes(sha256);
        for (BundleManifest.PluginRef ref : needed) {
            if (pluginsFolder == null) {
                checks.add(new Check(ref, null, null));
                continue;
            }
            Path jar = find(pluginsFolder, ref, hashes);
            try {
                unitOf(ref, bundle, pluginsFolder, jar, hashes);
                checks.add(new Check(ref, jar, null));
            } catch (MoeException e) {
                checks.add(new Check(ref, jar, e.getMessage()));
            }
        }
        return checks;
    }

    /** The plugins the bundle records; for a bundle older than that list, the experts' plugin jars. */
    private static List<BundleManifest.PluginRef> needed(BundleManifest m) {
        if (m.plugins() != null) {
            return m.plugins();
        }
        List<BundleManifest.PluginRef> needed = new ArrayList<>();
        for (BundleManifest.ExpertEntry e : m.experts()) {
            if (e.plugin() != null && e.origin() != null && !e.origin().startsWith("classpath")) {
                needed.add(e.plugin());
            }
        }
        return needed;
    }

    /**
     * The jars' SHA-256 as far as they were read, so that checking several plugins, or one under another name (found
     * by its bytes, then checked), reads each jar once.
     */
    private static final class JarHashes {
        private final Function<Path, String> sha256;
        private final Map<Path, String> known = new HashMap<>();

        JarHashes(Function<Path, String> sha256) {
            this.sha256 = sha256;
        }

        /** The jar's SHA-256, or null when it cannot be read. */
        String of(Path jar) {
            if (!known.containsKey(jar)) {
                known.put(jar, sha256.apply(jar));
            }
            return known.get(jar);
        }
    }

    /**
     * What loading takes from the folder for one recorded plugin, given the jar found for it: that jar, or the
     * sub-folder holding it with its libraries; null when none was found.
     *
     * @throws MoeException when the bundle has no hash for it, or the folder's bytes are not the recorded ones
     */
    private static Path unitOf(BundleManifest.PluginRef ref, Path bundle, Path pluginsFolder, Path jar, JarHashes hashes) {
        if (ref.sha256() == null) {
            throw new MoeException(bundle + ": it names plugin " + ref.jar() + " without its SHA-256 (saved by an older moe); "
                    + "moe runs plugin code only when the bundle records the jar's hash: train it again with this moe");
        }
        if (jar == null) {
            return null;
        }
        String sha = hashes.of(jar);
        if (!ref.sha256().equalsIgnoreCase(String.valueOf(sha))) {
            JarCoordinates found = coordinatesOf(jar);
            if (found != null && ref.artifact() != null && ref.artifact().equals(found.artifact()) && found.version() != null
                    && !found.version().equals(ref.version())) {
                throw new MoeException(jar + ": it is " + found.artifact() + " " + found.version() + ", but " + bundle
                        + " was saved with " + ref.artifact() + " " + ref.version() + " (" + ref.jar() + ", SHA-256 "
                        + abbreviated(ref.sha256()) + "); a saved mixture runs only the plugin jar it was saved with, byte for"
                        + " byte: give it a plugins folder that holds that jar, or train the bundle again");
            }
            throw new MoeException(jar + ": its SHA-256 is " + abbreviated(sha) + ", but " + bundle + " was saved with "
                    + ref.jar() + " of SHA-256 " + abbreviated(ref.sha256()) + "; refusing to run a different jar "
                    + "(install the jar the bundle was saved with, or train the bundle again)");
        }
        Path unit = jar.getParent().equals(pluginsFolder) ? jar : jar.getParent();
        if (ref.libraries() != null) {
            checkLibraries(bundle, ref, jar, unit, hashes);
        }
        return unit;
    }

    /**
     * The plugin folder holds exactly the library jars the bundle records, byte for byte: its class loader would load
     * every jar in it, before moe's own libraries.
     */
    private static void checkLibraries(Path bundle, BundleManifest.PluginRef ref, Path jar, Path unit, JarHashes hashes) {
        String again = "; refusing to run a plugin folder other than the one " + bundle + " was saved with (install that"
                + " folder, or train the bundle again)";
        if (!Files.isDirectory(unit)) {
            if (!ref.libraries().isEmpty()) {
                throw new MoeException(jar + ": " + bundle + " was saved with this plugin in a folder with its libraries ("
                        + String.join(", ", ref.libraries().keySet()) + "), installed here as a jar alone" + again);
            }
            return;
        }
        Map<String, Path> present = new TreeMap<>();
        try (Stream<Path> files = Files.list(unit)) {
            files.filter(p -> p.getFileName().toString().endsWith(".jar") && !p.equals(jar))
                    .forEach(p -> present.put(p.getFileName().toString(), p));
        } catch (IOException e) {
            throw new MoeException("cannot list plugin folder " + unit + ": " + e.getMessage());
        }
        for (Map.Entry<String, String> library : ref.libraries().entrySet()) {
            Path file = present.get(library.getKey());
            if (file == null) {
                throw new MoeException(unit + ": library jar " + library.getKey() + " is missing" + again);
            }
            String sha = hashes.of(file);
            if (!String.valueOf(library.getValue()).equalsIgnoreCase(String.valueOf(sha))) {
                throw new MoeException(file + ": its SHA-256 is " + abbreviated(sha) + ", but " + bundle + " was saved with "
                        + abbreviated(library.getValue()) + again);
            }
        }
        for (String name : present.keySet()) {
            if (!ref.libraries().containsKey(name)) {
                throw new MoeException(unit.resolve(name) + ": a jar the plugin did not have when " + bundle + " was saved"
                        + again);
            }
        }
    }

    private static String abbreviated(String sha) {
        return sha == null ? "unreadable" : sha.length() > 16 ? sha.substring(0, 16) + "..." : sha;
    }

    /**
     * The jar of that name in the folder or one sub-folder down; else, when the bundle records its hash, one with the
     * same bytes under another name. Without a recorded hash only its name can find it: loading refuses it then, but
     * the check can still say whether it is there.
     */
    private static Path find(Path folder, BundleManifest.PluginRef ref, JarHashes hashes) {
        if (!Files.isDirectory(folder)) {
            throw new MoeException("plugins folder not found: " + folder);
        }
        List<Path> jars;
        try (Stream<Path> files = Files.walk(folder, 2)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new MoeException("cannot list plugins folder " + folder + ": " + e.getMessage());
        }
        for (Path jar : jars) {
            if (jar.getFileName().toString().equals(ref.jar())) {
                return jar;
            }
        }
        for (Path jar : ref.sha256() == null ? List.<Path>of() : jars) {
            if (ref.sha256().equalsIgnoreCase(String.valueOf(hashes.of(jar)))) {
                return jar;
            }
        }
        // Another version of the same plugin (centroid-plugin-1.0.1.jar for 1.0.0): taken, so that it is refused naming
        // both versions; it was "needs provider 'centroid' ..., not installed here", with the plugin right there.
        for (Path jar : ref.artifact() == null ? List.<Path>of() : jars) {
            JarCoordinates coordinates = coordinatesOf(jar);
            if (coordinates != null && ref.artifact().equals(coordinates.artifact())) {
                return jar;
            }
        }
        return null;
    }

    private static JarCoordinates coordinatesOf(Path jar) {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            return JarCoordinates.of(file);
        } catch (IOException e) {
            return null;
        }
    }
}
