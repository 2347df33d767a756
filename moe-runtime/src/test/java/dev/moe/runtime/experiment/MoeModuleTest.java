package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import dev.moe.gating.routing.TopKRouting;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MoeModuleTest {

    private static Injector injector(String routing) {
        MoeConfig config = ConfigLoader.parse("data: { source: synthetic-seed }\nexperts:\n"
                + "  - { id: a, provider: nd4j-mlp }\n  - { id: b, provider: nd4j-mlp }\n  - { id: c, provider: nd4j-mlp }\n"
                + routing, Path.of("t.yaml"));
        return Guice.createInjector(new MoeModule(config, ProviderRegistry.fromClassPath()));
    }

    @Test
    void bindsTheConfiguredStrategyWithItsParameters() {
        RoutingStrategy topK = injector("routing: { strategy: top-k, params: { k: 3 } }\n").getInstance(RoutingStrategy.class);
        assertEquals(3, assertInstanceOf(TopKRouting.class, topK).k());
        assertInstanceOf(SoftmaxDenseRouting.class, injector("").getInstance(RoutingStrategy.class));
    }

    @Test
    void unknownStrategyListsTheKnownOnes() {
        ProvisionException e = assertThrows(ProvisionException.class,
                () -> injector("routing: { strategy: top-two }\n").getInstance(RoutingStrategy.class));
        String message = e.getCause().getMessage();
        assertTrue(message.startsWith("routing.strategy: unknown routing strategy 'top-two'; known: "), message);
        assertTrue(message.contains("softmax-dense, ") && message.contains("top-k"), message);
    }

    @Test
    void aMistypedStrategyNamesTheNearestOne() {
        ProvisionException e = assertThrows(ProvisionException.class,
                () -> injector("routing: { strategy: sofmax-dense }\n").getInstance(RoutingStrategy.class));
        assertTrue(e.getCause().getMessage().startsWith("routing.strategy: unknown routing strategy 'sofmax-dense' (did you mean 'softmax-dense'?); known: "),
                e.getCause().getMessage());
    }
}
