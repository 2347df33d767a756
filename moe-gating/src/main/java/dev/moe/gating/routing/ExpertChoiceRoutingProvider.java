package dev.moe.gating.routing;

import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategy;
import dev.moe.api.RoutingStrategyProvider;
import java.util.Map;

/** Provides {@code expert-choice}. */
public final class ExpertChoiceRoutingProvider implements RoutingStrategyProvider {

    /** The paper's main setting: on average two experts per row. */
    public static final double DEFAULT_CAPACITY_FACTOR = 2.0;

    @Override
    public String name() {
        return ExpertChoiceRouting.NAME;
    }

    @Override
    public String description() {
        return "each expert takes its top rows of the batch (Zhou et al. 2022); a row no expert takes goes to its best one";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("capacity-factor", "experts per row on average: each expert takes capacity-factor * rows / experts rows"
                + " (default " + DEFAULT_CAPACITY_FACTOR + ", at most the number of experts)");
    }

    @Override
    public RoutingStrategy create(Parameters parameters, int expertCount) {
        parameters.requireOnly("capacity-factor");
        double c = parameters.real("capacity-factor", Math.min(DEFAULT_CAPACITY_FACTOR, expertCount));
        if (!(c > 0 && c <= expertCount)) {
            throw new ParameterException(parameters.where() + ".capacity-factor: must be above 0 and at most the number of experts ("
                    + expertCount + "), got " + c);
        }
        return new ExpertChoiceRouting(c);
    }
}
