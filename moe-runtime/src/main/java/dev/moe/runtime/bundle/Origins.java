package dev.moe.runtime.bundle;

import dev.moe.runtime.plugins.JarCoordinates;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarFile;

/** Where code comes from: the jar of a provider's class and its Maven version, and the libraries' versions. */
final class Origins {

    private Origins() {
    }

    /** The jar that holds {@code type}, with the artifact and version its {@code pom.properties} states; null when not in a jar. */
    static BundleManifest.PluginRef jarOf(Class<?> type) {
        Path location = JarCoordinates.jarOf(type);
        if (location == null) {
            return null;
        }
        JarCoordinates coordinates = new JarCoordinates(null, null);
        try (JarFile jar = new JarFile(location.toFile())) {
            coordinates = JarCoordinates.of(jar);
        } catch (IOException e) {
            // Unreadable now: the jar's name alone still says where the provider came from.
        }
        return new BundleManifest.PluginRef(location.getFileName().toString(), coordinates.artifact(), coordinates.version(),
                sha256Of(location));
    }

    /**
     * {@link #jarOf}, and for a plugin that is a folder of jars every other jar of the folder with its SHA-256: a
     * library swapped in the folder would otherwise run unnoticed under a bundle that checks the provider's jar only.
     */
    static BundleManifest.PluginRef pluginOf(Class<?> type) {
        BundleManifest.PluginRef ref = jarOf(type);
        String prefix = ProviderRegistry.PLUGIN_LOADER_PREFIX;
        if (ref == null || !(type.getClassLoader() instanceof URLClassLoader loader) || loader.getName() == null
                || !loader.getName().startsWith(prefix) || !Files.isDirectory(Path.of(loader.getName().substring(prefix.length())))) {
            return ref;
        }
        Map<String, String> libraries = new TreeMap<>();
        for (URL url : loader.getURLs()) {
            try {
                Path jar = Path.of(url.toURI());
                if (!jar.getFileName().toString().equals(ref.jar())) {
                    libraries.put(jar.getFileName().toString(), sha256Of(jar));
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // Not a file: PluginClassLoaders hold files only.
            }
        }
        return ref.withLibraries(libraries);
    }

    /** SHA-256 of a file's bytes, or null when it cannot be read. */
    static String sha256Of(Path file) {
        java.security.MessageDigest digest = BundleFormat.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            return null;
        }
        return BundleFormat.hex(digest.digest());
    }

    /** The program's and the numeric libraries' versions, as far as the class path says them. */
    static Map<String, String> libraries() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("moe", dev.moe.runtime.MoeVersion.get());
        out.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        put(out, "nd4j", "org.nd4j", "nd4j-api");
        put(out, "tribuo", "org.tribuo", "tribuo-core");
        put(out, "jackson", "com.fasterxml.jackson.core", "jackson-databind");
        return out;
    }

    private static void put(Map<String, String> out, String name, String group, String artifact) {
        String v = mavenVersion(group, artifact, null);
        if (v != null) {
            out.put(name, v);
        }
    }

    private static String mavenVersion(String group, String artifact, String otherwise) {
        ClassLoader loader = Origins.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            if (in == null) {
                return otherwise;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", otherwise);
        } catch (IOException e) {
            return otherwise;
        }
    }
}
