package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.ExpertProvider;
import dev.moe.api.ParameterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expert providers' declared parameters: listed by {@code moe experts}, checked against configs with file and line. */
class ExpertParametersTest {

    @TempDir
    Path dir;

    @Test
    void expertsListsEveryDeclaredParameterOfBothBuiltInProviders() {
        MainTest.Result r = MainTest.moe("experts");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        int checked = 0;
        for (ExpertProvider provider : ServiceLoader.load(ExpertProvider.class)) {
            int header = lines.indexOf(lines.stream().filter(l -> l.startsWith(provider.name() + "  (")).findFirst().orElseThrow());
            List<String> block = lines.subList(header + 2, header + 2 + provider.parameters().size());
            for (int i = 0; i < provider.parameters().size(); i++) {
                ParameterSpec spec = provider.parameters().get(i);
                assertTrue(block.get(i).trim().startsWith(spec.name() + " (" + spec.type().label() + ")"), block.get(i));
                assertTrue(spec.choices().isEmpty() || block.get(i).contains("one of " + String.join(" | ", spec.choices())), block.get(i));
                assertTrue(block.get(i).contains(spec.description()), block.get(i));
            }
            checked++;
        }
        assertEquals(4, checked, "nd4j-mlp, onnx, tribuo and xgboost are on the test class path");
        for (String key : List.of("k", "distance", "trees", "eta", "max-depth", "min-child-weight", "impurity", "minibatch-size")) {
            assertTrue(lines.stream().anyMatch(l -> l.trim().startsWith(key + " (")), key + " missing from:\n" + r.out());
        }
    }

    @Test
    void anUndeclaredKeyStopsTheRunBeforeTrainingWithFileLineAndSuggestion() throws Exception {
        Path config = dir.resolve("exp.yaml");
        Files.writeString(config, MainTest.SMALL.replace(
                "- { id: expert3, provider: nd4j-mlp, subset: { labels: [\"0\", \"2\"] }, params: { hidden: 8, epochs: 60,",
                "- { id: expert3, provider: nd4j-mlp, subset: { labels: [\"0\", \"2\"] }, params: { hidden: 8, epoch: 60,"));
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "-q");
        assertEquals(Main.USER_ERROR, r.status(), r.err());
        assertTrue(r.err().startsWith("moe: " + config + ": line 7: experts[expert3].params.epoch: unknown key (did you mean 'epochs'?)"),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
