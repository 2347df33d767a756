package dev.moe.runtime.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.routing.ConstantRouting;
import dev.moe.gating.routing.ProductRouting;
import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a saved mixture is, where it comes from and what it needs, read from its manifest and the gate's entries
 * after the checks loading makes (format version, every entry's size and SHA-256), with none of its code run: no
 * expert provider, strategy or plugin is loaded, so an untrusted bundle is safe to inspect. Written as JSON by
 * Jackson field for field, so scripts read the same facts {@code moe inspect} prints.
 *
 * @param file          the bundle as given
 * @param fileBytes     its size on disk
 * @param verified      always true: a bundle that fails a check is refused with the message loading gives
 * @param format        {@link BundleFormat#FORMAT}
 * @param formatVersion the layout's version
 * @param createdBy     the program and version that wrote it
 * @param createdAt     when, ISO-8601
 * @param combiner      the strategy and the gate
 * @param labelColumn   the label column it was trained on
 * @param features      the columns it reads, in the gate's order
 * @param labels        the labels it predicts
 * @param experts       the experts, in the gate's order
 * @param provenance    the manifest's record of the run (config, data, seed, test accuracy, library versions)
 * @param configSha256  the SHA-256 of the config the bundle holds; null when it holds none
 * @param pluginsFolder the folder the plugins were looked for in; null when none was given
 * @param plugins       the plugin jars whose code it runs, each as {@code moe predict} would find it
 * @param entries       every entry but the manifest, with its size and SHA-256
 * @param categorical   the categorical input columns, each with its levels in feature order ({@code column=level}
 *                      features); null when every column is numeric
 * @param fill          the filled numeric columns, each with its median; null when none is filled
 * @param unlabelled    label cells that meant "no label" in the training data ({@code data.unlabelled}), whose rows an
 *                      evaluation on a labelled file leaves out too; null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleInspection(String file, long fileBytes, boolean verified, String format, int formatVersion,
                               String createdBy, String createdAt, Combiner combiner, String labelColumn,
                               List<String> features, List<String> labels, List<Expert> experts,
                               BundleManifest.Provenance provenance, String configSha256, String pluginsFolder,
                               List<Plugin> plugins, Map<String, Entry> entries, List<BundleManifest.Categorical> categorical,
                               List<BundleManifest.Filled> fill, List<String> unlabelled) {

    /**
     * @param strategy    the routing strategy's name
     * @param params      the parameters it was created with
     * @param description its own description at save time
     * @param origin      where its provider came from when saved
     * @param gateInputs  what the gate reads (features, signals, experts, both)
     * @param gateSizes   the gate network's layer sizes, inputs first, one output per expert
     * @param activations one per hidden layer
     * @param dropout     while training
     * @param parameters  how many numbers the gate holds
     * @param calibrated  whether each expert's probabilities are calibrated (temperature, floor) before combining
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Combiner(String strategy, Map<String, Object> params, String description, String origin, String gateInputs,
                           List<Integer> gateSizes, List<String> activations, Double dropout, int parameters,
                           boolean calibrated) { }

    /**
     * @param bytes       the embedded model's size; null for a reference
     * @param exponent    its exponent in a product of experts (the same for every row); null for other strategies
     * @param weight      its weight under constant routing (the same for every row); null for other strategies
     * @param temperature its calibration's temperature; null when uncalibrated
     * @param floor       its calibration's floor; null when uncalibrated
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Expert(String id, String provider, String storage, String entry, Long bytes, String origin,
                         BundleManifest.PluginRef plugin, Map<String, Object> params, List<String> features,
                         List<String> labels, Double exponent, Double weight, Float temperature, Float floor) { }

    /** How a recorded plugin stands in the plugins folder. */
    public enum Status {
        /** No plugins folder was given ({@code --plugins}, {@code $MOE_PLUGINS}): loading would not find it. */
        unchecked,
        /** Not in the folder: loading names the provider as not installed. */
        missing,
        /** In the folder with the recorded bytes (and libraries): loading takes it. */
        matches,
        /** In the folder with other bytes, or its folder's libraries differ: loading refuses it. */
        differs,
        /**
         * The bundle records no SHA-256 for it (saved by an older moe), so no jar can be checked against it: loading
         * refuses it whatever the folder holds; {@code found} says whether a jar of its name is there.
         */
        unverifiable
    }

    /**
     * @param found   the jar taken for it, or null
     * @param problem why loading would refuse it, in loading's words; null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Plugin(String jar, String artifact, String version, String sha256, Map<String, String> libraries,
                         Status status, String found, String problem) { }

    /** One entry: its uncompressed size and SHA-256. */
    public record Entry(long bytes, String sha256) { }

    /**
     * Reads and checks {@code file} as loading does, then describes it.
     *
     * @param pluginsFolder where {@code moe predict} would look for its plugins; null for nowhere
     * @throws MoeException naming the file and the first problem, in the words loading uses
     */
    public static BundleInspection of(Path file, Path pluginsFolder) {
        Map<String, byte[]> contents = BundleReader.contentsOf(file);
        BundleManifest m = ManifestReader.read(contents, file);
        ManifestReader.verifyEntries(m, contents, file);
        long fileBytes;
        try {
            fileBytes = Files.size(file);
        } catch (IOException e) {
            throw new MoeException("cannot read model bundle " + file + ": " + e.getMessage());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        m.entries().forEach((name, sha) -> entries.put(name, new Entry(contents.get(name).length, sha)));

        BundleManifest.Gate g = m.gate();
        int[] sizes = g.sizes().stream().mapToInt(Integer::intValue).toArray();
        float[] gateParameters = floats(contents, g.parameters(), file, "the gate");
        if (sizes.length < 2 || gateParameters.length != Mlp.parameterCount(sizes)) {
            throw new MoeException(file + ": the gate is corrupt: layer sizes " + g.sizes() + " need "
                    + (sizes.length < 2 ? "an input and an output size" : Mlp.parameterCount(sizes) + " parameters, got "
                    + gateParameters.length));
        }
        int expertCount = m.experts().size();
        float[] calibration = g.calibration() == null ? null : floats(contents, g.calibration(), file, "the experts' calibration");
        if (calibration != null && calibration.length != 2 * expertCount) {
            throw new MoeException(file + ": the experts' calibration is corrupt: " + calibration.length / 2 + " calibrations for "
                    + expertCount + " experts");
        }
        double[] exponents = null;
        double[] weights = null;
        float[] logits = Mlp.constantLogits(sizes, gateParameters);
        boolean builtIn = m.strategy().origin() == null || m.strategy().origin().startsWith("classpath");
        if (logits != null && logits.length == expertCount && builtIn) {
            if (ProductRouting.NAME.equals(m.strategy().name())) {
                exponents = new double[expertCount];
                for (int k = 0; k < expertCount; k++) {
                    exponents[k] = ProductRouting.fittedExponent(logits[k]);
                }
            } else if (ConstantRouting.NAME.equals(m.strategy().name())) {
                weights = softmax(logits);
            }
        }

        List<Expert> experts = new ArrayList<>();
        for (int k = 0; k < expertCount; k++) {
            BundleManifest.ExpertEntry e = m.experts().get(k);
            Long bytes = e.entry() == null || contents.get(e.entry()) == null ? null : (long) contents.get(e.entry()).length;
            experts.add(new Expert(e.id(), e.provider(), e.storage(), e.entry(), bytes, e.origin(), e.plugin(), e.params(),
                    e.featureNames(), e.labelNames(), exponents == null ? null : exponents[k], weights == null ? null : weights[k],
                    calibration == null ? null : calibration[2 * k], calibration == null ? null : calibration[2 * k + 1]));
        }
        Combiner combiner = new Combiner(m.strategy().name(), m.strategy().params(), m.strategy().description(),
                m.strategy().origin(), g.inputs() == null ? "features" : g.inputs(), g.sizes(), g.activations(), g.dropout(),
                gateParameters.length, calibration != null);

        List<Plugin> plugins = new ArrayList<>();
        for (PluginConsent.Check c : PluginConsent.check(m, file, pluginsFolder)) {
            BundleManifest.PluginRef r = c.ref();
            Status status = pluginsFolder == null ? Status.unchecked : r.sha256() == null ? Status.unverifiable
                    : c.matches() ? Status.matches : c.problem() != null ? Status.differs : Status.missing;
            plugins.add(new Plugin(r.jar(), r.artifact(), r.version(), r.sha256(), r.libraries(), status,
                    c.found() == null ? null : c.found().toString(), c.problem()));
        }
        String configEntry = m.provenance() == null ? null : m.provenance().configEntry();
        return new BundleInspection(file.toString(), fileBytes, true, m.format(), m.formatVersion(), m.createdBy(),
                m.createdAt(), combiner, m.labelColumn(), m.featureNames(), m.labelNames(), experts, m.provenance(),
                configEntry == null ? null : m.entries().get(configEntry),
                pluginsFolder == null ? null : pluginsFolder.toString(), plugins, entries, m.categorical(), m.fill(), m.unlabelled());
    }

    /** These facts as one JSON object, indented, for scripts. */
    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new MoeException("cannot write the description of " + file + " as JSON: " + e.getMessage());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static float[] floats(Map<String, byte[]> contents, String entry, Path file, String what) {
        try {
            return BundleFormat.floats(contents.get(entry));
        } catch (IllegalArgumentException e) {
            throw new MoeException(file + ": " + what + " is corrupt: " + e.getMessage());
        }
    }

    /** Constant routing's weights: the softmax of the gate's logits, the same for every row. */
    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double[] w = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            w[k] = Math.exp(logits[k] - max);
            sum += w[k];
        }
        for (int k = 0; k < w.length; k++) {
            w[k] /= sum;
        }
        return w;
    }
}
