package dev.moe.cli;

import static dev.moe.cli.MainTest.moe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moe evaluate --outputs FILE}: the rows the combiner and the test saw, written so that another combiner can be
 * tried on them. The file must hold what the report was computed from: averaging its experts' test columns gives the
 * report's {@code uniform}, its mixture columns the report's {@code moe}, and its losses the choice's figures.
 */
class OutputsCommandTest {

    @TempDir
    Path dir;

    private Path config() throws Exception {
        StringBuilder csv = new StringBuilder("length,width,colour,label\n");
        for (int i = 0; i < 150; i++) {
            int k = i % 3;
            csv.append(1 + k * 0.6 + (i * 37 % 11) * 0.25).append(',').append(0.5 + k * 0.4 + (i * 13 % 7) * 0.3).append(',')
                    .append(i % 4 == 0 ? "dark" : i % 4 == 1 ? "light" : "pale").append(',').append("abc".charAt(k)).append('\n');
        }
        Files.writeString(dir.resolve("flowers.csv"), csv);
        return Files.writeString(dir.resolve("flowers.yaml"), "seed: 42\nrepeat: 2\ndata:\n  source: csv\n  path: flowers.csv\n"
                + "  categorical: [colour]\nsplit:\n  test: 0.3\nexperts:\n"
                + "  - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 20 } }\n"
                + "  - { id: knn, provider: tribuo, params: { algorithm: knn, k: 7 } }\n"
                + "  - { id: cart, provider: tribuo, params: { algorithm: cart, max-depth: 3 } }\n");
    }

    @Test
    void theFileHoldsWhatTheReportWasComputedFrom() throws Exception {
        Path config = config();
        Path json = dir.resolve("report.json");
        Path outputs = dir.resolve("outputs.csv");
        MainTest.Result run = moe("evaluate", config.toString(), "-q", "--json", json.toString(), "--outputs", outputs.toString());
        assertEquals(0, run.status(), run.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        List<String> lines = Files.readAllLines(outputs);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<String> labels = List.of("a", "b", "c");
        List<String> experts = List.of("logistic", "knn", "cart");
        assertEquals(List.of("seed", "set", "combiner", "fold", "label", "length", "width", "colour=dark", "colour=light", "colour=pale"),
                header.subList(0, 10));
        assertEquals(List.of("cv-loss:uniform", "cv-loss:product"), header.subList(header.size() - 2, header.size()));
        for (int repeat = 0; repeat < 2; repeat++) {
            String seed = Integer.toString(42 + repeat);
            List<String[]> gate = new ArrayList<>();
            List<String[]> test = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                assertEquals(header.size(), cells.length, line);
                if (cells[0].equals(seed)) {
                    (cells[1].equals("gate") ? gate : test).add(cells);
                }
            }
            assertEquals(report.get("gateTrainRows").asInt(), gate.size());
            assertEquals(report.get("testRows").asInt(), test.size());
            assertEquals(report.get("gate").get("chosen").get(repeat).asText(), gate.get(0)[2]);

            // Averaging the experts' test columns (as moe averages them, in float) and the mixture's columns: the report's figures.
            int uniformRight = 0;
            int moeRight = 0;
            for (String[] row : test) {
                float[] mean = new float[labels.size()];
                float[] mixture = new float[labels.size()];
                for (int j = 0; j < labels.size(); j++) {
                    for (String expert : experts) {
                        mean[j] += Float.parseFloat(row[header.indexOf("p:" + expert + ":" + labels.get(j))]);
                    }
                    mean[j] *= 1f / experts.size();
                    mixture[j] = Float.parseFloat(row[header.indexOf("p:moe:" + labels.get(j))]);
                }
                uniformRight += labels.get(argMax(mean)).equals(row[4]) ? 1 : 0;
                moeRight += labels.get(argMax(mixture)).equals(row[4]) ? 1 : 0;
                assertEquals("", row[3], "a test row has no fold");
                assertEquals("", row[header.indexOf("cv-loss:product")]);
            }
            assertEquals(perRepeat(report, "uniform", repeat), (double) uniformRight / test.size(), 1e-12);
            assertEquals(perRepeat(report, "moe", repeat), (double) moeRight / test.size(), 1e-12);

            // The gate rows: five folds, every candidate's out-of-fold loss averaging to the choice's log-loss; no mixture.
            TreeSet<String> folds = new TreeSet<>();
            double[] loss = new double[2];
            for (String[] row : gate) {
                folds.add(row[3]);
                assertEquals("", row[header.indexOf("p:moe:a")], "a gate row has no mixture output");
                loss[0] += Double.parseDouble(row[header.size() - 2]) / gate.size();
                loss[1] += Double.parseDouble(row[header.size() - 1]) / gate.size();
            }
            assertEquals(new TreeSet<>(List.of("0", "1", "2", "3", "4")), folds);
            JsonNode candidates = report.get("gate").get("candidatesPerRepeat").get(repeat);
            assertEquals(candidates.get(0).get("logLoss").asDouble(), loss[0], 1e-9);
            assertEquals(candidates.get(1).get("logLoss").asDouble(), loss[1], 1e-9);
        }
    }

    @Test
    void anExistingFileAnInputAndASavedMixtureAreRefused() throws Exception {
        Path config = config();
        Path outputs = Files.writeString(dir.resolve("outputs.csv"), "mine\n");
        MainTest.Result exists = moe("evaluate", config.toString(), "-q", "--outputs", outputs.toString());
        assertEquals(2, exists.status());
        assertEquals("moe: " + outputs + ": exists; pass --overwrite to replace it, or choose another output" + System.lineSeparator(), exists.err());
        assertEquals("mine\n", Files.readString(outputs), "nothing written over it");

        MainTest.Result input = moe("evaluate", config.toString(), "-q", "--outputs", dir.resolve("flowers.csv").toString(), "--overwrite");
        assertEquals(2, input.status());
        assertTrue(input.err().contains("the outputs CSV would overwrite"), input.err());

        MainTest.Result saved = moe("evaluate", "-m", dir.resolve("any.moe").toString(), "--data", dir.resolve("flowers.csv").toString(),
                "--outputs", dir.resolve("new.csv").toString());
        assertEquals(2, saved.status());
        assertTrue(saved.err().startsWith("moe: --outputs applies when a config is trained"), saved.err());
        assertFalse(Files.exists(dir.resolve("new.csv")));
    }

    private static double perRepeat(JsonNode report, String model, int repeat) {
        for (JsonNode result : report.get("results")) {
            if (result.get("model").asText().equals(model)) {
                return result.get("perRepeat").get(repeat).asDouble();
            }
        }
        throw new AssertionError("no " + model + " in the report");
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }
}
