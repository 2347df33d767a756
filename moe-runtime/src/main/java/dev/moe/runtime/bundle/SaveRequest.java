package dev.moe.runtime.bundle;

import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.evaluation.TribuoEvaluation;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a saved mixture records besides the model itself: how to create its strategy again, where each expert
 * came from, and the run's provenance.
 *
 * @param model          the trained mixture
 * @param featureNames   the data set's feature names: the columns the gate reads and the experts were aligned to
 * @param routingParams  the parameters its strategy was created with
 * @param experts        one per expert of the model, in its order
 * @param labelColumn    the data's label column, for evaluating on a labelled CSV later
 * @param provenance     config, data, seed, figures; {@code libraries} is filled in by the writer when null
 * @param configText     the config file's text, stored verbatim; null when there is none
 * @param columns        the input columns that are not plain numbers ({@link CategoricalEncoding#encoded()}): the
 *                       categorical ones with their levels (their {@code column=level} features are among
 *                       {@code featureNames}) and the filled ones with their medians ({@code column} and
 *                       {@code column=missing}); empty when every column is numeric without gaps
 * @param unlabelled     label cells that mean "no label" ({@code data.unlabelled}), for evaluating on a labelled CSV later
 */
public record SaveRequest(MixtureModel model, List<String> featureNames, Map<String, Object> routingParams, List<ExpertSource> experts,
                          String labelColumn, BundleManifest.Provenance provenance, String configText,
                          List<CategoricalEncoding.Column> columns, List<String> unlabelled) {

    public SaveRequest(MixtureModel model, List<String> featureNames, Map<String, Object> routingParams, List<ExpertSource> experts,
                       String labelColumn, BundleManifest.Provenance provenance, String configText,
                       List<CategoricalEncoding.Column> columns) {
        this(model, featureNames, routingParams, experts, labelColumn, provenance, configText, columns, List.of());
    }

    public SaveRequest(MixtureModel model, List<String> featureNames, Map<String, Object> routingParams, List<ExpertSource> experts,
                       String labelColumn, BundleManifest.Provenance provenance, String configText) {
        this(model, featureNames, routingParams, experts, labelColumn, provenance, configText, List.of());
    }

    public SaveRequest {
        Objects.requireNonNull(model, "model");
        featureNames = List.copyOf(featureNames);
        columns = columns == null ? List.of() : List.copyOf(columns);
        unlabelled = unlabelled == null ? List.of() : List.copyOf(unlabelled);
        CategoricalEncoding.of(featureNames, columns); // throws when a column's features are not among the features
        int gateColumns = model.gate().inputs().width(featureNames.size(), model.experts().size(), model.labelNames().size());
        if (gateColumns != model.gate().scaler().columns()) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for a gate reading "
                    + model.gate().scaler().columns() + " columns (" + model.gate().inputs().configName() + ")");
        }
        routingParams = routingParams == null ? Map.of() : routingParams;
        experts = List.copyOf(experts);
        labelColumn = labelColumn == null ? "label" : labelColumn;
        if (experts.size() != model.experts().size()) {
            throw new IllegalArgumentException(experts.size() + " expert sources for " + model.experts().size() + " experts");
        }
    }

    /**
     * Where one expert came from.
     *
     * @param provider      its provider's name
     * @param params        the config's parameters for it
     * @param baseDirectory the config's folder (relative paths in params resolve against it)
     * @param trained       whether the run trained it (else its provider loaded it)
     */
    public record ExpertSource(String provider, Map<String, Object> params, Path baseDirectory, boolean trained) {
        public ExpertSource {
            Objects.requireNonNull(provider, "provider");
            params = params == null ? Map.of() : params;
            Objects.requireNonNull(baseDirectory, "baseDirectory");
        }
    }

    /**
     * What to save for one trained run of a config: the strategy's and experts' config entries, the data's hashes,
     * the seed and the mixture's accuracy on the run's test rows ({@code testRows} of {@code data}).
     *
     * @param configText the config file's text (null when it has none)
     */
    public static SaveRequest of(MoeConfig config, MixtureModel model, Dataset data, int[] testRows, long seed,
                                 ProviderRegistry registry, String configText) {
        return of(config, model, data, CategoricalEncoding.none(data.featureNames()), testRows, seed, registry, configText);
    }

    /** As above, for data whose categorical and filled columns were encoded with {@code encoding}. */
    public static SaveRequest of(MoeConfig config, MixtureModel model, Dataset data, CategoricalEncoding encoding, int[] testRows,
                                 long seed, ProviderRegistry registry, String configText) {
        List<ExpertSource> experts = new ArrayList<>();
        for (int i = 0; i < config.experts().size(); i++) {
            MoeConfig.ExpertConfig e = config.experts().get(i);
            if (!e.id().equals(model.experts().get(i).id())) {
                throw new IllegalStateException("expert " + i + " is '" + model.experts().get(i).id() + "', the config says '" + e.id() + "'");
            }
            boolean trained = e.trainOrDefault(registry.expertProvider(e.provider()).canTrain());
            experts.add(new ExpertSource(e.provider(), e.params(), config.baseDirectory(), trained));
        }
        Double testAccuracy = null;
        if (testRows.length > 0) {
            Dataset test = data.subset(testRows);
            testAccuracy = TribuoEvaluation.evaluate(model.predict(test.features()).probabilities(), test.labels(),
                    data.labelNames()).accuracy();
        }
        String dataFileSha = null;
        if (CsvSource.NAME.equals(config.data().source()) && config.data().path() != null) {
            dataFileSha = BundleFormat.fileSha256(config.baseDirectory().resolve(config.data().path()).normalize());
        }
        BundleManifest.Provenance provenance = new BundleManifest.Provenance(
                config.source() == null ? null : config.source().toAbsolutePath().normalize().toString(),
                configText == null ? null : BundleFormat.CONFIG,
                seed, config.data().source(), data.name(), data.rows(), datasetSha256(data), dataFileSha,
                testRows.length, testAccuracy, null);
        String labelColumn = config.data().label() == null ? "label" : config.data().label();
        // The configured strategy's parameters belong to it alone: a chosen averaging or constant combiner has none.
        Map<String, Object> routingParams = model.strategy().name().equals(config.routing().strategyOrDefault())
                ? config.routing().params() : Map.of();
        return new SaveRequest(model, data.featureNames(), routingParams, experts, labelColumn, provenance, configText,
                encoding.encoded(), config.data().unlabelled());
    }

    /** SHA-256 of a data set as the program saw it: names, then features (float32) and labels, little-endian. */
    public static String datasetSha256(Dataset data) {
        MessageDigest digest = BundleFormat.sha256();
        for (String name : data.featureNames()) {
            digest.update(("f:" + name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        for (String name : data.labelNames()) {
            digest.update(("l:" + name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        digest.update(BundleFormat.floats(data.features().values()));
        ByteBuffer labels = ByteBuffer.allocate(data.labels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        labels.asIntBuffer().put(data.labels());
        digest.update(labels.array());
        return BundleFormat.hex(digest.digest());
    }
}
