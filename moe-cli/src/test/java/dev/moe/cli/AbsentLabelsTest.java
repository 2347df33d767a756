package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.data.csv.CSVLoader;

/**
 * A pretrained Tribuo model trained on two of iris's three labels gives the third probability 0 on every row: moe says
 * so once on stderr and in the report's notices (console, JSON, HTML; `moe evaluate -m` too), with the test rows that
 * hold the label. An expert moe trains on some labels only (a specialist) is not named: that is what it was asked for.
 */
class AbsentLabelsTest {

    @TempDir
    Path dir;

    @Test
    void aLoadedModelWithoutALabelOfTheDataIsNamedOnceWithItsTestRows() throws Exception {
        Path data = dir.resolve("iris.csv");
        Files.copy(Path.of("../examples/data/iris.csv"), data);
        Path twoLabels = dir.resolve("ab.csv");
        Files.write(twoLabels, Files.readAllLines(data).stream().filter(l -> !l.contains("virginica")).toList());
        var rows = new MutableDataset<>(new CSVLoader<>(new LabelFactory()).loadDataSource(twoLabels, "label"));
        new CARTClassificationTrainer(3).train(rows).serializeToFile(dir.resolve("ab.tribuo"));
        Files.writeString(dir.resolve("exp.yaml"), """
                seed: 1
                data: { source: csv, path: iris.csv }
                split: { test: 0.3 }
                experts:
                  - { id: ab-cart, provider: tribuo, params: { model: ab.tribuo } }
                  - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 20 } }
                  - { id: specialist, provider: tribuo, params: { algorithm: cart }, subset: { labels: [Iris-setosa, Iris-versicolor] } }
                """);

        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        // A real process: the log, where the line is said, goes to its stderr.
        SafetyTest.Process r = SafetyTest.process(null, List.of(), "evaluate", dir.resolve("exp.yaml").toString(), "--repeat", "2",
                "--json", json.toString(), "--html", html.toString(), "-q");
        assertEquals(0, r.status(), r.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        // The test rows of Iris-virginica over both repeats: the mixture's confusion matrix's third row.
        int virginica = 0;
        for (JsonNode cell : report.get("moeConfusion").get(2)) {
            virginica += cell.asInt();
        }
        assertTrue(virginica > 0, report.toString());
        String notice = "a loaded expert was trained without labels of the data and gives them probability 0 on every row:"
                + " 'ab-cart' lacks Iris-virginica (" + virginica + " of the " + 2 * report.get("testRows").asInt()
                + " test rows of the 2 repeats); on those rows it is wrong alone and pulls the average of the experts (uniform)"
                + " down, and the combiner learns from the gate's rows how far to trust it";
        assertEquals(List.of(notice), stream(report.get("notices")), report.get("notices").toString());
        assertTrue(Files.readString(html).contains("<b>Notice:</b> " + notice), "the HTML report");
        assertTrue(r.out().replaceAll("\n  ", " ").contains("notice: " + notice), r.out());
        // Said once on stderr (with the first repeat's test rows), never for the specialist moe trained on two labels.
        assertEquals(1, r.err().split("'ab-cart' lacks Iris-virginica", -1).length - 1, r.err());
        assertFalse((r.out() + r.err()).contains("'specialist' lacks"), r.out() + r.err());

        Path saved = dir.resolve("m.moe");
        SafetyTest.Process train = SafetyTest.process(null, List.of(), "train", dir.resolve("exp.yaml").toString(), "-o",
                saved.toString(), "-q");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.err().contains("'ab-cart' lacks Iris-virginica"), train.err());
        MainTest.Result inspected = MainTest.moe("inspect", saved.toString());
        assertEquals(0, inspected.status(), inspected.err());
        assertTrue(inspected.out().contains("  ab-cart predicts 2 of the 3 labels: Iris-versicolor, Iris-setosa; it gives Iris-virginica"
                + " probability 0"), inspected.out());
        MainTest.Result onData = MainTest.moe("evaluate", "-m", saved.toString(), "--data", data.toString());
        assertEquals(0, onData.status(), onData.err());
        assertTrue(onData.out().replaceAll("\n  ", " ").contains("notice: a loaded expert was trained without labels of the data and gives"
                + " them probability 0 on every row: 'ab-cart' lacks Iris-virginica (50 of the 150 test rows)"), onData.out());
        assertFalse(onData.out().contains("'specialist' lacks"), onData.out());
    }

    private static List<String> stream(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
