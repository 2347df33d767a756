package dev.moe.gating.routing;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code uniform}. */
public final class UniformRoutingProvider implements RoutingStrategyProvider {

    @Override
    public String name() {
        return UniformRouting.NAME;
    }

    @Override
    public String description() {
        return "every expert weighted 1/experts on every row (plain averaging); a baseline";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        NoParameters.require(parameters, name());
        return new UniformRouting();
    }
}
