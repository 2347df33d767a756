package dev.moe.api;

import java.util.Map;

/**
 * Creates a {@link RoutingStrategy} from its config entry. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.moe.api.RoutingStrategyProvider}), so a plugin can add a strategy.
 */
public interface RoutingStrategyProvider {

    /** {@return the name a config uses in {@code routing.strategy}} */
    String name();

    /** {@return one line for {@code moe strategies}} */
    String description();

    /** {@return each parameter the strategy takes, by name, with a short description including its default} */
    Map<String, String> parameters();

    /**
     * A strategy built from its config entry.
     *
     * @param parameters  the {@code routing.params} entry of the config
     * @param expertCount how many experts the mixture has, for checks such as {@code k <= experts}
     * @return a strategy for a mixture of {@code expertCount} experts
     * @throws ParameterException naming the key when a parameter is wrong
     */
    RoutingStrategy create(Parameters parameters, int expertCount);
}
