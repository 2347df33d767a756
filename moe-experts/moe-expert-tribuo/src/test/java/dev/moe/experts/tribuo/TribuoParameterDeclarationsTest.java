package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.ParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TribuoParameterDeclarationsTest {

    /** {@code moe experts} lists the declarations: they must name every key some mode or algorithm takes, and no other. */
    @Test
    void theDeclaredParametersAreExactlyTheKeysTheProviderAccepts() {
        Set<String> accepted = new TreeSet<>(List.of("model", ProbabilityMode.KEY));
        for (TrainingAlgorithm algorithm : TrainingAlgorithm.values()) {
            accepted.addAll(Arrays.asList(algorithm.allowedKeys()));
        }
        Set<String> declared = new TreeSet<>();
        new TribuoExpertProvider().parameters().stream().map(ParameterSpec::name).forEach(declared::add);
        assertEquals(accepted, declared);
        assertEquals(declared.size(), new TribuoExpertProvider().parameters().size(), "a key declared twice");
    }
}
