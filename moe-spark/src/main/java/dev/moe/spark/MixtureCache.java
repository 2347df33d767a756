package dev.moe.spark;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.SavedMixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor side: a bundle's bytes become a {@link SavedMixture} through the single-process {@link BundleReader}
 * (same checks, same providers, same model), once per JVM and bundle; every task of the JVM then shares the loaded,
 * immutable mixture.
 */
final class MixtureCache {

    private static final Map<String, SavedMixture> LOADED = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private MixtureCache() {
    }

    /**
     * @param name  the bundle's file name, for messages
     * @param bytes the bundle, as broadcast
     */
    static SavedMixture get(String name, byte[] bytes) {
        return LOADED.computeIfAbsent(sha256(bytes), key -> load(name, bytes));
    }

    /** A bundle's bytes, read on the driver; a missing file is named as {@code moe predict} names it. */
    static byte[] bytesOf(Path model) {
        try {
            return Files.readAllBytes(model);
        } catch (NoSuchFileException e) {
            throw new MoeException("model file not found: " + model);
        } catch (IOException e) {
            throw new MoeException("cannot read model bundle " + model + ": " + e.getMessage());
        }
    }

    /**
     * The driver's load: {@code read} reads the real file (its errors name it), and the result is kept for these
     * bytes, so that a local-mode executor in the same JVM does not read them again.
     */
    static SavedMixture getOrRead(Path file, byte[] bytes, java.util.function.Supplier<SavedMixture> read) {
        return LOADED.computeIfAbsent(sha256(bytes), key -> {
            SavedMixture mixture = read.get();
            LOADS.incrementAndGet();
            byte[] now;
            try {
                now = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new MoeException("cannot read model bundle " + file + ": " + e.getMessage());
            }
            if (!key.equals(sha256(now))) {
                throw new MoeException(file + ": the file changed while it was being loaded; try again");
            }
            return mixture;
        });
    }

    /** How many times this JVM read a bundle (a test checks it is once per bundle). */
    static int loads() {
        return LOADS.get();
    }

    /** The broadcast bytes read as a stream: the same reader and checks as a file, no temporary file. */
    private static SavedMixture load(String name, byte[] bytes) {
        // The plugins the bundle records come with the job (ShippedPlugins), loaded as the CLI loads them.
        SavedMixture mixture = ShippedPlugins.executorReader().read(name, new ByteArrayInputStream(bytes));
        LOADS.incrementAndGet();
        return mixture;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
