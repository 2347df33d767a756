package dev.moe.gating.routing;

import dev.moe.api.Parameters;
import dev.moe.api.ParameterException;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code top-k}. */
public final class TopKRoutingProvider implements RoutingStrategyProvider {

    public static final int DEFAULT_K = 2;

    @Override
    public String name() {
        return TopKRouting.NAME;
    }

    @Override
    public String description() {
        return "softmax over each row's k largest logits; only those k experts run on the row";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of(
                "k", "how many experts each row goes to (default " + DEFAULT_K + ", at most the number of experts)",
                "temperature", "divides the logits before the softmax (default 1.0)");
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        parameters.requireOnly("k", "temperature");
        int k = k(parameters, expertCount);
        double t = parameters.real("temperature", 1.0);
        if (!(t > 0)) {
            throw new ParameterException(parameters.where() + ".temperature: must be positive, got " + t);
        }
        return new TopKRouting(k, t);
    }

    /** The {@code k} parameter, default {@value #DEFAULT_K} (or every expert when there are fewer). */
    static int k(Parameters parameters, int expertCount) {
        int k = parameters.integer("k", Math.min(DEFAULT_K, expertCount));
        if (k < 1 || k > expertCount) {
            throw new ParameterException(parameters.where() + ".k: must be between 1 and the number of experts ("
                    + expertCount + "), got " + k);
        }
        return k;
    }
}
