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

/** {@code moe evaluate}, {@code train}, {@code inspect} and {@code predict} on data with a filled numeric column. */
class FilledCommandsTest {

    @TempDir
    Path dir;

    @Test
    void aFilledColumnIsCountedOnceSavedWithItsMedianAndShown() throws Exception {
        StringBuilder csv = new StringBuilder("x,g,label\n");
        for (int r = 0; r < 90; r++) {
            float x = ((r * 37) % 90) / 45f - 1;
            csv.append(x).append(',').append(r % 6 == 0 ? "NA" : String.valueOf(r % 10)).append(',')
                    .append(x > 0 || r % 6 == 0 ? "yes" : "no").append('\n');
        }
        Path data = Files.writeString(dir.resolve("gaps.csv"), csv);
        Path config = EncodedCommandsFixture.config(dir, "gaps", "fill: [g]");
        String said = EncodedCommandsFixture.evaluatedSayingOnce(config, "missing numeric cells filled");
        assertTrue(said.contains("repeat 1/3: gaps.csv: missing numeric cells filled with the training rows' median"
                + " (column=missing set to 1): 'g' 15"), said);

        Path model = EncodedCommandsFixture.trained(config);

        MainTest.Result text = MainTest.moe("inspect", model.toString());
        assertEquals(0, text.status(), text.err());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.contains("Features          3: x, g, g=missing"), text.out());
        assertTrue(text.out().contains("format version 4;"), text.out());
        int at = lines.indexOf("Filled            1 numeric column, a missing cell takes the median below (and its column=missing feature 1)");
        assertTrue(at > 0, text.out());
        // train fits on the rows outside its test set; the median of those rows' g is checked by FilledColumnsTest.
        assertTrue(lines.get(at + 1).matches("  g: median \\d(\\.5)?"), lines.get(at + 1));
        Path json = dir.resolve("inspect.json");
        assertEquals(0, MainTest.moe("inspect", model.toString(), "--json", json.toString()).status());
        JsonNode fill = new ObjectMapper().readTree(json.toFile()).get("fill");
        assertEquals(1, fill.size());
        assertEquals("g", fill.get(0).get("column").asText());
        assertEquals(lines.get(at + 1), "  g: median " + (fill.get(0).get("median").asDouble() % 1 == 0
                ? String.valueOf(fill.get(0).get("median").asLong()) : fill.get(0).get("median").asText()));

        Path out = dir.resolve("p.csv");
        SafetyTest.Process predicted = SafetyTest.process(null, List.of(), "predict", "-m", model.toString(), "--input", data.toString(),
                "-o", out.toString());
        assertEquals(0, predicted.status(), predicted.err());
        assertEquals(91, Files.readAllLines(out).size());
        assertTrue(predicted.err().contains("missing numeric cells filled with the training rows' median (column=missing set to 1): 'g' 15"),
                predicted.err());
        EncodedCommandsFixture.predictRefusedWithout(model, "g", out);

        // A damaged fill entry (the median as text; EncodedColumnsManifestTest has the other damages): one line, exit 2.
        Path damaged = dir.resolve("damaged.moe");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(model.toFile());
             java.util.zip.ZipOutputStream copy = new java.util.zip.ZipOutputStream(Files.newOutputStream(damaged))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                if (e.getName().equals("manifest.json")) {
                    String manifest = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    String edited = manifest.replaceFirst("(\"median\" *: *)[-0-9.Ee]+", "$1\"abc\"");
                    assertTrue(!edited.equals(manifest), manifest);
                    bytes = edited.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                copy.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                copy.write(bytes);
                copy.closeEntry();
            }
        }
        String corrupt = "moe: " + damaged + ": manifest.json is corrupt: 'fill[g].median' is not a finite number: \"abc\""
                + System.lineSeparator();
        Path none = dir.resolve("none.csv");
        MainTest.Result damagedPredict = MainTest.moe("predict", "-m", damaged.toString(), "--input", data.toString(), "-o", none.toString());
        assertEquals(2, damagedPredict.status(), damagedPredict.err());
        assertEquals(corrupt, damagedPredict.err());
        assertTrue(!Files.exists(none), "no output file");
        MainTest.Result damagedInspect = MainTest.moe("inspect", damaged.toString());
        assertEquals(2, damagedInspect.status(), damagedInspect.err());
        assertEquals(corrupt, damagedInspect.err());
    }
}
