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

    @Test
    void aJavaSerializedModelIsRefusedWithWhatToDo() throws IOException {
        // Tribuo's older examples save models with an ObjectOutputStream.
        Path file = dir.resolve("model.ser");
        try (var out = new java.io.ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeObject(plainTribuoModel());
        }
        ExpertException e = assertThrows(ExpertException.class, () -> TribuoModelFiles.load(file));
        assertEquals(file + " is a Java-serialized object (ObjectOutputStream), which moe does not read: reading one runs"
                + " code the file names; save the model in Tribuo's protobuf format instead, model.serializeToFile(path)"
                + " (Tribuo 4.3), and give moe that file", e.getMessage());
    }

    @Test
    void aFileThatIsNoModelSaysWhatToGive() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello, this is not a model\n");
        ExpertException e = assertThrows(ExpertException.class, () -> TribuoModelFiles.load(file));
        assertTrue(e.getMessage().startsWith(file + " is not a Tribuo 4.3 protobuf model file ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): give a file saved by Tribuo's model.serializeToFile(path)"), e.getMessage());
    }

    @Test
    void anEmptyFileIsNamed() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.tribuo"));
        ExpertException e = assertThrows(ExpertException.class, () -> TribuoModelFiles.load(file));
        assertEquals(file + " is empty, not a Tribuo model file", e.getMessage());
    }

    @Test
    void aModelOfAClassMoeLacksIsNamedAndARegressionModelSaysSo() throws IOException {
        // A saved tree whose class name is changed (same length, so the file stays well formed) to one moe lacks.
        Path saved = dir.resolve("tree.tribuo");
        TribuoModelFiles.save(plainTribuoModel(), saved);
        String name = "org.tribuo.common.tree.TreeModel";
        for (String other : List.of("org.tribuo.common.tree.TreeModeX", "org.tribuo.regression.rtree.Tree")) {
            byte[] bytes = Files.readAllBytes(saved);
            String latin = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            int at = latin.indexOf(name);
            assertTrue(at >= 0);
            System.arraycopy(other.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, bytes, at, other.length());
            Path file = Files.write(dir.resolve("changed.tribuo"), bytes);
            ExpertException e = assertThrows(ExpertException.class, () -> TribuoModelFiles.load(file));
            assertEquals(other.contains("regression")
                    ? file + " holds a Tribuo regression model (" + other + "), not a classification model: an expert"
                            + " predicts labels; give it a classifier"
                    : file + " is a Tribuo model of class " + other + ", which is not on moe's class path: moe brings"
                            + " Tribuo 4.3.2's sgd, tree, xgboost, liblinear, libsvm and nearest-neighbour classifiers; add"
                            + " the jar of the Tribuo module that holds it, with its libraries, to the class path (-cp, beside"
                            + " moe-cli/target/moe-cli.jar and moe-cli/target/lib/*)", e.getMessage());
        }
    }

    @Test
    void liblinearAndLibsvmModelsLoadAndPredictAsTribuoDoes() {
        TrainingSet wine = CsvData.read("wine.csv");
        MutableDataset<Label> data = TribuoExpertProvider.dataset("plain", wine);
        var svm = new org.tribuo.common.libsvm.SVMParameters<Label>(new org.tribuo.classification.libsvm.SVMClassificationType(
                org.tribuo.classification.libsvm.SVMClassificationType.SVMMode.C_SVC), org.tribuo.common.libsvm.KernelType.LINEAR);
        svm.setProbability();
        for (Model<Label> model : List.of(new org.tribuo.classification.liblinear.LibLinearClassificationTrainer().train(data),
                new org.tribuo.classification.libsvm.LibSVMClassificationTrainer(svm).train(data))) {
            Path file = dir.resolve("model.tribuo");
            TribuoModelFiles.save(model, file);
            TribuoExpert expert = TribuoExpert.of("m", TribuoModelFiles.load(file));
            int[] columns = expert.featureNames().stream().mapToInt(wine.featureNames()::indexOf).toArray();
            var p = expert.predict(wine.features().selectColumns(columns));
            var expected = model.predict(data);
            for (int r = 0; r < wine.rows(); r++) {
                for (int j = 0; j < expert.labelNames().size(); j++) {
                    String label = expert.labelNames().get(j);
                    double want = model.generatesProbabilities()
                            ? expected.get(r).getOutputScores().get(label).getScore()
                            : expected.get(r).getOutput().getLabel().equals(label) ? 1 : 0;
                    assertEquals(want, p.get(r, j), 1e-6, model.getClass().getSimpleName() + " row " + r + ", " + label);
                }
            }
        }
    }
}
