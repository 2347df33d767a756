package dev.moe.spark;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleManifest;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.PluginConsent;
import dev.moe.runtime.bundle.SavedMixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * Plugins on a cluster. The driver reads a bundle as {@code moe predict} does (exactly the plugin jars it records,
 * from the plugins folder the user named, each checked by SHA-256: a missing one is one line before any job), then
 * adds those jars (or plugin folders) to the job as files. Each executor finds them in its {@link SparkFiles} folder
 * and loads them through the same consent and the same isolated class loaders as the CLI: as files, not as job jars,
 * so that a plugin never lands on the class path moe and the other plugins share.
 */
final class ShippedPlugins {

    /** Where a Spark ML stage, loaded without arguments, finds plugins when the job does not say: this conf key. */
    static final String PLUGINS_CONF = "spark.moe.plugins";

    private ShippedPlugins() {
    }

    /**
     * The plugins folder in force: {@code given}, else the session's {@value #PLUGINS_CONF}, else {@code $MOE_PLUGINS};
     * null for none.
     */
    static Path folder(SparkSession spark, Path given) {
        if (given != null) {
            return given;
        }
        String conf = spark.conf().get(PLUGINS_CONF, "");
        if (!conf.isBlank()) {
            return Path.of(conf);
        }
        return envFolder();
    }

    /** The folder {@code $MOE_PLUGINS} names, or null when it is unset or blank. */
    static Path envFolder() {
        String env = System.getenv("MOE_PLUGINS");
        return env == null || env.isBlank() ? null : Path.of(env);
    }

    /** The driver's read of a bundle: its recorded plugins from {@code pluginsFolder} (null: none), as the CLI reads it. */
    static SavedMixture read(Path model, Path pluginsFolder) {
        return BundleReader.withPluginConsent(pluginsFolder, SparkMixture.class.getClassLoader()).read(model);
    }

    /**
     * Adds the plugins the bundle records to the job. A bundle that needs plugins is read again first (the driver's
     * copy may come from a cache, read with another folder): a plugin missing here is one line before any job starts.
     */
    static void ship(SparkSession spark, Path model, SavedMixture mixture, Path pluginsFolder) {
        BundleManifest m = mixture.manifest();
        boolean needsPlugins = m.plugins() != null ? !m.plugins().isEmpty()
                : m.experts().stream().anyMatch(e -> e.plugin() != null && e.origin() != null && !e.origin().startsWith("classpath"));
        if (!needsPlugins) {
            return;
        }
        read(model, pluginsFolder);
        for (Path unit : PluginConsent.pluginUnits(m, model, pluginsFolder)) {
            // A plugin folder keeps its name and its jars: the executor's loader then sees what the driver's saw.
            spark.sparkContext().addFile(unit.toAbsolutePath().toString(), Files.isDirectory(unit));
        }
    }

    /**
     * The executor's reader: the plugins the bundle records, from the files shipped with the job (on the driver in
     * local mode, the same folder, where {@code SparkContext.addFile} put them too).
     */
    static BundleReader executorReader() {
        Path shipped;
        try {
            shipped = Path.of(SparkFiles.getRootDirectory());
        } catch (RuntimeException e) {
            throw new MoeException("no Spark files folder on this executor: " + e.getMessage());
        }
        return BundleReader.withPluginConsent(Files.isDirectory(shipped) ? shipped : null, SparkMixture.class.getClassLoader());
    }
}
