package dev.moe.runtime.experiment;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.config.NearestName;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeSet;

/** Creates the routing strategy a config names, from the strategies bound by name (built-ins and plugins). */
public final class RoutingStrategies {

    private final Map<String, RoutingStrategyProvider> providers;

    @Inject
    public RoutingStrategies(Map<String, RoutingStrategyProvider> providers) {
        this.providers = Map.copyOf(providers);
    }

    public RoutingStrategy create(MoeConfig.RoutingConfig config, int expertCount) {
        String name = config.strategyOrDefault();
        RoutingStrategyProvider provider = providers.get(name);
        if (provider == null) {
            throw new MoeException("unknown routing strategy '" + name + "'" + NearestName.didYouMean(name, providers.keySet()) + "; known: " + String.join(", ", new TreeSet<>(providers.keySet())));
        }
        return provider.create(new Parameters("routing.params", config.params()), expertCount);
    }

    public Map<String, RoutingStrategyProvider> providers() {
        return providers;
    }
}
