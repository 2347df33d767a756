package dev.moe.api;

import java.util.Map;

/**
 * Creates a {@link RoutingStrategy} from its config entry. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.moe.api.RoutingStrategyProvider}), so a plugin can add a strategy.
 */
public interface RoutingStrategyProvider {

    /** The name a config uses in {@code routing.strategy}. */
    String name();

    /** One line for {@code moe strategies}. */
    String description();

    /** Each parameter the strategy takes, with a short description including its default. */
    Map<String, String> parameters();

    /**
     * @param parameters  the {@code routing.params} entry of the config
     * @param expertCount how many experts the mixture has, for checks such as {@code k <= experts}
     * @throws ParameterException naming the key when a parameter is wrong
     */
    RoutingStrategy create(Parameters parameters, int expertCount);
}
