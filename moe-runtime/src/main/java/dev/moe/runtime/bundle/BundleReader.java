package dev.moe.runtime.bundle;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Loads a saved mixture ({@link BundleFormat}), from a file or a stream, in three steps: reading the zip's entries
 * ({@link BundleEntries}: the manifest first, then only what it lists, each capped), validating the manifest
 * ({@link ManifestReader}: format, version, required fields, every entry's SHA-256), and assembling the model
 * ({@link MixtureAssembly}: installed providers, experts through them, the strategy).
 *
 * <p>Every error is a {@link MoeException} whose message starts with the bundle's path.
 */
public final class BundleReader {

    /** No entry of a sane bundle comes near this; a larger one is refused before it is read into memory. */
    static final long MAX_ENTRY_BYTES = 1L << 30;

    private final ProviderRegistry registry;
    /** Chooses the registry from the manifest (plugin consent); null: {@link #registry} as given. */
    private final java.util.function.BiFunction<BundleManifest, Path, ProviderRegistry> plugins;
    private final boolean referencedFilesAllowed;

    public BundleReader(ProviderRegistry registry) {
        this(Objects.requireNonNull(registry, "registry"), null, false);
    }

    private BundleReader(ProviderRegistry registry, java.util.function.BiFunction<BundleManifest, Path, ProviderRegistry> plugins,
                         boolean referencedFilesAllowed) {
        this.registry = registry;
        this.plugins = plugins;
        this.referencedFilesAllowed = referencedFilesAllowed;
    }

    /**
     * A reader that loads the class path's providers and exactly the plugins each bundle records, from
     * {@code pluginsFolder} (null: none), each checked against its recorded SHA-256 ({@link PluginConsent}).
     */
    public static BundleReader withPluginConsent(Path pluginsFolder, ClassLoader host) {
        return new BundleReader(null, (m, file) -> PluginConsent.registryFor(m, file, pluginsFolder, host), false);
    }

    /**
     * This reader, letting an expert stored by reference read files its parameters name outside any plugin (by
     * default refused: a bundle from elsewhere could name any file on this machine).
     */
    public BundleReader allowingReferencedFiles(boolean allowed) {
        return new BundleReader(registry, plugins, allowed);
    }

    public SavedMixture read(Path file) {
        return read(file, contentsOf(file));
    }

    /** Every entry the manifest lists, read the safe way ({@link BundleEntries}), with the errors a user can act on. */
    static Map<String, byte[]> contentsOf(Path file) {
        if (!Files.exists(file)) {
            throw new MoeException("model file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new MoeException(file + ": is a folder, not a model bundle");
        }
        Map<String, byte[]> contents;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            contents = BundleEntries.read(BundleEntries.Source.of(zip), file, ManifestReader.JSON);
        } catch (NoSuchFileException e) {
            throw new MoeException("model file not found: " + file);
        } catch (ZipException e) {
            throw new MoeException(file + ": not a moe model bundle, or truncated (" + BundleEntries.reason(e) + ")");
        } catch (java.io.EOFException e) {
            throw new MoeException(file + ": not a moe model bundle, or truncated (" + BundleEntries.reason(e) + ")");
        } catch (IOException e) {
            throw new MoeException("cannot read model bundle " + file + ": " + BundleEntries.reason(e));
        }
        return contents;
    }

    /**
     * A bundle from a stream (e.g. bytes broadcast to Spark executors), with the same checks, and no temporary file.
     *
     * @param name the bundle's file name, for messages; embedded experts see the current folder as theirs
     */
    public SavedMixture read(String name, InputStream in) {
        Path file = Path.of(name);
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 2));
        } catch (IOException e) {
            throw new MoeException("cannot read model bundle " + name + ": " + e.getMessage());
        }
        Map<String, byte[]> contents;
        try {
            contents = BundleEntries.read(BundleEntries.Source.of(bytes), file, ManifestReader.JSON);
        } catch (ZipException e) {
            throw new MoeException(file + ": not a moe model bundle, or truncated (" + BundleEntries.reason(e) + ")");
        } catch (java.io.EOFException e) {
            throw new MoeException(file + ": not a moe model bundle, or truncated (" + BundleEntries.reason(e) + ")");
        } catch (IOException e) {
            throw new MoeException("cannot read model bundle " + name + ": " + BundleEntries.reason(e));
        }
        return read(file, contents);
    }

    /** Reading, then validation, then assembly. */
    private SavedMixture read(Path file, Map<String, byte[]> contents) {
        BundleManifest manifest = ManifestReader.read(contents, file);
        ManifestReader.verifyEntries(manifest, contents, file);
        ProviderRegistry providers = plugins == null ? registry : plugins.apply(manifest, file);
        return new SavedMixture(file, manifest, new MixtureAssembly(providers, referencedFilesAllowed).build(manifest, contents, file),
                providers, configText(manifest, contents));
    }

    /**
     * The config the bundle was trained from, as it holds it ({@code moe train} keeps the file verbatim), from the
     * entries already read and verified; null when it holds none (a mixture saved from Java).
     */
    private static String configText(BundleManifest manifest, Map<String, byte[]> contents) {
        String entry = manifest.provenance() == null ? null : manifest.provenance().configEntry();
        byte[] text = entry == null ? null : contents.get(entry);
        return text == null ? null : new String(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
