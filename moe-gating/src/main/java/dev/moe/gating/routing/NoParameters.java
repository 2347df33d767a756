package dev.moe.gating.routing;

import dev.moe.api.ParameterException;
import dev.moe.api.Parameters;

/** The check for strategies that take no parameters: any key is a mistake worth naming. */
final class NoParameters {

    private NoParameters() {
    }

    static void require(Parameters parameters, String strategy) {
        if (!parameters.asMap().isEmpty()) {
            String key = parameters.asMap().keySet().iterator().next();
            throw new ParameterException(parameters.where() + ": unknown key '" + key + "'; " + strategy + " takes no parameters");
        }
    }
}
