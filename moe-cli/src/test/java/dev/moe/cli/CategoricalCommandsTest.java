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
        Path config = EncodedCommandsFixture.config(dir, "colours", "categorical: [colour]");
        String said = EncodedCommandsFixture.evaluatedSayingOnce(config, "categorical cells encoded as none of the known levels");
        assertTrue(said.contains("repeat 1/3: colours.csv: categorical cells encoded as none of the known levels (all zeros):"
                + " 'colour' 1 missing"), said);

        Path model = EncodedCommandsFixture.trained(config);

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
        EncodedCommandsFixture.predictRefusedWithout(model, "colour", out);
    }
}
