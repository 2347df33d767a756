package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `moe evaluate --html`: one self-contained page whose charts decode and whose table matches the JSON. */
class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void everyChartIsARealPngAndTheTableEqualsTheJson() throws Exception {
        Path config = dir.resolve("exp.yaml");
        Files.writeString(config, MainTest.SMALL + "repeat: 2\nbaselines:\n  - { id: one-mlp, provider: nd4j-mlp, params: { hidden: 8, epochs: 60, learning-rate: 0.01 } }\n");
        Path html = dir.resolve("report.html");
        Path json = dir.resolve("report.json");
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "--html", html.toString(), "--json", json.toString(), "-q");
        assertEquals(0, r.status(), r.err());

        Document page = Jsoup.parse(html.toFile());
        Elements images = page.select("img");
        assertEquals(6, page.select("img:not(.small)").size(), "accuracy, paired differences, confusion, utilization, gate weights, loss");
        assertEquals(7, page.select("img.small").size(), "a reliability diagram for each of the 7 models");
        for (Element img : images) {
            String src = img.attr("src");
            assertTrue(src.startsWith("data:image/png;base64,"), "embedded, not linked: " + src.substring(0, 30));
            byte[] png = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
            assertTrue(png.length > 5_000, img.attr("alt") + " is only " + png.length + " bytes");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            int minWidth = img.hasClass("small") ? 350 : 700;
            assertTrue(image != null && image.getWidth() >= minWidth && image.getHeight() >= 300, img.attr("alt"));
        }

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode results = report.get("results");
        Elements rows = page.select("table#results tbody tr");
        assertEquals(results.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Elements cells = rows.get(i).select("td");
            JsonNode result = results.get(i);
            assertEquals(result.get("model").asText(), cells.get(0).text());
            assertEquals(f(result.get("accuracy").asDouble()), cells.get(1).text());
            assertEquals(f(result.get("std").asDouble()), cells.get(2).text());
            assertEquals(f(result.get("macroF1").asDouble()), cells.get(3).text());
            assertEquals(f(result.get("logLoss").asDouble()), cells.get(5).text());
        }
        assertEquals("one-mlp", results.get(5).get("model").asText(), "the configured single-model baseline is reported");
        // Beside every row but the mixture's, its paired difference from the mixture, as the JSON has it.
        JsonNode comparisons = report.get("comparisons");
        for (int i = 0; i < comparisons.size(); i++) {
            JsonNode c = comparisons.get(i);
            Elements cells = rows.get(i).select("td");
            assertEquals(c.get("model").asText(), cells.get(0).text());
            assertEquals(String.format(java.util.Locale.ROOT, "%+.3f ± %.3f", c.get("accuracyDifference").asDouble(),
                    c.get("accuracyStandardError").asDouble()), cells.get(6).text());
            // Where the mixture is less accurate (a notice says so above), the figure is marked as a loss; nowhere else.
            assertEquals(c.get("accuracyDifference").asDouble() < 0, cells.get(6).hasClass("loss"), c.toString());
        }
        assertTrue(page.select("pre").text().contains("baselines:"), "the config is shown");

        // The paired differences shown on their own: the best expert and every baseline, each as the JSON has it.
        Elements paired = page.select("table#paired tbody tr");
        int baselines = 0;
        for (JsonNode c : comparisons) {
            baselines += c.get("kind").asText().equals("expert") ? 0 : 1;
        }
        assertEquals(baselines + 1, paired.size(), "the best expert and every baseline");
        double bestExpert = Double.POSITIVE_INFINITY;
        for (JsonNode c : comparisons) {
            if (c.get("kind").asText().equals("expert")) {
                bestExpert = Math.min(bestExpert, c.get("accuracyDifference").asDouble());
            }
        }
        for (Element row : paired) {
            Elements cells = row.select("td");
            String model = cells.get(0).text().replace(" (best expert)", "");
            JsonNode c = null;
            for (JsonNode candidate : comparisons) {
                c = candidate.get("model").asText().equals(model) ? candidate : c;
            }
            assertTrue(c != null, "no comparison in the JSON for " + model);
            assertEquals(String.format(Locale.ROOT, "%+.3f", c.get("accuracyDifference").asDouble()), cells.get(1).text(), model);
            assertEquals(f(c.get("accuracyStandardError").asDouble()), cells.get(2).text(), model);
            if (c.get("kind").asText().equals("expert")) {
                assertEquals(bestExpert, c.get("accuracyDifference").asDouble(), 0.0, "the expert shown is the best one");
            }
        }

        // Per repeat, the gate's best epoch and validation loss, as the JSON has them.
        JsonNode gate = report.get("gate");
        Elements gateRows = page.select("table#gate-repeats tbody tr");
        assertEquals(gate.get("bestEpoch").size(), gateRows.size());
        assertEquals(report.get("repeats").asInt(), gateRows.size());
        for (int i = 0; i < gateRows.size(); i++) {
            Elements cells = gateRows.get(i).select("td");
            assertEquals(report.get("seeds").get(i).asText(), cells.get(1).text());
            assertEquals(gate.get("chosen").get(i).asText(), cells.get(2).text());
            assertEquals(gate.get("bestEpoch").get(i).asText(), cells.get(3).text(), "best epoch, repeat " + (i + 1));
            double loss = gate.get("validationLoss").get(i).asDouble();
            assertEquals(Double.isNaN(loss) ? "none (no early stopping)" : f(loss), cells.get(4).text(), "validation loss, repeat " + (i + 1));
        }

        // The test rows per label are counts: all repeats together, and per repeat without a fraction when whole.
        Elements labelRows = page.select("table#per-label tbody tr");
        JsonNode perClass = report.get("moePerClass");
        assertEquals(perClass.size(), labelRows.size());
        long total = 0;
        for (int i = 0; i < labelRows.size(); i++) {
            Elements cells = labelRows.get(i).select("td");
            double support = perClass.get(i).get("support").asDouble();
            assertEquals(String.valueOf(Math.round(support * 2)), cells.get(4).text());
            String perRepeat = cells.get(5).text();
            assertEquals(support == Math.rint(support) ? String.valueOf((long) support) : String.format(Locale.ROOT, "%.1f", support), perRepeat);
            total += Long.parseLong(cells.get(4).text());
        }
        assertEquals(report.get("testRows").asLong() * 2, total, "every test row of both repeats has its label");

        // Header: version, date and the command; the config as run above the file as written.
        String provenance = page.select("#provenance").text();
        assertTrue(provenance.contains(dev.moe.runtime.MoeVersion.get()), provenance);
        assertTrue(provenance.matches(".*\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC.*"), provenance);
        assertTrue(provenance.contains("moe evaluate " + config + " --html " + html), provenance);
        Elements asRun = page.select("table#as-run tbody tr");
        assertEquals("repeats", asRun.get(0).select("td").get(0).text());
        assertEquals("2", asRun.get(0).select("td").get(1).text());
        assertEquals(report.get("seeds").get(0).asText() + ", " + report.get("seeds").get(1).asText(), asRun.get(1).select("td").get(1).text());
        assertTrue(asRun.get(2).select("td").get(1).text().startsWith(report.get("strategy").asText()));
    }

    /** The file says repeat: 2; --repeat 1 ran: the page says what ran, above the file as it is written. */
    @Test
    void theConfigSectionShowsWhatRanNotOnlyTheFile() throws Exception {
        Path config = dir.resolve("exp.yaml");
        Files.writeString(config, MainTest.SMALL + "repeat: 2\n");
        Path html = dir.resolve("report.html");
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "--repeat", "1", "--seed", "7", "--html", html.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        Document page = Jsoup.parse(html.toFile());
        Elements asRun = page.select("table#as-run tbody tr");
        assertEquals("1", asRun.get(0).select("td").get(1).text(), "repeats as run");
        assertEquals("7", asRun.get(1).select("td").get(1).text(), "seeds as run");
        assertTrue(page.select("pre").text().contains("repeat: 2"), "the file as written is still shown");
        assertTrue(page.select("#provenance").text().contains("--repeat 1 --seed 7"), page.select("#provenance").text());
        // Each argument a unit the browser does not break at its hyphens ("--html" read "- -html" across two lines).
        Elements args = page.select("#provenance code span.arg");
        assertEquals(page.select("#provenance code").text(), String.join(" ", args.eachText()));
        assertTrue(args.eachText().contains("--html"), args.eachText().toString());
        assertTrue(page.select("style").html().matches("(?s).*[},]\\.arg[,{][^}]*white-space:nowrap.*"), page.select("style").html());
        assertEquals(1, page.select("table#gate-repeats tbody tr").size());
        // Chosen by cross-validation: the header names the combiner that ran, and the routing only for a gate.
        String chosen = asRun.get(3).select("td").get(1).text();
        String routing = List.of("uniform", "product").contains(chosen) ? "" : " (routing softmax-dense for gates)";
        assertTrue(page.text().contains("Combiner " + chosen + routing + ", 1 repeat, seeds"), page.text());
        // ... and only there: no second "combiner ..." line under the results table.
        String underResults = page.select("div:has(> table#results) + p").text();
        assertFalse(underResults.startsWith("combiner"), underResults);
    }

    /**
     * What a reader takes from the page must be what ran: a routing strategy no chosen combiner used is said to be
     * unused; one repeat gets no per-repeat column; the product's history is its Newton steps, not a gate's epochs.
     */
    @Test
    void thePageDoesNotClaimWhatDidNotRun() throws Exception {
        Path config = dir.resolve("exp.yaml");
        // No gate section: the candidates are averaging and the product, neither of which routes.
        Files.writeString(config, MainTest.SMALL.replaceAll("(?m)^gate:.*\\R", "") + "repeat: 2\n");
        Path html = dir.resolve("report.html");
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "--html", html.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        Document page = Jsoup.parse(html.toFile());
        Elements asRun = page.select("table#as-run tbody tr");
        String chosen = asRun.get(3).select("td").get(1).text();
        String routing = asRun.get(2).select("td").get(1).text();
        assertTrue(routing.startsWith("softmax-dense (temperature=1.0), not used: "), routing);
        assertTrue(routing.endsWith(" the experts without routing (the strategy applies to a gate)"), routing);
        assertEquals(chosen.contains("product"), page.select("div:has(> table#gate-repeats) + p").text().contains("Newton steps"), chosen);
        assertEquals(6, page.select("table#per-label thead th").size(), "with two repeats: all repeats' rows and per repeat");

        Path model = dir.resolve("m.moe");
        assertEquals(0, MainTest.moe("train", config.toString(), "-o", model.toString(), "-q").status());
        Path csv = dir.resolve("labelled.csv");
        StringBuilder rows = new StringBuilder("feature0,feature1,feature2,feature3,label\n");
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 60; i++) {
            rows.append(random.nextGaussian()).append(',').append(random.nextGaussian()).append(',').append(random.nextGaussian())
                    .append(',').append(random.nextGaussian()).append(',').append(i % 3).append('\n');
        }
        Files.writeString(csv, rows);
        Path saved = dir.resolve("saved.html");
        r = MainTest.moe("evaluate", "-m", model.toString(), "--data", csv.toString(), "--html", saved.toString());
        assertEquals(0, r.status(), r.err());
        Document savedPage = Jsoup.parse(saved.toFile());
        Elements header = savedPage.select("table#per-label thead th");
        assertEquals(List.of("label", "precision", "recall", "F1", "test rows"), header.eachText(),
                "one repeat: no second column of the same counts");
        // Nothing ran but scoring: the values are the training's, and the config is the one the bundle holds (it said
        // "Command-line options override the file" and "(none recorded)" under "The file as written: saved mixture m.moe").
        String text = savedPage.text();
        assertTrue(text.contains("As trained seed 3 combiner "), text);
        assertFalse(text.contains("not used:") || text.contains("override") || text.contains("none recorded"), text);
        assertTrue(text.contains("Nothing was trained in this evaluation: the mixture was read from m.moe and scored as saved;"
                + " the values above are those it was trained with."), text);
        assertTrue(text.contains("The config it was trained from, as m.moe holds it"), text);
        assertEquals(Files.readString(config), savedPage.select("pre").last().wholeText());
        // The run itself says what a command-line option does to the file's values.
        assertTrue(page.text().contains("These are the values this run used: an option given on the command line (--repeat,"
                + " --seed, --strategy) takes the place of the config file's value, so the file below may say otherwise."), page.text());
    }

    /** With top-k after a dense warm-up the loss jumps where the strategy takes over: the page says so, from the JSON. */
    @Test
    void aDenseWarmUpIsSaidWhereTheLossJumps() throws Exception {
        Path config = dir.resolve("exp.yaml");
        Files.writeString(config, MainTest.SMALL.replace("gate: { hidden: [], epochs: 150, learning-rate: 0.05 }",
                "gate: { hidden: [], epochs: 150, learning-rate: 0.05, dense-warmup-epochs: 40, validation-fraction: 0 }\n"
                        + "routing: { strategy: top-k, params: { k: 2 } }"));
        Path html = dir.resolve("report.html");
        Path json = dir.resolve("report.json");
        MainTest.Result r = MainTest.moe("evaluate", config.toString(), "--html", html.toString(), "--json", json.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        assertEquals(40, new ObjectMapper().readTree(json.toFile()).get("gate").get("denseWarmupEpochs").asInt());
        String said = Jsoup.parse(html.toFile()).select("div:has(> table#gate-repeats) + p").text();
        assertTrue(said.contains("The first 40 epochs routed every row densely (gate.dense-warmup-epochs), then top-k took over"), said);

        // Dense softmax after a dense warm-up changes nothing: nothing to say.
        Files.writeString(config, Files.readString(config).replace("strategy: top-k, params: { k: 2 }", "strategy: softmax-dense"));
        r = MainTest.moe("evaluate", config.toString(), "--html", html.toString(), "--overwrite", "-q");
        assertEquals(0, r.status(), r.err());
        assertFalse(Jsoup.parse(html.toFile()).select("div:has(> table#gate-repeats) + p").text().contains("warm-up"));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
