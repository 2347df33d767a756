package dev.moe.runtime.experiment;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.api.NearestName;
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
            throw unknown("routing.strategy", name, providers.keySet());
        }
        return provider.create(new Parameters("routing.params", config.params()), expertCount);
    }

    /**
     * The error for a strategy name no provider offers, nearest known name first.
     *
     * @param key where the name was given ({@code routing.strategy}, whose line the CLI then adds; {@code --strategy})
     */
    public static MoeException unknown(String key, String name, java.util.Set<String> known) {
        return new MoeException(key + ": unknown routing strategy '" + name + "'" + NearestName.didYouMean(name, known) + "; known: "
                + String.join(", ", new TreeSet<>(known)));
    }

    public Map<String, RoutingStrategyProvider> providers() {
        return providers;
    }
}
