package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.report.ReportWriter;
import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.Dataset;
import dev.moe.runtime.data.SyntheticSeedSource;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moe predict} and {@code moe evaluate -m} on a mixture saved by {@code moe train}. */
class PredictCommandTest {

    /** Three small nd4j-mlp specialists on the seed problem, routed top-2. */
    static final String SEED = """
            seed: 3
            data: { source: synthetic-seed, rows: 900 }
            split: { balance-experts: true }
            experts:
              - { id: expert1, provider: nd4j-mlp, subset: { labels: ["0", "1"] }, params: { hidden: 8, epochs: 40, learning-rate: 0.02 } }
              - { id: expert2, provider: nd4j-mlp, subset: { labels: ["1", "2"] }, params: { hidden: 8, epochs: 40, learning-rate: 0.02 } }
              - { id: expert3, provider: nd4j-mlp, subset: { labels: ["0", "2"] }, params: { hidden: 8, epochs: 40, learning-rate: 0.02 } }
            gate: { hidden: [], epochs: 80, learning-rate: 0.05 }
            routing: { strategy: top-k, params: { k: 2 } }
            """;

    @TempDir
    static Path shared;

    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() throws Exception {
        model = trainSeedBundle(shared);
    }

    static Path trainSeedBundle(Path folder) throws Exception {
        Path config = Files.writeString(folder.resolve("seed.yaml"), SEED);
        Path file = folder.resolve("seed.moe");
        MainTest.Result r = TrainCommandTest.moe("train", config.toString(), "-o", file.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        return file;
    }

    /** A data set as CSV: the label column first, then the features in reverse order, as another tool might write it. */
    static Path csv(Path file, Dataset data) throws Exception {
        StringBuilder s = new StringBuilder("label");
        for (int j = data.featureNames().size() - 1; j >= 0; j--) {
            s.append(',').append(data.featureNames().get(j));
        }
        s.append('\n');
        for (int r = 0; r < data.rows(); r++) {
            s.append(data.labelNames().get(data.labels()[r]));
            for (int j = data.featureNames().size() - 1; j >= 0; j--) {
                s.append(',').append(data.features().get(r, j));
            }
            s.append('\n');
        }
        return Files.writeString(file, s.toString());
    }

    private static SavedMixture load(Path file) {
        return new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), null)).read(file);
    }

    /** A new user's first try: the training config given where the saved mixture goes. The step they skipped is named. */
    @Test
    void aConfigGivenAsTheSavedMixtureSaysToTrainFirst() throws Exception {
        Path config = Files.writeString(dir.resolve("glass.yaml"), SEED);
        Path rows = Files.writeString(dir.resolve("rows.csv"), "feature0,feature1,feature2,feature3,label\n0,0,0,0,1\n");
        Path out = dir.resolve("p.csv");
        String said = "moe: " + config + ": a config, not a saved mixture: train one first (moe train " + config
                + " -o glass.moe), then use glass.moe" + System.lineSeparator();
        for (String[] args : List.of(new String[] {"predict", "-m", config.toString(), "-i", rows.toString(), "-o", out.toString()},
                new String[] {"evaluate", "-m", config.toString(), "--data", rows.toString()},
                new String[] {"inspect", config.toString()})) {
            MainTest.Result r = MainTest.moe(args);
            assertEquals(2, r.status(), String.join(" ", args));
            assertEquals(said, r.err(), String.join(" ", args));
            assertFalse(Files.exists(out));
        }
        // ... and the config given as the rows to predict.
        MainTest.Result rowsAsConfig = MainTest.moe("predict", "-m", model.toString(), "-i", config.toString(), "-o", out.toString());
        assertEquals(2, rowsAsConfig.status());
        assertEquals("moe: " + config + ": a config, not the rows to predict: -i takes a CSV file with the mixture's feature columns"
                + " (moe inspect " + model + " lists them)" + System.lineSeparator(), rowsAsConfig.err());
        assertFalse(Files.exists(out));
        // A bundle that happens to be named .yaml is still read as one.
        Path named = Files.copy(model, dir.resolve("model.yaml"));
        MainTest.Result r = MainTest.moe("inspect", named.toString());
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void predictWritesAHeaderThenOneRowPerInputRowInOrder() throws Exception {
        Dataset data = SyntheticSeedSource.generate(1000, 9);
        Path input = csv(dir.resolve("rows.csv"), data);
        Path output = dir.resolve("predictions.csv");
        MainTest.Result r = TrainCommandTest.moe("predict", "-m", model.toString(), "--input", input.toString(),
                "--output", output.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("predicted 1000 rows of " + input + " with " + model + ": " + output + System.lineSeparator(), r.out());
        assertEquals("", r.err());

        List<String> lines = Files.readAllLines(output);
        assertEquals("predicted,probability,p:0,p:1,p:2,weight:expert1,weight:expert2,weight:expert3", lines.get(0));
        assertEquals(1001, lines.size());
        MixtureModel.Prediction expected = load(model).model().predict(data.features());
        for (int row = 0; row < data.rows(); row++) {
            String[] cells = lines.get(row + 1).split(",");
            int best = expected.probabilities().argMaxOfRow(row);
            assertEquals(data.labelNames().get(best), cells[0], "row " + row);
            assertEquals(expected.probabilities().get(row, best), Float.parseFloat(cells[1]), "row " + row);
            for (int j = 0; j < 3; j++) {
                assertEquals(expected.probabilities().get(row, j), Float.parseFloat(cells[2 + j]), "row " + row);
                assertEquals(expected.weights().get(row, j), Float.parseFloat(cells[5 + j]), "row " + row);
            }
        }
        assertEquals(List.of("predictions.csv", "rows.csv"), TrainCommandTest.files(dir));
    }

    @Test
    void evaluateWithASavedModelScoresItOnALabelledCsv() throws Exception {
        Dataset data = SyntheticSeedSource.generate(600, 11);
        Path input = csv(dir.resolve("labelled.csv"), data);
        Path json = dir.resolve("report.json");
        MainTest.Result r = TrainCommandTest.moe("evaluate", "-m", model.toString(), input.toString(), "--json", json.toString());
        assertEquals(0, r.status(), r.err());
        CsvEvaluation.Result expected = CsvEvaluation.evaluate(load(model), input);
        // The report moe evaluate writes for a trained config, from the saved mixture's counts.
        assertEquals(ReportWriter.table(expected.report(load(model))), r.out());
        String n = System.lineSeparator();
        assertTrue(r.out().startsWith("1 repeat, 600 test rows, data labelled.csv" + n
                + "model    accuracy        macro-F1  log-loss  moe - model" + n
                + String.format(Locale.ROOT, "expert1  %-16.3f", expected.accuracy().get("expert1"))), r.out());
        assertTrue(r.out().contains("strategy top-k (k=2)"), r.out());
        // The specialists each miss a class; the mixture of them does not.
        assertTrue(expected.accuracy().get("moe") > 0.6, r.out());
        for (String e : List.of("expert1", "expert2", "expert3")) {
            assertTrue(expected.accuracy().get("moe") > expected.accuracy().get(e) + 0.05, r.out());
        }
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(600, report.get("testRows").asInt());
        assertEquals("top-k", report.get("strategy").asText());
        JsonNode moe = report.get("results").get(4);
        assertEquals("moe", moe.get("model").asText());
        assertEquals(expected.accuracy().get("moe"), moe.get("accuracy").asDouble(), 1e-12);

        // --html writes the page too (it used to exit 0 without writing it).
        Path html = dir.resolve("report.html");
        r = TrainCommandTest.moe("evaluate", "-m", model.toString(), "--data", input.toString(), "--html", html.toString());
        assertEquals(0, r.status(), r.err());
        String page = Files.readString(html);
        assertTrue(page.contains("<table id=\"results\">") && page.contains("labelled.csv"), page);
        // One repeat: no spread and no standard error to show, as in the console table.
        assertFalse(page.contains("± 0.000") || page.contains("<td>0.000</td>"), page);
    }

    /** Evaluated on the file it was trained on (or a renamed copy), a mixture's figures are optimistic, and it says so. */
    @Test
    void evaluateOnTheTrainingFileSaysTheFiguresAreOptimistic() throws Exception {
        Path training = csv(dir.resolve("training.csv"), SyntheticSeedSource.generate(200, 5));
        Path config = Files.writeString(dir.resolve("csv.yaml"), """
                data: { source: csv, path: training.csv }
                split: { experts: 0.5, gate: 0.3, test: 0.2 }
                experts:
                  - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 5 } }
                  - { id: b, provider: nd4j-mlp, params: { hidden: 4, epochs: 5 } }
                routing: { strategy: softmax-dense }
                gate: { hidden: [], epochs: 5 }
                """);
        Path bundle = dir.resolve("csv.moe");
        MainTest.Result r = TrainCommandTest.moe("train", config.toString(), "-o", bundle.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        String notice = "notice: training.csv is the file this mixture was trained on (the SHA-256 it records): 160 of its";

        r = TrainCommandTest.moe("evaluate", "-m", bundle.toString(), training.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(notice), r.out());
        Path copy = Files.copy(training, dir.resolve("copy.csv"));
        Path json = dir.resolve("copy.json");
        r = TrainCommandTest.moe("evaluate", "-m", bundle.toString(), copy.toString(), "--json", json.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode notices = new ObjectMapper().readTree(json.toFile()).get("notices");
        assertTrue(notices.get(0).asText().startsWith("copy.csv is the file this mixture was trained on"), notices.toString());

        // Other rows, even under the training file's name, are not the training file.
        Path other = Files.createDirectory(dir.resolve("other"));
        csv(other.resolve("training.csv"), SyntheticSeedSource.generate(200, 6));
        r = TrainCommandTest.moe("evaluate", "-m", bundle.toString(), other.resolve("training.csv").toString());
        assertEquals(0, r.status(), r.err());
        assertFalse(r.out().contains("trained on"), r.out());
    }

    @Test
    void evaluateWithASavedModelRefusesTrainingOptionsAndConfigs() throws Exception {
        Path input = csv(dir.resolve("labelled.csv"), SyntheticSeedSource.generate(30, 1));
        MainTest.Result r = TrainCommandTest.moe("evaluate", "-m", model.toString(), input.toString(), "--seed", "4");
        assertEquals(2, r.status());
        assertEquals("moe: --repeat, --seed and --strategy apply to training; with -m the saved mixture is evaluated as it is"
                + System.lineSeparator(), r.err());
        Path yaml = Files.writeString(dir.resolve("exp.yaml"), SEED);
        r = TrainCommandTest.moe("evaluate", "-m", model.toString(), yaml.toString());
        assertEquals(2, r.status());
        assertEquals("moe: " + yaml + ": with -m the argument is the labelled CSV to evaluate on, not a config (moe evaluate -m " + model
                + " --data DATA.csv)" + System.lineSeparator(), r.err());
    }

    @Test
    void aBundleThatNeedsAPluginNamesItAndNeverLoadsOneThatMerelySitsBesideIt() throws Exception {
        Path plugins = TrainCommandTest.pluginsFolder(dir);
        Path config = Files.writeString(dir.resolve("wine.yaml"), """
                seed: 1
                data: { source: csv, path: %s }
                split: { experts: 0.4, gate: 0.4, test: 0.2 }
                experts:
                  - { id: wine-cart, provider: wine-cart-example, params: { probabilities: one-hot } }
                  - { id: colour, provider: tribuo, subset: { features: [color_intensity, hue] }, params: { algorithm: cart } }
                gate: { hidden: [], epochs: 30, learning-rate: 0.05 }
                """.formatted(TrainCommandTest.wineCsv()));
        Path models = Files.createDirectories(dir.resolve("elsewhere"));
        Path bundle = models.resolve("wine.moe");
        MainTest.Result r = TrainCommandTest.moe("train", config.toString(), "-o", bundle.toString(), "-q", "--plugins", plugins.toString());
        assertEquals(0, r.status(), r.err());

        Path output = dir.resolve("p.csv");
        r = TrainCommandTest.moe("predict", "-m", bundle.toString(), "--input", TrainCommandTest.wineCsv().toString(), "--output", output.toString());
        assertEquals(2, r.status());
        assertEquals("moe: " + bundle + ": needs expert provider 'wine-cart-example' (plugin moe-expert-plugin-example 0.1.0-SNAPSHOT, "
                + "moe-expert-plugin-example-0.1.0-SNAPSHOT.jar), not installed here (known expert providers: nd4j-mlp, onnx, tribuo, xgboost; "
                + "add the plugin's jar, or its folder of jars, to the plugins folder: --plugins DIR, or Mixture.load(file, pluginsFolder) in Java)" + System.lineSeparator(), r.err());
        assertTrue(Files.notExists(output));

        // plugins/ beside the model is not a plugins folder: code runs only from a folder the user names.
        Path beside = models.resolve("plugins");
        Files.move(plugins, beside);
        MainTest.Result again = TrainCommandTest.moe("predict", "-m", bundle.toString(), "--input", TrainCommandTest.wineCsv().toString(),
                "--output", output.toString());
        assertEquals(2, again.status());
        assertEquals(r.err(), again.err());
        assertTrue(Files.notExists(output));
        r = TrainCommandTest.moe("predict", "-m", bundle.toString(), "--input", TrainCommandTest.wineCsv().toString(), "--output", output.toString(),
                "-q", "--plugins", beside.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(179, Files.readAllLines(output).size());
        assertEquals("predicted,probability,p:class_0,p:class_1,p:class_2,weight:wine-cart,weight:colour", Files.readAllLines(output).get(0));
    }
}
