package dev.moe.runtime.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvider;
import dev.moe.api.RoutingStrategyProvider;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Activation;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.io.AtomicFiles;
import dev.moe.runtime.plugins.ContextLoader;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Saves a trained mixture as a bundle ({@link BundleFormat}), atomically: a crash or an error mid-write leaves the
 * previous file at the target as it was.
 *
 * <p>Each expert is embedded when its provider can save it; an expert that a provider loaded (a pretrained model,
 * e.g. one a plugin ships) and cannot save is recorded by reference: provider, plugin jar and version, parameters.
 * An expert that was trained and cannot be saved is refused before anything is written.
 */
public final class BundleWriter {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ProviderRegistry registry;
    private final dev.moe.api.io.AtomicFiles.Commit commit;

    public BundleWriter(ProviderRegistry registry) {
        this(registry, dev.moe.api.io.AtomicFiles.RENAME);
    }

    /** With another last step than the rename, for tests that fail between writing and renaming. */
    BundleWriter(ProviderRegistry registry, dev.moe.api.io.AtomicFiles.Commit commit) {
        this.registry = registry;
        this.commit = commit;
    }

    /**
     * @return the manifest written
     * @throws MoeException naming the target and the expert when an expert cannot be saved, or the file cannot be written
     */
    public BundleManifest write(SaveRequest request, Path target) {
        MixtureModel model = request.model();
        List<Planned> plan = plan(request, target);
        String createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        long time = Instant.parse(createdAt).toEpochMilli();
        BundleManifest[] written = new BundleManifest[1];
        AtomicFiles.write(target, "model bundle", out -> {
            BundleEntries.Sized zip = new BundleEntries.Sized(new KeepOpen(out));
            Map<String, String> entries = new LinkedHashMap<>();
            GateNetwork gate = model.gate();
            put(zip, entries, time, BundleFormat.GATE_MEANS, BundleFormat.floats(gate.scaler().means()));
            put(zip, entries, time, BundleFormat.GATE_SCALES, BundleFormat.floats(gate.scaler().scales()));
            put(zip, entries, time, BundleFormat.GATE_PARAMETERS, BundleFormat.floats(gate.parameterValues()));
            if (calibrated(model)) {
                float[] pairs = new float[2 * model.calibrations().size()];
                for (int k = 0; k < model.calibrations().size(); k++) {
                    pairs[2 * k] = (float) model.calibrations().get(k).temperature();
                    pairs[2 * k + 1] = (float) model.calibrations().get(k).floor();
                }
                put(zip, entries, time, BundleFormat.GATE_CALIBRATION, BundleFormat.floats(pairs));
            }
            List<BundleManifest.ExpertEntry> experts = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                Planned p = plan.get(i);
                String entry = null;
                if (p.embedded) {
                    entry = BundleFormat.expertEntry(i, p.expert.id());
                    saveExpert(zip, entries, time, entry, p, target);
                }
                experts.add(new BundleManifest.ExpertEntry(p.expert.id(), p.source.provider(),
                        p.embedded ? BundleFormat.EMBEDDED : BundleFormat.REFERENCE, entry, p.source.params(),
                        p.embedded ? null : p.source.baseDirectory().toString(), p.origin, p.plugin,
                        p.expert.featureNames(), p.expert.labelNames(), new LinkedHashMap<>(p.expert.provenance())));
            }
            if (request.configText() != null) {
                put(zip, entries, time, BundleFormat.CONFIG, request.configText().getBytes(StandardCharsets.UTF_8));
            }
            BundleManifest manifest = new BundleManifest(BundleFormat.FORMAT, BundleFormat.versionFor(
                    request.columns().stream().anyMatch(CategoricalEncoding.Column::categorical),
                    request.columns().stream().anyMatch(CategoricalEncoding.Column::filled)),
                    "moe " + Origins.libraries().get("moe"), createdAt, request.labelColumn(),
                    request.featureNames(), model.labelNames(),
                    strategy(request), gateEntry(model), experts, provenance(request), entries,
                    PluginConsent.pluginsOf(plan(plan), strategyProvider(request)), zip.sizes(),
                    request.columns().stream().noneMatch(CategoricalEncoding.Column::categorical) ? null : request.columns().stream()
                            .filter(CategoricalEncoding.Column::categorical)
                            .map(c -> new BundleManifest.Categorical(c.name(), c.levels())).toList(),
                    request.columns().stream().noneMatch(CategoricalEncoding.Column::filled) ? null : request.columns().stream()
                            .filter(CategoricalEncoding.Column::filled)
                            .map(c -> new BundleManifest.Filled(c.name(), c.median())).toList(),
                    request.unlabelled().isEmpty() ? null : request.unlabelled());
            ZipEntry manifestEntry = new ZipEntry(BundleFormat.MANIFEST);
            manifestEntry.setTime(time);
            zip.putNextEntry(manifestEntry);
            zip.write(JSON.writeValueAsBytes(manifest));
            zip.closeEntry();
            zip.finish();
            written[0] = manifest;
        }, commit);
        return written[0];
    }

    private static List<ProviderRegistry.Found<?>> plan(List<Planned> plan) {
        List<ProviderRegistry.Found<?>> found = new ArrayList<>();
        for (Planned p : plan) {
            found.add(new ProviderRegistry.Found<>(p.provider, p.origin));
        }
        return found;
    }

    /**
     * Refuses, before anything is trained, a config that trains an expert with a provider that never saves: one that
     * keeps {@link ExpertProvider#canSave}'s default (false), whose trained experts {@link #write} would refuse after
     * the whole training. A provider that writes canSave is asked after training, expert by expert, as before.
     *
     * @param experts the config's experts
     * @param target  the bundle to be written, for the message
     * @throws MoeException naming the first such expert and its provider
     */
    public void refuseNeverSaved(List<MoeConfig.ExpertConfig> experts, Path target) {
        for (MoeConfig.ExpertConfig e : experts) {
            ProviderRegistry.Found<ExpertProvider> found = registry.expertProviders().get(e.provider());
            if (found != null && e.trainOrDefault(found.provider().canTrain()) && neverSaves(found.provider())) {
                throw new MoeException(unsavable(target, e.id(), "would be", found.provider().name()) + "; nothing was trained");
            }
        }
    }

    private static boolean neverSaves(ExpertProvider provider) {
        try {
            return provider.getClass().getMethod("canSave", Expert.class).getDeclaringClass() == ExpertProvider.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String unsavable(Path target, String expert, String wasOrWouldBe, String provider) {
        return "cannot save " + target + ": expert '" + expert + "' " + wasOrWouldBe + " trained by provider '" + provider
                + "', which cannot save its experts (it does not implement canSave/save/read), and a trained expert cannot be loaded"
                + " again from its parameters";
    }

    private ProviderRegistry.Found<?> strategyProvider(SaveRequest request) {
        return registry.routingProviders().get(request.model().strategy().name());
    }

    private record Planned(AlignedExpert aligned, Expert expert, SaveRequest.ExpertSource source, ExpertProvider provider,
                           boolean embedded, String origin, BundleManifest.PluginRef plugin) { }

    private List<Planned> plan(SaveRequest request, Path target) {
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < request.experts().size(); i++) {
            AlignedExpert aligned = request.model().experts().get(i);
            Expert expert = aligned.expert();
            SaveRequest.ExpertSource source = request.experts().get(i);
            ProviderRegistry.Found<ExpertProvider> found = registry.expertProviders().get(source.provider());
            if (found == null) {
                registry.expertProvider(source.provider()); // throws the registry's message, which lists the known ones
            }
            ExpertProvider provider = found.provider();
            boolean embedded;
            try {
                embedded = ContextLoader.withLoaderOf(provider, () -> provider.canSave(expert));
            } catch (RuntimeException | LinkageError e) {
                throw failed(target, expert, provider, "failed to say whether it can save it", e);
            }
            if (!embedded && source.trained()) {
                throw new MoeException(neverSaves(provider) ? unsavable(target, expert.id(), "was", provider.name())
                        : "cannot save " + target + ": expert '" + expert.id() + "' was trained by provider '" + provider.name()
                        + "', whose canSave returned false for it (" + expert.getClass().getName() + "), and a trained expert"
                        + " cannot be loaded again from its parameters");
            }
            plan.add(new Planned(aligned, expert, source, provider, embedded, found.origin(), Origins.jarOf(provider.getClass())));
        }
        return plan;
    }

    private static void saveExpert(ZipOutputStream zip, Map<String, String> entries, long time, String entry, Planned p,
                                   Path target) throws IOException {
        ZipEntry zipEntry = new ZipEntry(entry);
        zipEntry.setTime(time);
        zip.putNextEntry(zipEntry);
        MessageDigest digest = BundleFormat.sha256();
        DigestOutputStream out = new DigestOutputStream(new KeepOpen(zip), digest);
        try {
            ContextLoader.withLoaderOf(p.provider, () -> {
                p.provider.save(p.expert, out);
                return null;
            });
        } catch (ExpertException | MoeException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw failed(target, p.expert, p.provider, "failed to save it", e);
        }
        out.flush();
        zip.closeEntry();
        entries.put(entry, BundleFormat.hex(digest.digest()));
    }

    private static MoeException failed(Path target, Expert expert, ExpertProvider provider, String what, Throwable e) {
        return new MoeException("cannot save " + target + ": expert '" + expert.id() + "': provider '" + provider.name()
                + "' " + what + ": " + e, e);
    }

    private static void put(ZipOutputStream zip, Map<String, String> entries, long time, String name, byte[] bytes)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(time);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
        entries.put(name, BundleFormat.sha256(bytes));
    }

    private BundleManifest.Strategy strategy(SaveRequest request) {
        String name = request.model().strategy().name();
        ProviderRegistry.Found<RoutingStrategyProvider> found = registry.routingProviders().get(name);
        return new BundleManifest.Strategy(name, request.routingParams(), request.model().strategy().describe(),
                found == null ? null : found.origin());
    }

    private static BundleManifest.Gate gateEntry(MixtureModel model) {
        GateNetwork gate = model.gate();
        List<Integer> sizes = Arrays.stream(gate.sizes()).boxed().toList();
        List<String> activations = gate.activations().stream().map(Activation::configName).toList();
        return new BundleManifest.Gate(sizes, activations, gate.dropout(), BundleFormat.GATE_MEANS,
                BundleFormat.GATE_SCALES, BundleFormat.GATE_PARAMETERS, model.gate().inputs().configName(),
                calibrated(model) ? BundleFormat.GATE_CALIBRATION : null);
    }

    private static boolean calibrated(MixtureModel model) {
        return model.calibrations().stream().anyMatch(c -> !c.isIdentity());
    }

    private static BundleManifest.Provenance provenance(SaveRequest request) {
        BundleManifest.Provenance p = request.provenance();
        if (p == null) {
            return new BundleManifest.Provenance(null, null, null, null, null, null, null, null, null, null, Origins.libraries());
        }
        return p.libraries() != null ? p : new BundleManifest.Provenance(p.configFile(), p.configEntry(), p.seed(),
                p.dataSource(), p.data(), p.dataRows(), p.dataSha256(), p.dataFileSha256(), p.testRows(), p.testAccuracy(),
                Origins.libraries());
    }

    /** Lets a nested writer (zip, provider) close or finish without closing the stream underneath. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
