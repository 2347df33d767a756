package dev.moe.api.io;

import dev.moe.api.ExpertException;
import dev.moe.api.ExpertSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads the bytes of a pretrained model a provider loads whole (an ONNX or XGBoost file): its {@code model} parameter
 * names a file, relative to the config's folder, or a class-path resource ({@code classpath:path/in/jar}), and every
 * failure is one line naming the expert and the file. One implementation for the built-in providers and for plugins
 * (JDK only).
 */
public final class ModelSources {

    /** The prefix of a {@code model} value that names a class-path resource instead of a file. */
    public static final String CLASSPATH_PREFIX = "classpath:";

    private ModelSources() {
    }

    /**
     * A model's bytes and where they came from.
     *
     * @param source the file's path (resolved) or {@code classpath:resource}: how messages and provenance name it
     * @param bytes  the whole content
     */
    public record Loaded(String source, byte[] bytes) {
    }

    /**
     * Reads the model a {@code model} parameter names.
     *
     * @param spec   the expert's config entry: its id for messages, its folder for a relative path
     * @param value  the parameter's value: a path, or {@code classpath:} and a resource name
     * @param kind   what the file holds, for messages, e.g. {@code "ONNX model"}
     * @param anchor a class of the provider: its class loader is asked for a resource first, then the thread's
     *               context class loader (where a plugin jar's resources are when the host loaded the provider)
     * @return the bytes and their source
     * @throws ExpertException "expert 'ID': KIND file not found: PATH" (or a folder, unreadable, a missing resource)
     */
    public static Loaded read(ExpertSpec spec, String value, String kind, Class<?> anchor) {
        if (value.startsWith(CLASSPATH_PREFIX)) {
            String name = value.substring(CLASSPATH_PREFIX.length());
            name = name.startsWith("/") ? name.substring(1) : name;
            return new Loaded(CLASSPATH_PREFIX + name, readResource(name, spec.id(), kind, anchor.getClassLoader()));
        }
        Path file = spec.resolvePath(value);
        return new Loaded(file.toString(), readFile(file, spec.id(), kind));
    }

    /**
     * The SHA-256 of a model's bytes, as provenance records it and a saved mixture checks it.
     *
     * @param bytes the model's bytes
     * @return 64 lower-case hexadecimal digits
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] readFile(Path file, String id, String kind) {
        try {
            if (Files.isDirectory(file)) {
                throw new ExpertException("expert '" + id + "': " + file + " is a folder, not an " + kind + " file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ExpertException("expert '" + id + "': " + kind + " file not found: " + file);
        } catch (IOException e) {
            throw new ExpertException("expert '" + id + "': cannot read " + kind + " file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readResource(String name, String id, String kind, ClassLoader own) {
        InputStream stream = own == null ? null : own.getResourceAsStream(name);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (stream == null && context != null && context != own) {
            stream = context.getResourceAsStream(name);
        }
        if (stream == null) {
            throw new ExpertException("expert '" + id + "': " + kind + " resource not found on the class path: "
                    + CLASSPATH_PREFIX + name);
        }
        try (InputStream in = stream) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ExpertException("expert '" + id + "': cannot read " + kind + " resource " + CLASSPATH_PREFIX + name
                    + ": " + e.getMessage(), e);
        }
    }
}
