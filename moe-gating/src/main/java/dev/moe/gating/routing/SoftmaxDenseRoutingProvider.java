package dev.moe.gating.routing;

import dev.moe.api.Parameters;
import dev.moe.api.ParameterException;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code softmax-dense}. */
public final class SoftmaxDenseRoutingProvider implements RoutingStrategyProvider {

    @Override
    public String name() {
        return SoftmaxDenseRouting.NAME;
    }

    @Override
    public String description() {
        return "softmax over all experts' logits; every expert runs on every row";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("temperature", "divides the logits before the softmax (default 1.0)");
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        parameters.requireOnly("temperature");
        double t = parameters.real("temperature", 1.0);
        if (!(t > 0)) {
            throw new ParameterException(parameters.where() + ".temperature: must be positive, got " + t);
        }
        return new SoftmaxDenseRouting(t);
    }
}
