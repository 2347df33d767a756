package dev.moe.gating.routing;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code switch}. */
public final class SwitchRoutingProvider implements RoutingStrategyProvider {

    @Override
    public String name() {
        return SwitchRouting.NAME;
    }

    @Override
    public String description() {
        return "top-1 (Switch Transformer): each row goes to one expert; straight-through gradient from the router's softmax";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        NoParameters.require(parameters, name());
        return new SwitchRouting();
    }
}
