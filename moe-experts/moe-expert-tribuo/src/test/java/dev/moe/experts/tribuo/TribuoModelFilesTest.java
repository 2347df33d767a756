package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.ExpertException;
import dev.moe.api.TrainingSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;

class TribuoModelFilesTest {

    @TempDir
    Path dir;

    /** A model trained with Tribuo directly, as a user would bring one: no moe metadata inside. */
    private static Model<Label> plainTribuoModel() {
        TrainingSet wine = CsvData.read("wine.csv");
        MutableDataset<Label> data = TribuoExpertProvider.dataset("plain", wine);
        return new CARTClassificationTrainer(4).train(data);
    }

    @Test
    void savesAtomicallyOverAnOldFileAndLoadsTheSameModel() throws IOException {
        Model<Label> model = plainTribuoModel();
        Path file = dir.resolve("sub/model.tribuo");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "an older, broken file");
        TribuoModelFiles.save(model, file);
        try (var listing = Files.list(file.getParent())) {
            assertEquals(List.of(file), listing.toList());
        }
        Model<Label> back = TribuoModelFiles.load(file);
        assertEquals(model.getClass(), back.getClass());
        assertEquals(model.getFeatureIDMap().size(), back.getFeatureIDMap().size());
        assertEquals(model.getProvenance(), back.getProvenance());
    }

    @Test
    void aModelFromElsewhereReportsItsDomainsInTribuoOrder() {
        Model<Label> model = plainTribuoModel();
        TribuoModelFiles.save(model, dir.resolve("plain.tribuo"));
        TribuoExpert expert = (TribuoExpert) new TribuoExpertProvider().load(
                TribuoExpertProviderTest.spec("p", dir, Map.of("model", "plain.tribuo")));
        // Tribuo numbers features in sorted name order.
        assertEquals(List.of("alcalinity_of_ash", "alcohol", "ash", "color_intensity", "flavanoids", "hue",
                "magnesium", "malic_acid", "nonflavanoid_phenols", "od280_od315", "proanthocyanins", "proline",
                "total_phenols"), expert.featureNames());
        assertEquals(3, expert.labelNames().size());
        assertTrue(expert.labelNames().containsAll(List.of("class_0", "class_1", "class_2")));
        assertEquals("one-hot", expert.provenance().get("probabilities"));
        assertEquals(null, expert.provenance().get("algorithm"));
        assertEquals("org.tribuo.classification.dtree.CARTClassificationTrainer", expert.provenance().get("trainer"));
        // Fed its own sorted columns, it predicts the training rows well.
        TrainingSet wine = CsvData.read("wine.csv");
        int[] columns = expert.featureNames().stream().mapToInt(wine.featureNames()::indexOf).toArray();
        double accuracy = CsvData.accuracy(expert.predict(wine.features().selectColumns(columns)), expert.labelNames(), wine);
        assertTrue(accuracy > 0.9, "training accuracy " + accuracy);
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("absent.tribuo");
        ExpertException e = assertThrows(ExpertException.class, () -> TribuoModelFiles.load(file));
        assertEquals("Tribuo model file not found: " + file, e.getMessage());
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamed() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
        Path file = blocker.resolve("model.tribuo");
        ExpertException e = assertThrows(ExpertException.class, () -> TribuoModelFiles.save(plainTribuoModel(), file));
        assertTrue(e.getMessage().startsWith("cannot write Tribuo model to " + file + ": "), e.getMessage());
    }
}
