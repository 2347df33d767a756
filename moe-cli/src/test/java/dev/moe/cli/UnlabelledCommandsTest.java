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

/** {@code moe init}, {@code evaluate}, {@code train} and {@code evaluate -m} on a file whose label is NA or blank on some rows. */
class UnlabelledCommandsTest {

    @TempDir
    Path dir;

    @Test
    void rowsWithoutALabelAreWrittenByInitLeftOutCountedAndSavedWithTheMixture() throws Exception {
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int r = 0; r < 90; r++) {
            float x = ((r * 37) % 90) / 45f - 1;
            // Every 9th row has no label: NA, or a blank cell; one of them has text for x, which no reader may refuse.
            String label = r % 9 != 4 ? (x > 0 ? "yes" : "no") : r % 2 == 0 ? "NA" : "";
            csv.append(r == 4 ? "unknown" : String.valueOf(x)).append(',').append(label).append('\n');
        }
        Path data = Files.writeString(dir.resolve("gaps.csv"), csv);

        // (init on the file without the text in x, which would make x a text column to it)
        Path plain = Files.writeString(dir.resolve("plain.csv"), csv.toString().replace("unknown", "0.5"));
        Path config = dir.resolve("plain.yaml");
        MainTest.Result init = MainTest.moe("init", plain.toString(), "-o", config.toString());
        assertEquals(0, init.status(), init.err());
        assertTrue(init.out().contains("  left out 10 rows without a label ('', 'NA'): data.unlabelled"), init.out());
        assertTrue(Files.readString(config).contains("  unlabelled: [\"\", NA]\n"), Files.readString(config));

        // The init's config with the fixture's two quick experts: the rows are said once over three repeats, and counted.
        Path quick = EncodedCommandsFixture.config(dir, "gaps", "unlabelled: [\"\", NA]");
        String said = EncodedCommandsFixture.evaluatedSayingOnce(quick, "without a label");
        assertTrue(said.contains("gaps.csv: 10 rows without a label ('NA', '') left out (data.unlabelled): lines 6, 15, 24, ..."), said);
        Path report = dir.resolve("r.json");
        Path page = dir.resolve("r.html");
        MainTest.Result evaluated = MainTest.moe("evaluate", quick.toString(), "--json", report.toString(), "--html", page.toString(), "-q");
        assertEquals(0, evaluated.status(), evaluated.err());
        // The kept reports say it too, not only stderr: the table's first line and the page.
        assertTrue(evaluated.out().contains(", data gaps.csv (10 rows without a label left out)\n"), evaluated.out());
        assertTrue(Files.readString(page).contains("<p>10 rows of the data had no label (<code>data.unlabelled</code>) and were left out.</p>"));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(10, json.get("unlabelledRows").asInt());
        assertEquals("[\"no\",\"yes\"]", json.get("labels").toString());

        // Saved with the mixture, as fill and categorical are: evaluating it on the file leaves the same rows out.
        Path model = EncodedCommandsFixture.trained(quick);
        Path saved = dir.resolve("m.json");
        SafetyTest.Process scored = SafetyTest.process(null, List.of(), "evaluate", "-m", model.toString(), "--data", data.toString(),
                "--json", saved.toString());
        assertEquals(0, scored.status(), scored.err());
        assertTrue(scored.err().contains(data + ": 10 rows without a label ('NA', '') left out (data.unlabelled): lines 6, 15, 24, ..."),
                scored.err());
        JsonNode savedJson = new ObjectMapper().readTree(saved.toFile());
        assertEquals(80, savedJson.get("testRows").asInt());
        assertEquals(10, savedJson.get("unlabelledRows").asInt());

        // moe inspect says so, and its JSON lists the texts, as the manifest recorded them.
        MainTest.Result inspected = MainTest.moe("inspect", model.toString());
        assertEquals(0, inspected.status(), inspected.err());
        assertTrue(inspected.out().contains("a label cell '' or 'NA' meant no label: those rows were left out of training"),
                inspected.out());
        Path description = dir.resolve("inspect.json");
        assertEquals(0, MainTest.moe("inspect", model.toString(), "--json", description.toString()).status());
        assertEquals("[\"\",\"NA\"]", new ObjectMapper().readTree(description.toFile()).get("unlabelled").toString());
    }
}
