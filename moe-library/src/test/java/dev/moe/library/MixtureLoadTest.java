package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moe.api.FloatMatrix;
import dev.moe.runtime.MoeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixtureLoadTest {

    private static final IrisData IRIS = new IrisData();

    @TempDir
    Path dir;

    @Test
    void aBundleWithAnExpertStoredByReferenceLoadsInJavaWhenAllowed() throws Exception {
        // A provider that cannot save its experts (a plugin's model loaded from a file) stores them by reference, and
        // Mixture.load refused such a bundle with "pass --allow-referenced-files", which Java had no way to pass: a
        // mixture saved from Java could not be loaded back. Here the MLP's own file is referenced, as such a bundle would.
        Mixture mixture = Mixture.builder().expert("mlp", "nd4j-mlp", Map.of("epochs", 20)).crossFitFolds(2)
                .candidates("uniform").train(IRIS.train);
        Path saved = dir.resolve("m.moe");
        mixture.save(saved);
        Path model = dir.resolve("mlp.model");
        Path referencing = dir.resolve("by-reference.moe");
        try (ZipFile in = new ZipFile(saved.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(referencing))) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode manifest = (ObjectNode) json.readTree(in.getInputStream(in.getEntry("manifest.json")));
            ObjectNode expert = (ObjectNode) manifest.get("experts").get(0);
            Files.write(model, in.getInputStream(in.getEntry(expert.get("entry").asText())).readAllBytes());
            expert.put("storage", "reference");
            expert.putObject("params").put("model", model.toString());
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(entry.getName().equals("manifest.json") ? json.writeValueAsBytes(manifest)
                        : in.getInputStream(entry).readAllBytes());
            }
        }
        MoeException refused = assertThrows(MoeException.class, () -> Mixture.load(referencing));
        assertTrue(refused.getMessage().endsWith("If you trust this bundle, pass --allow-referenced-files"
                + " (Mixture.load(file, pluginsFolder, true) in Java)"), refused.getMessage());
        Mixture loaded = Mixture.load(referencing, null, true);
        FloatMatrix rows = MixtureTest.rows(IRIS.test, mixture.featureNames());
        assertEquals(mixture.predict(rows).probabilities(), loaded.predict(rows).probabilities());
        assertEquals(List.of("mlp"), loaded.expertIds());
    }

    @Test
    void theTribuoViewRefusesToBeSerializedSayingHowToSave() throws Exception {
        // Java serialization wrote the model without its (transient) mixture, to come back unable to predict; Tribuo's
        // protobuf form failed with Tribuo's generic "must be overridden" message, leaving an empty file.
        org.tribuo.Model<org.tribuo.classification.Label> model = Mixture.builder()
                .expert("cart", new org.tribuo.classification.dtree.CARTClassificationTrainer(3)).crossFitFolds(2)
                .candidates("uniform").train(IRIS.train).asTribuoModel();
        String how = "a moe mixture as a Tribuo model has no serialized form: save the mixture with Mixture.save(path), a"
                + " bundle moe predict reads too, and load it with Mixture.load(path)";
        assertEquals(how, assertThrows(java.io.NotSerializableException.class, () -> {
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(new java.io.ByteArrayOutputStream())) {
                out.writeObject(model);
            }
        }).getMessage());
        assertEquals(how, assertThrows(UnsupportedOperationException.class, () -> model.serializeToFile(dir.resolve("m.tribuo")))
                .getMessage());
        assertTrue(!Files.exists(dir.resolve("m.tribuo")), "no empty file left behind");
    }
}
