package dev.moe.runtime.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Comparator;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A jar's Maven artifact and version, as its {@code META-INF/maven/.../pom.properties} states them (else the manifest's
 * {@code Implementation-Version}): what listings show of a plugin, and what a saved mixture records of its providers.
 *
 * @param artifact the artifactId, or null
 * @param version  the version, or null
 */
public record JarCoordinates(String artifact, String version) {

    /** Read from an open jar; both null when it states neither. */
    public static JarCoordinates of(JarFile jar) throws IOException {
        String artifact = null;
        String version = null;
        JarEntry pom = jar.stream()
                .filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties"))
                .min(Comparator.comparing(JarEntry::getName)).orElse(null);
        if (pom != null) {
            Properties p = new Properties();
            try (InputStream in = jar.getInputStream(pom)) {
                p.load(in);
            }
            artifact = p.getProperty("artifactId");
            version = p.getProperty("version");
        }
        if (version == null && jar.getManifest() != null) {
            version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        return new JarCoordinates(artifact, version);
    }

    /** The jar that holds {@code type}; null when it is not in a readable jar. */
    public static Path jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /** Of the jar that holds {@code type}; null when it is not in a readable jar. */
    public static JarCoordinates ofClass(Class<?> type) {
        Path jar = jarOf(type);
        if (jar == null) {
            return null;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            return of(file);
        } catch (IOException e) {
            return null;
        }
    }
}
