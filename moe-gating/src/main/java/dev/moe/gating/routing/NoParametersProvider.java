package dev.moe.gating.routing;

import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;
import java.util.function.Supplier;

/** A provider of a strategy that takes no parameters: any key given is a mistake worth naming. */
abstract class NoParametersProvider implements RoutingStrategyProvider {

    private final String name;
    private final String description;
    private final Supplier<RoutingStrategy> strategy;

    NoParametersProvider(String name, String description, Supplier<RoutingStrategy> strategy) {
        this.name = name;
        this.description = description;
        this.strategy = strategy;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public final RoutingStrategy create(Parameters parameters, int expertCount) {
        if (!parameters.asMap().isEmpty()) {
            String key = parameters.asMap().keySet().iterator().next();
            throw new ParameterException(parameters.where() + ": unknown key '" + key + "'; " + name + " takes no parameters");
        }
        return strategy.get();
    }
}
