package dev.moe.runtime.plugins;

import dev.moe.api.ExpertProvider;
import dev.moe.api.RoutingStrategyProvider;
import dev.moe.runtime.MoeException;
import dev.moe.api.NearestName;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every expert provider and routing strategy the program can use: those on the class path, and those in
 * a plugins folder. Each jar in the folder, and each sub-folder of jars, gets its own {@link PluginClassLoader}:
 * the SPI from moe, everything else from the plugin first, so plugins see moe-api but not each other, and may
 * bring their own versions of libraries moe also uses. Providers are found by ServiceLoader.
 */
public final class ProviderRegistry {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProviderRegistry.class);

    /**
     * What a plugin's class loader is named, before the plugin's path: a stack frame's class loader name then says
     * which plugin's code ran ({@link #pluginOf}).
     */
    public static final String PLUGIN_LOADER_PREFIX = "moe-plugin-";

    /** Why one plugin that does not load stops a run that may not use it: its names are unknown, so a clash is too. */
    private static final String WHY_EVERY_PLUGIN = " (every plugin in the folder is loaded before the config is read:"
            + " its provider names are unknown until then; move it out of the folder to run without it)";

    /** A provider and where it was found: {@code classpath} or the plugin's jar or folder. */
    public record Found<T>(T provider, String origin) {

        /** Where it came from, for listings: for a plugin also its jar's version, when the jar states one. */
        public String describe() {
            if (origin == null || origin.startsWith("classpath")) {
                return origin; // the class path's jar names carry their versions
            }
            JarCoordinates coordinates = JarCoordinates.ofClass(provider.getClass());
            return coordinates == null || coordinates.version() == null ? origin
                    : origin + ", " + (coordinates.artifact() == null ? "" : coordinates.artifact() + " ") + coordinates.version();
        }
    }

    private final Map<String, Found<ExpertProvider>> expertProviders;
    private final Map<String, Found<RoutingStrategyProvider>> routingProviders;

    private ProviderRegistry(Map<String, Found<ExpertProvider>> expertProviders,
                             Map<String, Found<RoutingStrategyProvider>> routingProviders) {
        this.expertProviders = Collections.unmodifiableMap(expertProviders);
        this.routingProviders = Collections.unmodifiableMap(routingProviders);
    }

    /** The class path's providers only. */
    public static ProviderRegistry fromClassPath() {
        return discover(ProviderRegistry.class.getClassLoader(), null);
    }

    /**
     * @param hostLoader    the class path's loader (the parent of every plugin loader)
     * @param pluginsFolder a folder of plugin jars and sub-folders, or null for none
     * @throws MoeException naming the file: unreadable jar, a jar without providers, a duplicate name
     */
    public static ProviderRegistry discover(ClassLoader hostLoader, Path pluginsFolder) {
        return withPlugins(hostLoader, pluginsFolder == null ? List.of() : pluginEntries(pluginsFolder));
    }

    /**
     * @param plugins exactly the plugins to load: jars, or folders of jars (a plugin with its libraries)
     * @throws MoeException naming the file: unreadable jar, a jar without providers, a duplicate name
     */
    public static ProviderRegistry withPlugins(ClassLoader hostLoader, List<Path> plugins) {
        Map<String, Found<ExpertProvider>> experts = new TreeMap<>();
        Map<String, Found<RoutingStrategyProvider>> strategies = new TreeMap<>();
        load(ExpertProvider.class, hostLoader, null, experts, ExpertProvider::name, "expert provider");
        load(RoutingStrategyProvider.class, hostLoader, null, strategies, RoutingStrategyProvider::name, "routing strategy");
        {
            for (Path plugin : plugins) {
                ClassLoader loader = pluginLoader(plugin, hostLoader);
                int found = load(ExpertProvider.class, loader, plugin, experts, ExpertProvider::name, "expert provider")
                        + load(RoutingStrategyProvider.class, loader, plugin, strategies, RoutingStrategyProvider::name, "routing strategy");
                if (found == 0) {
                    throw new MoeException(plugin + ": no expert provider or routing strategy in this plugin"
                            + " (it needs META-INF/services/dev.moe.api.ExpertProvider or dev.moe.api.RoutingStrategyProvider)");
                }
                LOG.info("plugin {}: {} provider(s) loaded", plugin, found);
            }
        }
        return new ProviderRegistry(experts, strategies);
    }

    private static List<Path> pluginEntries(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new MoeException("plugins folder not found: " + folder);
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new MoeException("cannot list plugins folder " + folder + ": " + e.getMessage());
        }
    }

    private static ClassLoader pluginLoader(Path plugin, ClassLoader parent) {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(plugin)) {
            try (Stream<Path> entries = Files.list(plugin)) {
                entries.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
            } catch (IOException e) {
                throw new MoeException("cannot list plugin folder " + plugin + ": " + e.getMessage());
            }
            if (jars.isEmpty()) {
                throw new MoeException(plugin + ": plugin folder contains no jar");
            }
        } else {
            jars.add(plugin);
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            try (JarFile ignored = new JarFile(jar.toFile())) {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new MoeException(jar + ": bad plugin path: " + e.getMessage());
            } catch (IOException e) {
                throw new MoeException(jar + ": not a readable jar: " + e.getMessage());
            }
        }
        return new PluginClassLoader(PLUGIN_LOADER_PREFIX + plugin, urls, parent);
    }

    /** Loads the providers defined by {@code loader} itself (not its parents); returns how many. */
    private static <T> int load(Class<T> service, ClassLoader loader, Path plugin, Map<String, Found<T>> into,
                                java.util.function.Function<T, String> nameOf, String kind) {
        int count = 0;
        try {
            for (ServiceLoader.Provider<T> candidate : ServiceLoader.load(service, loader).stream().toList()) {
                if (plugin != null && candidate.type().getClassLoader() != loader) {
                    continue; // the host's provider, seen again through the parent loader
                }
                T provider = candidate.get();
                String origin = plugin != null ? plugin.toString() : classPathOrigin(candidate.type());
                String name = nameOf.apply(provider);
                if (name == null || name.isBlank()) {
                    // A config names providers by this: null failed in the map as a bare NullPointerException.
                    throw new MoeException(origin + ": " + kind + " " + provider.getClass().getName() + " has no name (its name()"
                            + " returned " + (name == null ? "null" : "'" + name + "'") + ")" + (plugin == null ? "" : WHY_EVERY_PLUGIN));
                }
                if (provider instanceof ExpertProvider expert && (expert.parameters() == null || expert.parameters().stream().anyMatch(java.util.Objects::isNull))) {
                    // Read by every listing and config check: null there was an internal error naming no plugin.
                    throw new MoeException(origin + ": " + kind + " '" + name + "' (" + provider.getClass().getName() + ") declares"
                            + " its parameters as " + expert.parameters() + "; parameters() must list them (List.of() for none)"
                            + (plugin == null ? "" : WHY_EVERY_PLUGIN));
                }
                Found<T> previous = into.putIfAbsent(name, new Found<>(provider, origin));
                if (previous != null) {
                    throw new MoeException(kind + " '" + name + "' is offered twice: by " + previous.origin() + " and by " + origin
                            + "; a config names providers by name, so keep one of them (two versions of one plugin?), or"
                            + " rename one provider");
                }
                LOG.debug("{} '{}' ({}) from {}", kind, name, provider.getClass().getName(), origin);
                count++;
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new MoeException((plugin == null ? "class path" : plugin.toString()) + ": cannot load " + kind + ": "
                    + whyNotLoaded(e, service) + (plugin == null ? "" : WHY_EVERY_PLUGIN), e);
        } catch (RuntimeException e) {
            if (e instanceof MoeException) {
                throw e;
            }
            throw new MoeException((plugin == null ? "class path" : plugin.toString()) + ": " + kind + " failed while loading: " + e
                    + (plugin == null ? "" : WHY_EVERY_PLUGIN), e);
        }
        return count;
    }

    /** The provider class a {@link ServiceConfigurationError}'s message names, for the JDK's wordings of it. */
    private static final java.util.regex.Pattern NAMED_CLASS = java.util.regex.Pattern.compile(
            "(?:Provider |class |: )([\\p{L}\\p{N}_$.]+)(?: could not be instantiated| not found| not a subtype| Unable to get)");

    /**
     * Why a provider could not be loaded, in words its author can act on: which class, and what to change. The JDK's
     * own messages name neither the cause of a static initialiser's failure nor the Java version a class was built for.
     */
    static String whyNotLoaded(Throwable error, Class<?> service) {
        String message = String.valueOf(error.getMessage());
        java.util.regex.Matcher named = NAMED_CLASS.matcher(message);
        String type = named.find() ? named.group(1) : null;
        Throwable cause = error instanceof ServiceConfigurationError && error.getCause() != null ? error.getCause() : error;
        String services = "META-INF/services/" + service.getName();
        if (cause instanceof LinkageError linkage && missingFromSpi(linkage) != null) {
            return missingFromSpi(linkage);
        }
        if (cause instanceof UnsupportedClassVersionError version) {
            return builtForNewerJava(version);
        }
        if (cause instanceof ExceptionInInitializerError init) {
            Throwable thrown = init.getCause() != null ? init.getCause() : init;
            return "class " + (type != null ? type : "?") + " failed in its static initialiser: " + firstLine(thrown)
                    + " (fix the plugin's static fields or blocks; run with --debug for the stack trace)";
        }
        if (cause instanceof NoSuchMethodException) {
            return "class " + (type != null ? type : "?") + " has no public constructor without arguments, which a provider"
                    + " needs (ServiceLoader creates it so; settings come in each expert's params)";
        }
        if (message.contains("could not be instantiated")) {
            return "the constructor of " + type + " threw " + firstLine(cause) + " (a provider's constructor runs whenever the"
                    + " plugins folder is read: leave work that can fail to load() or train())";
        }
        if (message.contains(" not found") && type != null) {
            return services + " names class " + type + ", which is in none of the plugin's jars (a typo in the file, or a"
                    + " class left out of the jar)";
        }
        if (message.contains(" not a subtype") && type != null) {
            return services + " names class " + type + ", which does not implement " + service.getName();
        }
        if (message.contains("Illegal provider-class name") && message.contains("\uFEFF")) {
            return services + " begins with a byte-order mark, which ServiceLoader reads as part of the class name: save"
                    + " it as UTF-8 without one";
        }
        if (message.contains("Illegal provider-class name") || message.contains("Illegal configuration-file syntax")) {
            return services + " is malformed: " + message.substring(message.indexOf(": ") + 2).replace('\uFEFF', ' ')
                    + " (one fully qualified class name a line; # starts a comment)";
        }
        return firstLine(error.getCause() != null ? error.getCause() : error);
    }

    /**
     * A class compiled for a newer Java than the one running moe: which Java it needs, and the two ways out.
     *
     * @param error the JVM's refusal, whose message holds the class and its class file version
     * @return one sentence
     */
    public static String builtForNewerJava(UnsupportedClassVersionError error) {
        String message = String.valueOf(error.getMessage());
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("class file version (\\d+)").matcher(message);
        int running = Runtime.version().feature();
        String type = message.contains(" ") ? message.substring(0, message.indexOf(' ')).replace('/', '.') : "?";
        if (!version.find()) {
            return "class " + type + " was compiled for a newer Java than this one (" + running + "): " + message;
        }
        int java = Integer.parseInt(version.group(1)) - 44; // class file 61 is Java 17
        return "class " + type + " was compiled for Java " + java + " (class file version " + version.group(1) + "), and moe"
                + " runs on Java " + running + ": build the plugin with --release " + running + " (Maven:"
                + " <maven.compiler.release>" + running + "</maven.compiler.release>), or run moe on Java " + java + " or later";
    }

    private static String firstLine(Throwable t) {
        String text = String.valueOf(t);
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    /**
     * The plugin whose code was running when {@code error} (or one of its causes) was thrown: the innermost frame of a
     * class a plugin's loader defined. Lets a top-level handler name the plugin behind an error moe did not expect,
     * such as a {@link NoClassDefFoundError} for a library jar missing from the plugin's folder.
     *
     * @param error any throwable
     * @return the plugin's jar or folder, as it was loaded; null when no plugin code is on the stack
     */
    public static Path pluginOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                String loader = frame.getClassLoaderName();
                if (loader != null && loader.startsWith(PLUGIN_LOADER_PREFIX)) {
                    return Path.of(loader.substring(PLUGIN_LOADER_PREFIX.length()));
                }
            }
        }
        return null;
    }

    /**
     * What a plugin built against a newer moe-api needs of the SPI that this moe's lacks: a class or member of
     * {@code dev.moe.api} the JVM could not link. Told apart from a library jar missing from the plugin's folder, which
     * the same errors mean for any other package.
     *
     * @param error a linkage error thrown by a plugin's code
     * @return a sentence saying so, naming the missing class or member; null when the error is not about the SPI
     */
    public static String missingFromSpi(LinkageError error) {
        String message = String.valueOf(error.getMessage());
        String missing = null;
        if (error instanceof NoClassDefFoundError && message.startsWith("dev/moe/api/")) {
            missing = "class " + message.replace('/', '.');
        } else if ((error instanceof NoSuchMethodError || error instanceof NoSuchFieldError) && message.contains("dev.moe.api.")) {
            missing = message;
        }
        return missing == null ? null : "it needs " + missing + ", which this moe's SPI (moe-api "
                + dev.moe.runtime.MoeVersion.get() + ") lacks: the plugin was built against a newer moe-api; run it with"
                + " the moe it was built for, or rebuild it against this one";
    }

    private static String classPathOrigin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "classpath";
        }
        String location = source.getLocation().getPath();
        return "classpath (" + location.substring(location.lastIndexOf('/', location.length() - 2) + 1) + ")";
    }

    public Map<String, Found<ExpertProvider>> expertProviders() {
        return expertProviders;
    }

    public Map<String, Found<RoutingStrategyProvider>> routingProviders() {
        return routingProviders;
    }

    public ExpertProvider expertProvider(String name) {
        Found<ExpertProvider> found = expertProviders.get(name);
        if (found == null && MOE_MODULES.containsKey(name)) {
            throw new MoeException("expert provider '" + name + "' is " + moeModule(name) + ", which is not on this class path: add"
                    + " it (Maven: beside moe-library; a Spark job: its jar and its libraries in --jars); known here: "
                    + String.join(", ", expertProviders.keySet()));
        }
        if (found == null) {
            throw new MoeException("unknown expert provider '" + name + "'" + NearestName.didYouMean(name, expertProviders.keySet()) + "; known: " + String.join(", ", expertProviders.keySet())
                    + " (a plugin's provider needs its jar in the plugins folder or on the class path)");
        }
        return found.provider();
    }

    /**
     * moe's own expert providers, each in a module of its own (so that code pulls in only the libraries it uses: ONNX
     * Runtime alone is 93 MB), by provider name. A program can lack one (a Java program depending on moe-library, which
     * brings nd4j-mlp and tribuo only): its name then says which module to add. (A saved mixture that needs one names
     * the module's jar from its own record: MixtureAssembly.)
     */
    private static final Map<String, String> MOE_MODULES = Map.of(
            "nd4j-mlp", "moe-expert-nd4j", "tribuo", "moe-expert-tribuo", "onnx", "moe-expert-onnx",
            "xgboost", "moe-expert-xgboost");

    /** {@return "moe's module dev.moe:ARTIFACT" for one of moe's own providers, else null} */
    private static String moeModule(String provider) {
        String artifact = MOE_MODULES.get(provider);
        return artifact == null ? null : "moe's module dev.moe:" + artifact;
    }

    /** Strategy providers by name, for the Guice map binding. */
    public Map<String, RoutingStrategyProvider> routingProvidersByName() {
        Map<String, RoutingStrategyProvider> out = new LinkedHashMap<>();
        routingProviders.forEach((name, found) -> out.put(name, found.provider()));
        return out;
    }
}
