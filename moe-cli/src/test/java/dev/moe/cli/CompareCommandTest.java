package dev.moe.cli;

import static dev.moe.cli.MainTest.moe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** moe compare on reports moe evaluate wrote: the rows they were scored on decide what pairs. */
class CompareCommandTest {

    @TempDir
    Path dir;

    /** 120 rows, three labels, two measurements and a colour column. */
    private Path data() throws Exception {
        StringBuilder csv = new StringBuilder("length,width,colour,label\n");
        for (int i = 0; i < 120; i++) {
            int k = i % 3;
            csv.append(1 + k + (i % 7) * 0.3).append(',').append(0.5 + k * 0.5 + (i % 5) * 0.2).append(',')
                    .append(i % 4 == 0 ? "dark" : "light").append(',').append("abc".charAt(k)).append('\n');
        }
        return Files.writeString(dir.resolve("flowers.csv"), csv);
    }

    /** A config over the flowers: two Tribuo experts, {@code data} lines added to the data section. */
    private Path config(String name, String data, double test, int k) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), "seed: 42\nrepeat: 2\ndata:\n  source: csv\n  path: flowers.csv\n"
                + data + "split:\n  test: " + test + "\nexperts:\n"
                + "  - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 20 } }\n"
                + "  - { id: knn, provider: tribuo, params: { algorithm: knn, k: " + k + " } }\n");
    }

    private Path evaluate(Path config, String... more) {
        Path json = dir.resolve(config.getFileName().toString().replace(".yaml", ".json"));
        String[] args = new String[] {"evaluate", config.toString(), "-q", "--json", json.toString()};
        MainTest.Result run = moe(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more)).toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        return json;
    }

    @Test
    void reportsOfTheSameRowsPairEvenUnderAnotherConfigAndOtherRowsAreRefused() throws Exception {
        data();
        // The colour left out against the colour as a category, and another k: other features, the same rows.
        Path a = evaluate(config("a", "  ignore: [colour]\n", 0.3, 5));
        Path b = evaluate(config("b", "  categorical: [colour]\n", 0.3, 9), "--repeat", "3");
        MainTest.Result compared = moe("compare", a.toString(), b.toString());
        assertEquals(0, compared.status(), compared.err());
        String out = compared.out().replace(System.lineSeparator() + "  ", " ");
        assertTrue(out.contains("data flowers.csv, paired over 2 repeats (seeds 42, 43), 36 test rows each; the same rows in each"
                + " (their fingerprints match)"), out);
        assertTrue(out.contains(System.lineSeparator() + "knn "), out);
        assertTrue(out.contains(System.lineSeparator() + "moe "), out);
        // --fail-if-worse: exit 3 only when b's mixture is lower by more than 2 standard errors, judged on the report's figures.
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.toFile());
        for (com.fasterxml.jackson.databind.JsonNode r : report.get("results")) {
            if (r.get("model").asText().equals("moe")) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("perRepeat")).set(0, 0.01);
                ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("perRepeat")).set(1, 0.02);
            }
        }
        Path worse = dir.resolve("worse.json");
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(worse.toFile(), report);
        MainTest.Result ok = moe("compare", worse.toString(), a.toString(), "--fail-if-worse");
        assertEquals(0, ok.status(), ok.err());
        MainTest.Result failed = moe("compare", a.toString(), worse.toString(), "--fail-if-worse");
        assertEquals(3, failed.status(), failed.err());
        assertTrue(failed.err().startsWith("moe: b's moe is lower than a's by "), failed.err());
        assertTrue(failed.err().endsWith(" over 2 paired repeats (more than 2 standard errors)" + System.lineSeparator()), failed.err());
        assertEquals(0, moe("compare", a.toString(), worse.toString()).status());

        // Another split of the same file: no repeat's rows are in both.
        Path c = evaluate(config("c", "  ignore: [colour]\n", 0.25, 5));
        MainTest.Result refused = moe("compare", a.toString(), c.toString());
        assertEquals(2, refused.status());
        assertEquals("moe: " + a + " and " + c + " were not scored on the same rows (no repeat's row fingerprint is in both):"
                + " a paired comparison needs the same data file, split and seeds" + System.lineSeparator(), refused.err());
    }

    @Test
    void twoSavedMixturesEvaluatedOnOneFilePair() throws Exception {
        Path file = data();
        Path rest = Files.writeString(dir.resolve("rest.csv"), Files.readString(file));
        for (String name : new String[] {"a", "b"}) {
            Path config = config(name, "  ignore: [colour]\n", 0.3, name.equals("a") ? 5 : 9);
            assertEquals(0, moe("train", config.toString(), "-o", dir.resolve(name + ".moe").toString(), "-q").status());
        }
        Path a = dir.resolve("a-on.json");
        Path b = dir.resolve("b-on.json");
        Path other = dir.resolve("b-on-rest.json");
        assertEquals(0, moe("evaluate", "-m", dir.resolve("a.moe").toString(), "--data", file.toString(), "--json", a.toString()).status());
        assertEquals(0, moe("evaluate", "-m", dir.resolve("b.moe").toString(), "--data", file.toString(), "--json", b.toString()).status());
        MainTest.Result compared = moe("compare", a.toString(), b.toString());
        assertEquals(0, compared.status(), compared.err());
        assertTrue(compared.out().replace(System.lineSeparator() + "  ", " ")
                .contains("paired over 1 repeat (seed 42), 120 test rows each; the same rows in each (their fingerprints match)"), compared.out());
        // The same rows in a file of another name are the same bytes: they pair too. A different file would not.
        assertEquals(0, moe("evaluate", "-m", dir.resolve("b.moe").toString(), "--data", rest.toString(), "--json", other.toString()).status());
        assertEquals(0, moe("compare", a.toString(), other.toString()).status());
        Files.writeString(rest, Files.readString(file).replace("dark", "DARK"));
        assertEquals(0, moe("evaluate", "-m", dir.resolve("b.moe").toString(), "--data", rest.toString(), "--json", other.toString(), "--overwrite").status());
        assertEquals(2, moe("compare", a.toString(), other.toString()).status());
    }

    @Test
    void jsonHasTheTablesFiguresUnroundedAndNeverReplacesAReport() throws Exception {
        data();
        Path a = evaluate(config("a", "  ignore: [colour]\n", 0.3, 5));
        Path b = evaluate(config("b", "  categorical: [colour]\n", 0.3, 9));
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, Double> meanA = new java.util.HashMap<>();
        java.util.Map<String, Double> meanB = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode r : mapper.readTree(a.toFile()).get("results")) {
            meanA.put(r.get("model").asText(), (r.get("perRepeat").get(0).asDouble() + r.get("perRepeat").get(1).asDouble()) / 2);
        }
        for (com.fasterxml.jackson.databind.JsonNode r : mapper.readTree(b.toFile()).get("results")) {
            meanB.put(r.get("model").asText(), (r.get("perRepeat").get(0).asDouble() + r.get("perRepeat").get(1).asDouble()) / 2);
        }

        // - : the JSON instead of the table (written to the process's standard output itself, as evaluate's is).
        MainTest.Result stdout = moe("compare", a.toString(), b.toString(), "--json", "-");
        assertEquals(0, stdout.status(), stdout.err());
        assertEquals("", stdout.out());

        // A file: the table still on stdout; an existing file only with --overwrite; a compared report never.
        Path out = dir.resolve("comparison.json");
        MainTest.Result toFile = moe("compare", a.toString(), b.toString(), "--json", out.toString());
        assertEquals(0, toFile.status(), toFile.err());
        assertTrue(toFile.out().contains("log-loss b - a"), toFile.out());
        com.fasterxml.jackson.databind.JsonNode c = mapper.readTree(out.toFile());
        assertEquals("reports", c.get("compared").asText());
        assertEquals(a.toString(), c.get("a").asText());
        assertTrue(c.get("rowsChecked").asBoolean());
        assertEquals("[42,43]", c.get("seedsA").toString());
        assertEquals(meanA.size(), c.get("models").size(), c.toString());
        for (com.fasterxml.jackson.databind.JsonNode m : c.get("models")) {
            String model = m.get("model").asText();
            assertEquals(meanA.get(model), m.get("meanA").asDouble(), 1e-12, model);
            assertEquals(meanB.get(model) - meanA.get(model), m.get("accuracy").get("difference").asDouble(), 1e-12, model);
            assertEquals(2, m.get("accuracy").get("repeats").asInt());
        }
        assertTrue(c.has("worse"), c.toString());
        assertEquals(2, moe("compare", a.toString(), b.toString(), "--json", out.toString()).status());
        String before = Files.readString(b);
        MainTest.Result onto = moe("compare", a.toString(), b.toString(), "--json", b.toString(), "--overwrite");
        assertEquals(2, onto.status());
        assertTrue(onto.err().contains("a report compared"), onto.err());
        assertEquals(before, Files.readString(b));

        // Two folders: a line per report and the pooled difference.
        Path before1 = Files.createDirectories(dir.resolve("before"));
        Path after1 = Files.createDirectories(dir.resolve("after"));
        Files.copy(a, before1.resolve("flowers.json"));
        Files.copy(b, after1.resolve("flowers.json"));
        Path folders = dir.resolve("folders.json");
        assertEquals(0, moe("compare", before1.toString(), after1.toString(), "--json", folders.toString(), "--model", "knn").status());
        com.fasterxml.jackson.databind.JsonNode f = mapper.readTree(folders.toFile());
        assertEquals("folders", f.get("compared").asText());
        assertEquals("flowers", f.get("reports").get(0).get("report").asText());
        assertEquals(meanB.get("knn") - meanA.get("knn"), f.get("all").get("difference").asDouble(), 1e-12);
        assertEquals(f.get("reports").get(0).get("accuracy"), f.get("all"));

        // A comparison written beside the reports it compared is skipped, and said so, when the folder is compared again.
        Path inside = after1.resolve("comparison.json");
        assertEquals(0, moe("compare", before1.toString(), after1.toString(), "--json", inside.toString()).status());
        MainTest.Result again = moe("compare", before1.toString(), after1.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().replace(System.lineSeparator() + "  ", " ").contains("skipped, moe compare's own output: " + inside),
                again.out());
    }
}
