package dev.moe.runtime.experiment;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import dev.moe.gating.training.GateTrainer;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.DataSource;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.util.Objects;

/**
 * Wires an experiment from its config: data sources and routing strategies are map bindings keyed by the
 * name a config uses, so a plugin's strategy joins the same map as the built-ins.
 */
public final class MoeModule extends AbstractModule {

    private final MoeConfig config;
    private final ProviderRegistry registry;

    public MoeModule(MoeConfig config, ProviderRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    protected void configure() {
        bind(MoeConfig.class).toInstance(config);
        bind(ProviderRegistry.class).toInstance(registry);
        bind(GateTrainer.class).toInstance(new GateTrainer());

        MapBinder<String, DataSource> dataSources = MapBinder.newMapBinder(binder(), String.class, DataSource.class);
        dataSources.addBinding(SyntheticSeedSource.NAME).to(SyntheticSeedSource.class);
        dataSources.addBinding(CsvSource.NAME).to(CsvSource.class);

        MapBinder<String, RoutingStrategyProvider> strategies =
                MapBinder.newMapBinder(binder(), String.class, RoutingStrategyProvider.class);
        registry.routingProvidersByName().forEach((name, provider) -> strategies.addBinding(name).toInstance(provider));
    }

    /** The strategy the config names, with its parameters checked against the number of experts. */
    @Provides
    @Singleton
    RoutingStrategy routingStrategy(RoutingStrategies strategies) {
        return strategies.create(config.routing(), config.experts().size());
    }
}
