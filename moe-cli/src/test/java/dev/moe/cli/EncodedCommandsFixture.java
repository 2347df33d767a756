package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the categorical and filled columns' command tests share: the two-expert config over a CSV file with
 * {@code x} and the encoded column, its cells said once over three repeats, the trained bundle, and an input that lacks
 * the column.
 */
final class EncodedCommandsFixture {

    private EncodedCommandsFixture() {
    }

    /** {@code NAME.yaml} beside {@code NAME.csv}, whose {@code data} also says {@code encoding} (e.g. {@code fill: [g]}). */
    static Path config(Path dir, String name, String encoding) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                seed: 2
                data: { source: csv, path: %s.csv, %s }
                split: { experts: 0.4, gate: 0.4, test: 0.2 }
                experts:
                  - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 20, learning-rate: 0.05 } }
                  - { id: b, provider: tribuo, params: { algorithm: cart, max-depth: 3, probabilities: scores } }
                gate: { choose: gate, epochs: 20 }
                """.formatted(name, encoding));
    }

    /**
     * {@code moe evaluate --repeat 3}: the cells are the same in every repeat, so the line saying them ({@code said}) is
     * there once, not once per repeat (stderr of a real process: the log goes there).
     *
     * @return stderr
     */
    static String evaluatedSayingOnce(Path config, String said) throws Exception {
        SafetyTest.Process evaluated = SafetyTest.process(null, List.of(), "evaluate", config.toString(), "--repeat", "3", "-q");
        assertEquals(0, evaluated.status(), evaluated.err());
        assertEquals(1, evaluated.err().lines().filter(l -> l.contains(said)).count(), evaluated.err());
        return evaluated.err();
    }

    /** {@code moe train CONFIG -o NAME.moe}. */
    static Path trained(Path config) {
        Path model = config.resolveSibling(config.getFileName().toString().replace(".yaml", ".moe"));
        MainTest.Result trained = MainTest.moe("train", config.toString(), "-o", model.toString(), "-q");
        assertEquals(0, trained.status(), trained.err());
        return model;
    }

    /** {@code moe predict} on a file with {@code x} and the label only: exit 2, the missing column named. */
    static void predictRefusedWithout(Path model, String column, Path out) throws Exception {
        Path lacking = Files.writeString(model.resolveSibling("lacking.csv"), "x,label\n0.5,yes\n");
        MainTest.Result refused = MainTest.moe("predict", "-m", model.toString(), "--input", lacking.toString(), "-o", out.toString(),
                "--overwrite");
        assertEquals(2, refused.status(), refused.err());
        assertTrue(refused.err().startsWith("moe: " + lacking + ": no column '" + column + "' in the header"), refused.err());
    }
}
