package dev.moe.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.experiment.ExpertFactory;
import dev.moe.runtime.experiment.ExpertSubsets;
import dev.moe.runtime.experiment.RoutingStrategies;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error about a config's value names the file and the line of its key, found when loading or later. */
class ConfigLocationsTest {

    private static final Path FILE = Path.of("exp.yaml");
    private static final ProviderRegistry REGISTRY = ProviderRegistry.fromClassPath();

    @TempDir
    Path dir;

    /** A config's text, one argument a line, so that a test can count the lines. */
    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static String loadError(String yaml) {
        return assertThrows(MoeException.class, () -> ConfigLoader.parse(yaml, FILE)).getMessage();
    }

    /** A config that loads, read from a file as the CLI reads it, with the locations of its keys. */
    private MoeConfig load(String yaml) throws Exception {
        Path file = dir.resolve("exp.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }

    private static String located(MoeConfig config, RuntimeException e) {
        return ConfigLoader.locations(config).locate(e).getMessage();
    }

    @Test
    void aGateOptionNamesItsLine() {
        assertEquals("exp.yaml: line 6: gate.epochs must be positive, got -5", loadError(lines(
                "data: { source: synthetic-seed }",
                "experts:",
                "  - { id: a, provider: nd4j-mlp }",
                "gate:",
                "  hidden: []",
                "  epochs: -5")));
        assertEquals("exp.yaml: line 4: gate.dropout must be in [0, 1), got 1.5", loadError(lines(
                "data: { source: synthetic-seed }",
                "experts:",
                "  - { id: a, provider: nd4j-mlp }",
                "gate: { hidden: [8], dropout: 1.5 }")));
    }

    @Test
    void aSplitFractionNamesItsLineAndASumAboveOneTheSection() {
        String head = lines("data: { source: synthetic-seed }", "experts:", "  - { id: a, provider: nd4j-mlp }");
        assertEquals("exp.yaml: line 6: split.gate must be in (0, 1], got 0.0",
                loadError(head + lines("split:", "  experts: 0.5", "  gate: 0", "  test: 0.1")));
        assertEquals("exp.yaml: line 4: split: experts, gate and test must be fractions (gate and test above 0) summing to at most 1,"
                + " got 0.5, 0.4, 0.2", loadError(head + lines("split:", "  experts: 0.5", "  gate: 0.4", "  test: 0.2")));
        // cross-fit: 0 takes the three-way split's defaults, which the message named as if they had been written.
        assertEquals("exp.yaml: line 4: split: experts, gate and test must be fractions (gate and test above 0) summing to at most 1,"
                + " got 0.5, 0.4, 0.3 (experts and gate are the three-way defaults: set them)",
                loadError(head + lines("split:", "  test: 0.3", "  cross-fit: 0")));
        assertEquals("exp.yaml: line 4: split: experts, gate and test must be fractions (gate and test above 0) summing to at most 1,"
                + " got 0.7, 0.4, 0.1 (gate is the three-way default: set it)", loadError(head + lines("split:", "  experts: 0.7")));
    }

    @Test
    void theSecondExpertsSubsetNamesItsLineInBlockAndInFlowStyle() {
        String data = lines("seed: 1", "data: { source: synthetic-seed }");
        assertEquals("exp.yaml: line 9: experts[1].subset.fraction must be in (0, 1], got 1.5", loadError(data + lines(
                "experts:",
                "  - id: a",
                "    provider: nd4j-mlp",
                "  - id: b",
                "    provider: nd4j-mlp",
                "    subset:",
                "      fraction: 1.5")));
        assertEquals("exp.yaml: line 5: experts[1].subset.fraction must be in (0, 1], got 1.5", loadError(data + lines(
                "experts:",
                "  - { id: a, provider: nd4j-mlp }",
                "  - { id: b, provider: nd4j-mlp, subset: { fraction: 1.5 } }")));
        assertEquals("exp.yaml: line 5: experts[1].subset.fraction must be in (0, 1], got 1.5", loadError(data + lines(
                "experts: [{ id: a, provider: nd4j-mlp },",
                "  { id: b, provider: nd4j-mlp,",
                "    subset: { fraction: 1.5 } }]")));
    }

    @Test
    void aSubsetCheckedAgainstTheDataNamesTheLineOfTheExpertItNames() throws Exception {
        MoeConfig config = load(lines(
                "data: { source: synthetic-seed, rows: 30 }",
                "experts:",
                "  - { id: a, provider: nd4j-mlp, subset: { labels: ['0', '1'] } }",
                "  - id: b",
                "    provider: nd4j-mlp",
                "    subset:",
                "      labels: ['1', '7']"));
        var data = new SyntheticSeedSource().load(config.data(), dir, 1);
        MoeException e = assertThrows(MoeException.class, () -> ExpertSubsets.select(data, IntStream.range(0, 30).toArray(),
                config.experts(), false, 1));
        assertEquals(config.source() + ": line 7: experts[b].subset.labels: no label '7' in the data (labels: 0, 1, 2)",
                located(config, e));
    }

    @Test
    void aRoutingParameterCheckedByItsStrategyNamesItsLine() throws Exception {
        MoeConfig config = load(lines(
                "data: { source: synthetic-seed }",
                "experts:",
                "  - { id: a, provider: nd4j-mlp }",
                "  - { id: b, provider: nd4j-mlp }",
                "routing:",
                "  strategy: top-k",
                "  params:",
                "    k: 5"));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new RoutingStrategies(REGISTRY.routingProvidersByName()).create(config.routing(), 2));
        assertEquals(config.source() + ": line 8: routing.params.k: must be between 1 and the number of experts (2), got 5",
                located(config, e));
    }

    @Test
    void aMistypedStrategyNamesTheLineOfRoutingStrategy() throws Exception {
        MoeConfig config = load(lines(
                "data: { source: synthetic-seed }",
                "experts:",
                "  - { id: a, provider: nd4j-mlp }",
                "routing: { strategy: top-two }"));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new RoutingStrategies(REGISTRY.routingProvidersByName()).create(config.routing(), 1));
        assertEquals(config.source() + ": line 4: routing.strategy: unknown routing strategy 'top-two'",
                located(config, e).replaceFirst(" \\(did you mean.*|; known.*", ""));
    }

    @Test
    void aBaselinesParameterNamesItsLineThoughItsErrorCallsItAnExpert() throws Exception {
        MoeConfig config = load(lines(
                "data: { source: synthetic-seed }",
                "experts:",
                "  - { id: a, provider: nd4j-mlp }",
                "baselines:",
                "  - id: tree",
                "    provider: tribuo",
                "    params:",
                "      algorithm: cart",
                "      dpeth: 3"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> new ExpertFactory(REGISTRY).checkParameters(config.baselines()));
        assertEquals(config.source() + ": line 9: experts[tree].params.dpeth: unknown key",
                located(config, e).replaceFirst("(;| \\().*", ""));
        assertEquals("exp.yaml: line 5: baselines[0]: the id 'moe' is reserved for a report row", loadError(lines(
                "data: { source: synthetic-seed }",
                "experts:",
                "  - { id: a, provider: nd4j-mlp }",
                "baselines:",
                "  - { id: moe, provider: tribuo }")));
    }

    @Test
    void aKeyThatIsNotInTheFileGetsNoLineOrItsSectionsLine() {
        assertEquals("exp.yaml: experts: at least one expert is required", loadError(lines("data: { source: synthetic-seed }")));
        assertEquals("exp.yaml: data.source is required (synthetic-seed or csv)",
                loadError(lines("experts:", "  - { id: a, provider: nd4j-mlp }")));
        assertEquals("exp.yaml: line 3: data.source is required (synthetic-seed or csv)",
                loadError(lines("experts:", "  - { id: a, provider: nd4j-mlp }", "data:", "  rows: 100")));
    }

    @Test
    void proseAndMessagesThatNameALineAlreadyAreLeftAlone() throws Exception {
        MoeConfig config = load(lines("data: { source: csv, path: d.csv }", "experts:", "  - { id: a, provider: nd4j-mlp }"));
        ConfigLocations locations = ConfigLoader.locations(config);
        MoeException prose = new MoeException("data file not found: /tmp/d.csv");
        assertSame(prose, locations.locate(prose));
        MoeException lined = new MoeException(config.source() + ": line 3: experts[a]: something");
        assertSame(lined, locations.locate(lined));
        MoeException otherFile = new MoeException("/tmp/d.csv: line 3: 4 fields, the header has 5");
        assertSame(otherFile, locations.locate(otherFile));
        assertEquals(config.source() + ": line 1: data.path: data file not found: /tmp/d.csv",
                locations.locate(new MoeException("data.path: data file not found: /tmp/d.csv")).getMessage());
    }
}
