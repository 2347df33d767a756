package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moe train}, {@code inspect} and {@code predict} on data with a categorical column. */
class CategoricalCommandsTest {

    @TempDir
    Path dir;

    @Test
    void aCategoricalColumnIsSavedShownAndRequiredByName() throws Exception {
        StringBuilder csv = new StringBuilder("x,colour,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int r = 0; r < 90; r++) {
            String colour = colours[r % 3];
            float x = ((r * 37) % 90) / 45f - 1;
            csv.append(x).append(',').append(r == 4 ? "" : colour).append(',').append(colour.equals("red") || x > 0.5 ? "yes" : "no").append('\n');
        }
        Path data = Files.writeString(dir.resolve("colours.csv"), csv);
        Path config = Files.writeString(dir.resolve("colours.yaml"), """
                seed: 2
                data: { source: csv, path: colours.csv, categorical: [colour] }
                split: { experts: 0.4, gate: 0.4, test: 0.2 }
                experts:
                  - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 20, learning-rate: 0.05 } }
                  - { id: b, provider: tribuo, params: { algorithm: cart, max-depth: 3, probabilities: scores } }
                gate: { choose: gate, epochs: 20 }
                """);
        // The missing cell is the same in every repeat: said once, not once per repeat (stderr of a real process: the
        // log goes there).
        SafetyTest.Process evaluated = SafetyTest.process(null, List.of(), "evaluate", config.toString(), "--repeat", "3", "-q");
        assertEquals(0, evaluated.status(), evaluated.err());
        assertEquals(1, evaluated.err().lines().filter(l -> l.contains("categorical cells encoded as none of the known levels")).count(),
                evaluated.err());
        assertTrue(evaluated.err().contains("repeat 1/3: colours.csv: categorical cells encoded as none of the known levels (all zeros):"
                + " 'colour' 1 missing"), evaluated.err());

        Path model = dir.resolve("colours.moe");
        MainTest.Result trained = MainTest.moe("train", config.toString(), "-o", model.toString(), "-q");
        assertEquals(0, trained.status(), trained.err());

        MainTest.Result text = MainTest.moe("inspect", model.toString());
        assertEquals(0, text.status(), text.err());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.contains("Features          4: x, colour=blue, colour=green, colour=red"), text.out());
        int at = lines.indexOf("Categorical       1 column, one-hot (a level not listed, or a missing cell: all zeros)");
        assertTrue(at > 0, text.out());
        assertEquals("  colour: 3 levels blue, green, red", lines.get(at + 1));
        Path json = dir.resolve("inspect.json");
        assertEquals(0, MainTest.moe("inspect", model.toString(), "--json", json.toString()).status());
        JsonNode categorical = new ObjectMapper().readTree(json.toFile()).get("categorical");
        assertEquals("[{\"column\":\"colour\",\"levels\":[\"blue\",\"green\",\"red\"]}]", categorical.toString());

        Path out = dir.resolve("p.csv");
        MainTest.Result predicted = MainTest.moe("predict", "-m", model.toString(), "--input", data.toString(), "-o", out.toString());
        assertEquals(0, predicted.status(), predicted.err());
        assertEquals(91, Files.readAllLines(out).size());
        Path lacking = Files.writeString(dir.resolve("lacking.csv"), "x,label\n0.5,yes\n");
        MainTest.Result refused = MainTest.moe("predict", "-m", model.toString(), "--input", lacking.toString(), "-o", out.toString(),
                "--overwrite");
        assertEquals(2, refused.status(), refused.err());
        assertTrue(refused.err().startsWith("moe: " + lacking + ": no column 'colour' in the header"), refused.err());
    }
}
