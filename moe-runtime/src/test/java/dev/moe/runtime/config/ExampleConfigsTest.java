package dev.moe.runtime.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every config the repository ships (the examples, the public benchmark, the held-out sets) loads, and its CSV is
 * where the config says: a user runs them as they are, and the benchmark scripts run them all.
 */
class ExampleConfigsTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void everyShippedConfigLoadsAndFindsItsData() throws IOException {
        List<Path> configs;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            configs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
        assertTrue(configs.stream().anyMatch(f -> f.toString().contains("held-out")), "the held-out configs: " + configs);
        for (Path file : configs) {
            MoeConfig config = ConfigLoader.load(file);
            if ("csv".equals(config.data().source())) {
                Path data = config.baseDirectory().resolve(config.data().path());
                assertTrue(Files.isRegularFile(data), file + ": data.path " + data + " is not a file");
                String header;
                try (var reader = Files.newBufferedReader(data)) {
                    header = reader.readLine();
                }
                String label = config.data().label(); // none: the last column
                assertTrue(label == null || List.of(header.split(",")).contains(label), file + ": no column " + label);
            }
        }
    }
}
