package dev.moe.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvider;
import dev.moe.api.ExpertSpec;
import dev.moe.api.TrainingSet;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpertFactoryTest {

    /** A provider with a bug: it returns null where an expert is due. */
    public static final class ReturnsNull implements ExpertProvider {
        @Override
        public String name() {
            return "returns-null";
        }

        @Override
        public boolean canTrain() {
            return true;
        }

        @Override
        public Expert load(ExpertSpec spec) {
            return null;
        }

        @Override
        public Expert train(ExpertSpec spec, TrainingSet data) {
            return null;
        }
    }

    @TempDir
    Path dir;

    @Test
    void aProviderThatReturnsNoExpertIsNamed() throws Exception {
        // Was "internal error: java.lang.NullPointerException: expert", exit 1, once the mixture took the expert.
        Path services = Files.createDirectories(dir.resolve("plugin/META-INF/services"));
        Files.writeString(services.resolve(ExpertProvider.class.getName()), ReturnsNull.class.getName() + "\n");
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("plugin").toUri().toURL()}, getClass().getClassLoader());
        ExpertFactory factory = new ExpertFactory(ProviderRegistry.discover(loader, null));
        var data = SyntheticSeedSource.generate(30, 1);
        int[] rows = IntStream.range(0, 30).toArray();
        for (Boolean train : new Boolean[] {true, false}) {
            MoeConfig.ExpertConfig config = new MoeConfig.ExpertConfig("x", "returns-null", train, null, Map.of());
            MoeException e = assertThrows(MoeException.class, () -> factory.create(config, data, rows, dir, 1L));
            String method = train ? "train()" : "load()";
            assertTrue(e.getMessage().startsWith("experts[x]: provider 'returns-null' (classpath")
                    && e.getMessage().endsWith(") returned no expert from " + method), e.getMessage());
        }
    }
}
