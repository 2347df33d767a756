package dev.moe.runtime.bundle;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.ExpertCalibration;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.mixture.GateInputs;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Activation;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.plugins.ContextLoader;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the mixture a checked manifest describes: the providers and strategy it names must be installed (all
 * missing ones are named at once); experts come back through their providers (embedded ones read from the bundle,
 * referenced ones loaded again) and must read and predict the features and labels the bundle recorded.
 */
final class MixtureAssembly {

    private final ProviderRegistry registry;
    private final boolean referencedFilesAllowed;

    MixtureAssembly(ProviderRegistry registry, boolean referencedFilesAllowed) {
        this.registry = registry;
        this.referencedFilesAllowed = referencedFilesAllowed;
    }

    /** The mixture the checked manifest and entries describe: gate, experts (through their providers), strategy. */
    MixtureModel build(BundleManifest m, Map<String, byte[]> contents, Path file) {
        checkProvidersPresent(m, file);
        GateNetwork gate = gate(m, contents, file);
        List<AlignedExpert> experts = new ArrayList<>();
        for (int i = 0; i < m.experts().size(); i++) {
            BundleManifest.ExpertEntry entry = m.experts().get(i);
            Expert expert = expert(entry, contents, file);
            try {
                experts.add(AlignedExpert.align(expert, m.featureNames(), m.labelNames()));
            } catch (ExpertException e) {
                throw new MoeException(file + ": " + e.getMessage());
            }
        }
        if (gate.outputSize() != experts.size()) {
            throw new MoeException(file + ": the gate has " + gate.outputSize() + " outputs for " + experts.size()
                    + " experts: the bundle is corrupt");
        }
        RoutingStrategy strategy = strategy(m, experts.size(), file);
        return new MixtureModel(gate, strategy, experts, calibrations(m, contents, experts.size(), file),
                m.labelNames());
    }

    /** All missing providers and strategies at once, with the plugin each came from, before anything is built. */
    private void checkProvidersPresent(BundleManifest m, Path file) {
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean fromPlugins = false;
        boolean fromClassPath = false;
        for (BundleManifest.ExpertEntry e : m.experts()) {
            if (!registry.expertProviders().containsKey(e.provider()) && seen.add(e.provider())) {
                missing.add("expert provider '" + e.provider() + "'" + from(recorded(m, e.plugin()), e.origin()));
                fromClassPath |= onClassPath(e.origin());
                fromPlugins |= !onClassPath(e.origin());
            }
        }
        if (!registry.routingProviders().containsKey(m.strategy().name())) {
            missing.add("routing strategy '" + m.strategy().name() + "'" + from(null, m.strategy().origin()));
            fromClassPath |= onClassPath(m.strategy().origin());
            fromPlugins |= !onClassPath(m.strategy().origin());
        }
        if (!missing.isEmpty()) {
            List<String> advice = new ArrayList<>();
            if (fromPlugins) {
                advice.add("add the plugin's jar, or its folder of jars, to the plugins folder: --plugins DIR, or Mixture.load(file, pluginsFolder) in Java");
            }
            if (fromClassPath) {
                // A saved mixture loads from a plugins folder only the jars it records, and these it does not: the
                // plugins-folder advice led nowhere for a built-in provider left out of a Spark job's --jars.
                advice.add("what was on moe's class path when the mixture was saved loads from the class path only: put its jar"
                        + " and the jars it needs on it again (a Spark job: in --jars, from moe-spark/target/submit-lib)");
            }
            throw new MoeException(file + ": needs " + String.join(" and ", missing) + ", not installed here (known expert providers: "
                    + String.join(", ", registry.expertProviders().keySet()) + "; " + String.join("; ", advice) + ")");
        }
    }

    /** Whether a provider or strategy came from moe's class path (built in, or a jar on -cp), not a plugins folder. */
    private static boolean onClassPath(String origin) {
        return origin != null && origin.startsWith("classpath");
    }

    /** The bundle's record of an expert's plugin jar: with the libraries of its folder, when it was one. */
    private static BundleManifest.PluginRef recorded(BundleManifest m, BundleManifest.PluginRef plugin) {
        if (plugin == null || plugin.sha256() == null || m.plugins() == null) {
            return plugin;
        }
        return m.plugins().stream().filter(p -> plugin.sha256().equalsIgnoreCase(p.sha256())).findFirst().orElse(plugin);
    }

    private static String from(BundleManifest.PluginRef plugin, String origin) {
        if (plugin == null) {
            return origin == null ? "" : " (from " + origin + ")";
        }
        // A plugin with libraries is installed as its folder: the jar alone would not run.
        String jars = plugin.libraries() == null || plugin.libraries().isEmpty() ? plugin.jar()
                : "a folder of " + plugin.jar() + " and " + plugin.libraries().size() + " library jar"
                + (plugin.libraries().size() == 1 ? "" : "s");
        if (plugin.artifact() != null) {
            return (onClassPath(origin) ? " (on the class path: " : " (plugin ") + plugin.artifact() + (plugin.version() == null ? "" : " " + plugin.version()) + ", " + jars + ")";
        }
        return " (from " + jars + ")";
    }

    private static List<ExpertCalibration> calibrations(BundleManifest m, Map<String, byte[]> contents, int experts, Path file) {
        if (m.gate().calibration() == null) {
            return ExpertCalibration.identities(experts);
        }
        try {
            float[] pairs = BundleFormat.floats(contents.get(m.gate().calibration()));
            if (pairs.length != 2 * experts) {
                throw new IllegalArgumentException(pairs.length / 2 + " calibrations for " + experts + " experts");
            }
            List<ExpertCalibration> calibrations = new ArrayList<>();
            for (int k = 0; k < experts; k++) {
                calibrations.add(new ExpertCalibration(pairs[2 * k], pairs[2 * k + 1]));
            }
            return calibrations;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MoeException(file + ": the experts' calibration is corrupt: " + e.getMessage());
        }
    }

    private static GateNetwork gate(BundleManifest m, Map<String, byte[]> contents, Path file) {
        BundleManifest.Gate g = m.gate();
        try {
            int[] sizes = g.sizes().stream().mapToInt(Integer::intValue).toArray();
            List<Activation> activations = g.activations().stream().map(Activation::fromConfigName).toList();
            float[] means = BundleFormat.floats(contents.get(g.means()));
            float[] scales = BundleFormat.floats(contents.get(g.scales()));
            float[] parameters = BundleFormat.floats(contents.get(g.parameters()));
            GateInputs inputs = g.inputs() == null ? GateInputs.FEATURES : GateInputs.fromConfigName(g.inputs());
            int width = inputs.width(m.featureNames().size(), m.experts().size(), m.labelNames().size());
            if (means.length != width) {
                throw new IllegalArgumentException(means.length + " means for " + width + " gate inputs (" + inputs.configName() + ")");
            }
            return GateNetwork.of(new FeatureScaler(means, scales), sizes, activations, g.dropout() == null ? 0.0 : g.dropout(),
                    parameters, inputs);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MoeException(file + ": the gate is corrupt: " + e.getMessage());
        }
    }

    private Expert expert(BundleManifest.ExpertEntry entry, Map<String, byte[]> contents, Path file) {
        ProviderRegistry.Found<ExpertProvider> found = registry.expertProviders().get(entry.provider());
        ExpertProvider provider = found.provider();
        String where = file + ": expert '" + entry.id() + "'";
        Expert expert;
        try {
            if (BundleFormat.EMBEDDED.equals(entry.storage())) {
                checkPluginMajorVersion(entry, provider, where);
                byte[] bytes = contents.get(entry.entry());
                ExpertSpec spec = new ExpertSpec(entry.id(), entry.provider(), Parameters.empty(entry.entry()),
                        file.toAbsolutePath().getParent(), 0L);
                expert = ContextLoader.withLoaderOf(provider, () -> {
                    try (InputStream in = new ByteArrayInputStream(bytes)) {
                        return provider.read(spec, in);
                    }
                });
            } else if (BundleFormat.REFERENCE.equals(entry.storage())) {
                checkPluginVersion(entry, provider, where);
                Path base = entry.baseDirectory() == null ? file.toAbsolutePath().getParent() : Path.of(entry.baseDirectory());
                if (!referencedFilesAllowed) {
                    checkReferencedFiles(entry.params(), base, where, "params");
                }
                ExpertSpec spec = new ExpertSpec(entry.id(), entry.provider(),
                        new Parameters("experts[" + entry.id() + "].params", entry.params() == null ? Map.of() : entry.params()),
                        base, 0L);
                expert = ContextLoader.withLoaderOf(provider, () -> provider.load(spec));
            } else {
                throw new MoeException(file + ": " + BundleFormat.MANIFEST + " is corrupt: expert '" + entry.id()
                        + "' has unknown storage '" + entry.storage() + "'");
            }
        } catch (MoeException e) {
            throw e;
        } catch (ExpertException | ParameterException e) {
            throw new MoeException(where + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MoeException(where + ": cannot read it: " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new MoeException(where + ": provider '" + entry.provider() + "'" + from(Origins.jarOf(provider.getClass()), found.origin())
                    + " failed while loading it: " + e, e);
        }
        if (expert == null) {
            throw new MoeException(where + ": provider '" + entry.provider() + "' returned no expert");
        }
        if (!expert.featureNames().equals(entry.featureNames())) {
            throw new MoeException(where + " now reads " + expert.featureNames().size() + " features " + expert.featureNames()
                    + ", but was saved reading " + entry.featureNames().size() + " " + entry.featureNames()
                    + "; its provider '" + entry.provider() + "' has changed");
        }
        if (!expert.labelNames().equals(entry.labelNames())) {
            throw new MoeException(where + " now predicts labels " + expert.labelNames() + ", but was saved predicting "
                    + entry.labelNames() + "; its provider '" + entry.provider() + "' has changed");
        }
        return expert;
    }

    /**
     * An expert stored by reference is loaded again from its parameters: a bundle from elsewhere could make moe open
     * any file through them. Only resources inside plugins ({@code classpath:}) pass, unless the user allowed files.
     */
    private static void checkReferencedFiles(Object value, Path base, String where, String key) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> checkReferencedFiles(v, base, where, key + "." + k));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkReferencedFiles(list.get(i), base, where, key + "[" + i + "]");
            }
        } else if (value instanceof String s && !s.startsWith("classpath:")) {
            boolean file = s.contains("/") || s.contains("\\") || s.startsWith("~") || s.equals("..");
            try {
                file = file || (!s.isBlank() && Files.exists(base.resolve(s)));
            } catch (RuntimeException ignored) {
                // not a path at all
            }
            if (file) {
                throw new MoeException(where + ": " + key + " names the file '" + s + "', outside any plugin; a bundle may "
                        + "reference only resources inside its plugins (classpath:...). If you trust this bundle, pass "
                        + "--allow-referenced-files (Mixture.load(file, pluginsFolder, true) in Java)");
            }
        }
    }

    /**
     * An embedded expert is read by its provider's own format: a plugin of another major version may read it
     * differently, or not at all, so it is refused in one line; a minor or patch version is trusted to read it.
     */
    private static void checkPluginMajorVersion(BundleManifest.ExpertEntry entry, ExpertProvider provider, String where) {
        BundleManifest.PluginRef saved = entry.plugin();
        BundleManifest.PluginRef now = Origins.jarOf(provider.getClass());
        if (saved == null || now == null) {
            return;
        }
        String savedMajor = major(saved.version());
        String nowMajor = major(now.version());
        if (savedMajor != null && nowMajor != null && !savedMajor.equals(nowMajor)) {
            String name = saved.artifact() == null ? saved.jar() : saved.artifact();
            throw new MoeException(where + " was saved with plugin " + name + " " + saved.version() + ", but the installed "
                    + (now.artifact() == null ? now.jar() : now.artifact()) + " is " + now.version() + ", another major version"
                    + " that may read it differently; install " + name + " " + savedMajor + ".x, or train the mixture again");
        }
    }

    /** The major version: the digits before the first dot ({@code 1} of {@code 1.0.2-SNAPSHOT}); null when not a number. */
    static String major(String version) {
        if (version == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d{1,9})(?:[.\\-]|$)").matcher(version.trim());
        return m.find() ? String.valueOf(Integer.parseInt(m.group(1))) : null;
    }

    /** A referenced expert lives in its plugin's jar: another version of the plugin may hold another model. */
    private static void checkPluginVersion(BundleManifest.ExpertEntry entry, ExpertProvider provider, String where) {
        BundleManifest.PluginRef saved = entry.plugin();
        BundleManifest.PluginRef now = Origins.jarOf(provider.getClass());
        if (saved != null && now != null && saved.version() != null && now.version() != null
                && !saved.version().equals(now.version())) {
            throw new MoeException(where + " was saved with " + (saved.artifact() == null ? saved.jar() : saved.artifact())
                    + " " + saved.version() + ", but the installed " + (now.artifact() == null ? now.jar() : now.artifact())
                    + " is " + now.version() + "; its model lives in the plugin, so install version " + saved.version());
        }
    }

    private RoutingStrategy strategy(BundleManifest m, int expertCount, Path file) {
        RoutingStrategyProvider provider = registry.routingProviders().get(m.strategy().name()).provider();
        Map<String, Object> params = m.strategy().params() == null ? Map.of() : m.strategy().params();
        try {
            return ContextLoader.withLoaderOf(provider, () -> provider.create(new Parameters(file + ": strategy.params", params), expertCount));
        } catch (ParameterException | ExpertException e) {
            throw new MoeException(e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new MoeException(file + ": routing strategy '" + m.strategy().name() + "' failed while loading: " + e, e);
        }
    }
}
