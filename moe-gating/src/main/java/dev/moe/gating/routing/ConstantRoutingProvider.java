package dev.moe.gating.routing;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code constant}. */
public final class ConstantRoutingProvider implements RoutingStrategyProvider {

    @Override
    public String name() {
        return ConstantRouting.NAME;
    }

    @Override
    public String description() {
        return "one learned weight per expert for every row (a weighted soft vote: Tribuo's weighted ensemble); a baseline";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        NoParameters.require(parameters, name());
        return new ConstantRouting();
    }
}
