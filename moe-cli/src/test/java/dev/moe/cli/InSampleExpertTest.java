package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A pretrained Tribuo model trained on the very file moe tests on is named in the report (its provenance records the
 * file's SHA-256), in `moe evaluate` and in `moe evaluate -m`; one trained on another file is not.
 */
class InSampleExpertTest {

    @TempDir
    Path dir;

    private void cartModel(Path csv, Path model) throws Exception {
        var data = new MutableDataset<>(new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label"));
        new CARTClassificationTrainer(3).train(data).serializeToFile(model);
    }

    @Test
    void aModelTrainedOnTheDataFileIsNamedInTheReport() throws Exception {
        Path data = dir.resolve("data.csv");
        Files.copy(Path.of("../examples/data/iris.csv"), data);
        List<String> lines = Files.readAllLines(data);
        Path other = dir.resolve("other.csv"); // the same rows but one: other bytes, another hash
        Files.write(other, lines.subList(0, lines.size() - 1));
        cartModel(data, dir.resolve("seen.tribuo"));
        cartModel(other, dir.resolve("other.tribuo"));
        Files.writeString(dir.resolve("exp.yaml"), """
                seed: 1
                data: { source: csv, path: data.csv }
                split: { test: 0.3 }
                experts:
                  - { id: seen-cart, provider: tribuo, params: { model: seen.tribuo } }
                  - { id: other-cart, provider: tribuo, params: { model: other.tribuo } }
                  - { id: logistic, provider: tribuo, params: { algorithm: logistic-regression, epochs: 20 } }
                """);

        MainTest.Result r = MainTest.moe("evaluate", dir.resolve("exp.yaml").toString(), "-q");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("notice: expert 'seen-cart' was trained on data.csv itself"), r.out());
        assertFalse(r.out().contains("expert 'other-cart' was trained"), r.out());

        Path saved = dir.resolve("m.moe");
        assertEquals(0, MainTest.moe("train", dir.resolve("exp.yaml").toString(), "-o", saved.toString(), "-q").status());
        MainTest.Result onData = MainTest.moe("evaluate", "-m", saved.toString(), "--data", data.toString());
        assertEquals(0, onData.status(), onData.err());
        // The mixture's own training file first, then the expert's.
        int mixture = onData.out().indexOf("notice: data.csv is the file this mixture was trained on");
        int expert = onData.out().indexOf("notice: expert 'seen-cart' was trained on data.csv itself");
        assertTrue(mixture >= 0 && expert > mixture, onData.out());
        MainTest.Result onOther = MainTest.moe("evaluate", "-m", saved.toString(), "--data", other.toString());
        assertEquals(0, onOther.status(), onOther.err());
        assertTrue(onOther.out().contains("notice: expert 'other-cart' was trained on other.csv itself"), onOther.out());
        assertFalse(onOther.out().contains("expert 'seen-cart' was trained"), onOther.out());
    }
}
