package dev.moe.gating.routing;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code product}. */
public final class ProductRoutingProvider implements RoutingStrategyProvider {

    @Override
    public String name() {
        return ProductRouting.NAME;
    }

    @Override
    public String description() {
        return "a weighted product of the experts (one learned exponent per expert, every row alike): an expert sure that a label is wrong can veto it";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        NoParameters.require(parameters, name());
        return new ProductRouting();
    }
}
