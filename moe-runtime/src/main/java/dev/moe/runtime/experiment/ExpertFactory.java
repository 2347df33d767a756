package dev.moe.runtime.experiment;

import dev.moe.api.Expert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.TrainingSet;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.plugins.ContextLoader;
import dev.moe.runtime.plugins.ProviderRegistry;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each configured expert through its provider: trains it on its subset, or loads it. An entry whose provider
 * is {@link #IN_MEMORY} is an expert given in code (the Java API): it is taken from {@code inMemory} by its id.
 */
public final class ExpertFactory {

    /** The provider name of experts given in code rather than built by a provider; never a provider's name. */
    public static final String IN_MEMORY = "(in-memory)";

    /**
     * An expert given in code: one already trained, or a function that trains one on the rows it is handed (under
     * cross-fitting once per fold, and once on every training row).
     */
    public interface InMemoryExpert {

        /** Whether {@link #build} trains (and so uses its rows); else it returns the same expert every time. */
        boolean trains();

        /**
         * @param rows the expert's training rows; null when it does not train
         * @param seed for anything random in the training
         */
        Expert build(TrainingSet rows, long seed);
    }
    private static final Logger LOG = LoggerFactory.getLogger(ExpertFactory.class);

    private final ProviderRegistry registry;
    private final Map<String, InMemoryExpert> inMemory;

    @Inject
    public ExpertFactory(ProviderRegistry registry) {
        this(registry, Map.of());
    }

    /** @param inMemory experts given in code, by id: the entries whose provider is {@link #IN_MEMORY} */
    public ExpertFactory(ProviderRegistry registry, Map<String, InMemoryExpert> inMemory) {
        this.registry = registry;
        this.inMemory = Map.copyOf(inMemory);
    }

    /** Whether this config entry trains its expert (else the provider loads it). */
    public boolean trains(MoeConfig.ExpertConfig config) {
        if (isInMemory(config)) {
            return inMemory.get(config.id()).trains();
        }
        return config.trainOrDefault(providerOf(config).canTrain());
    }

    /** Whether the entry is an expert given in code (a config naming the reserved provider gets the unknown-provider error). */
    private boolean isInMemory(MoeConfig.ExpertConfig config) {
        return IN_MEMORY.equals(config.provider()) && inMemory.containsKey(config.id());
    }

    /**
     * @param rows the expert's training rows (ignored when it is loaded)
     */
    public Expert create(MoeConfig.ExpertConfig config, Dataset data, int[] rows, Path baseDirectory, long seed) {
        if (isInMemory(config)) {
            InMemoryExpert given = inMemory.get(config.id());
            if (!given.trains()) {
                return given.build(null, seed);
            }
            if (rows.length == 0) {
                throw new MoeException("experts[" + config.id() + "]: its subset of the training rows is empty");
            }
            return given.build(trainingSet(config, data, rows), seed);
        }
        ExpertProvider provider = providerOf(config);
        ExpertSpec spec = new ExpertSpec(config.id(), config.provider(), parameters(config), baseDirectory, seed);
        spec.parameters().checkDeclared(provider.parameters());
        if (!config.trainOrDefault(provider.canTrain())) {
            if (!provider.canLoad()) {
                throw new MoeException("experts[" + config.id() + "]: provider '" + provider.name()
                        + "' only trains experts; it cannot load one (remove train: false)");
            }
            Expert loaded = run(provider, config, "load", () -> provider.load(spec));
            LOG.debug("expert '{}' loaded by provider '{}'", config.id(), provider.name());
            return loaded;
        }
        if (!provider.canTrain()) {
            throw new MoeException("experts[" + config.id() + "]: provider '" + provider.name()
                    + "' cannot train; give it a pretrained model or set train: false");
        }
        if (rows.length == 0) {
            throw new MoeException("experts[" + config.id() + "]: its subset of the training rows is empty");
        }
        TrainingSet training = trainingSet(config, data, rows);
        long start = System.nanoTime();
        Expert trained = run(provider, config, "train", () -> provider.train(spec, training));
        LOG.info("expert '{}' trained by provider '{}' on {} rows, {} features in {} ms", config.id(), provider.name(),
                training.rows(), training.featureNames().size(), (System.nanoTime() - start) / 1_000_000);
        return trained;
    }

    /**
     * Checks every expert's parameters against what its provider declares (unknown keys, wrong types), before
     * anything is trained: a typo in the last expert stops the run at once, naming its key.
     */
    public void checkParameters(List<MoeConfig.ExpertConfig> experts) {
        for (MoeConfig.ExpertConfig config : experts) {
            parameters(config).checkDeclared(providerOf(config).parameters());
        }
    }

    /** The entry's provider; an unknown name is reported at the entry's {@code provider} key, for its line. */
    private ExpertProvider providerOf(MoeConfig.ExpertConfig config) {
        try {
            return registry.expertProvider(config.provider());
        } catch (MoeException e) {
            throw new MoeException("experts[" + config.id() + "].provider: " + e.getMessage(), e);
        }
    }

    private static Parameters parameters(MoeConfig.ExpertConfig config) {
        return new Parameters("experts[" + config.id() + "].params", config.params());
    }

    private static TrainingSet trainingSet(MoeConfig.ExpertConfig config, Dataset data, int[] rows) {
        List<String> features = config.subset().features();
        FloatMatrix x = data.features().selectRows(rows);
        if (features != null) {
            int[] columns = new int[features.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = data.featureNames().indexOf(features.get(i));
                if (columns[i] < 0) {
                    throw new MoeException("experts[" + config.id() + "].subset.features: no feature '" + features.get(i)
                            + "' in the data (features: " + String.join(", ", data.featureNames()) + ")");
                }
            }
            x = x.selectColumns(columns);
        }
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = data.labels()[rows[i]];
        }
        return new TrainingSet(x, y, features != null ? features : data.featureNames(), data.labelNames());
    }

    /**
     * A provider's train or load, with a plugin's failure named: the expert, the provider and its jar. An exception a
     * plugin did not mean for the user (a bug of its own) was reported by the stack frames it came from at best, and
     * in Java not at all; one from a provider on the class path stays an internal error. A null is refused here:
     * further on it was "internal error: NullPointerException: expert".
     */
    private Expert run(ExpertProvider provider, MoeConfig.ExpertConfig config, String method, Supplier<Expert> action) {
        ProviderRegistry.Found<ExpertProvider> found = registry.expertProviders().get(config.provider());
        String named = "experts[" + config.id() + "]: provider '" + config.provider() + "' (" + found.describe() + ")";
        Expert expert;
        try {
            expert = ContextLoader.withLoaderOf(provider, action::get);
        } catch (MoeException | ExpertException | ParameterException e) {
            throw e; // meant for the user, and already saying what is wrong
        } catch (RuntimeException e) {
            if (found.origin() == null || found.origin().startsWith("classpath")) {
                throw e;
            }
            throw new MoeException(named + " failed in " + method + "(): " + e, e);
        }
        if (expert == null) {
            throw new MoeException(named + " returned no expert from " + method + "()");
        }
        return expert;
    }
}
