package dev.moe.gating.routing;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code noisy-top-k}. */
public final class NoisyTopKRoutingProvider implements RoutingStrategyProvider {

    @Override
    public String name() {
        return NoisyTopKRouting.NAME;
    }

    @Override
    public String description() {
        return "top-k with learned Gaussian noise on the logits while training (Shazeer et al. 2017); none at inference";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("k", "how many experts each row goes to (default " + TopKRoutingProvider.DEFAULT_K
                + ", at most the number of experts)");
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        parameters.requireOnly("k");
        return new NoisyTopKRouting(TopKRoutingProvider.k(parameters, expertCount));
    }
}
