package dev.moe.gating.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.Parameters;
import dev.moe.api.RoutingStrategyProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The service file registers every built-in strategy, each creating a strategy of its own name. */
class RoutingStrategyProvidersTest {

    @Test
    void everyBuiltInStrategyIsRegistered() {
        List<String> names = new ArrayList<>();
        for (RoutingStrategyProvider provider : ServiceLoader.load(RoutingStrategyProvider.class)) {
            names.add(provider.name());
            assertEquals(provider.name(), provider.create(Parameters.empty("routing.params"), 3).name());
        }
        assertEquals(List.of("softmax-dense", "top-k", "noisy-top-k", "switch", "expert-choice", "constant", "uniform", "product"), names);
    }
}
