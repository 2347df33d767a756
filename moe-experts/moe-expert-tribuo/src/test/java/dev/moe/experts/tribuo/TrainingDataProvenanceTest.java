package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.moe.api.Expert;
import dev.moe.api.ExpertProvenance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;

/** A loaded Tribuo model names the file it was trained on, by the hash its own provenance keeps. */
class TrainingDataProvenanceTest {

    @TempDir
    Path dir;

    private Path wineCsv() throws IOException {
        Path csv = dir.resolve("wine.csv");
        try (InputStream in = getClass().getResourceAsStream("/data/wine.csv")) {
            Files.copy(in, csv);
        }
        return csv;
    }

    private Expert saveAndLoad(Model<Label> model, String name) {
        TribuoModelFiles.save(model, dir.resolve(name));
        return new TribuoExpertProvider().load(TribuoExpertProviderTest.spec("e", dir, Map.of("model", name)));
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void aModelTrainedOnAWholeFileNamesItsHashAndPath() throws Exception {
        Path csv = wineCsv();
        var data = new MutableDataset<>(new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label"));
        Expert loaded = saveAndLoad(new CARTClassificationTrainer(3).train(data), "whole.tribuo");

        assertEquals(sha256(csv), loaded.provenance().get(ExpertProvenance.TRAINING_DATA_SHA256));
        assertEquals(csv.toString(), loaded.provenance().get(ExpertProvenance.TRAINING_DATA));
        assertNull(loaded.provenance().get(ExpertProvenance.TRAINING_DATA_PART));
        assertEquals(String.valueOf(data.size()), loaded.provenance().get("training-rows"));
    }

    @Test
    void aModelTrainedOnASplitSaysWhichSide() throws Exception {
        Path csv = wineCsv();
        var split = new TrainTestSplitter<>(new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "label"), 0.7, 5L);
        Expert loaded = saveAndLoad(new CARTClassificationTrainer(3).train(new MutableDataset<>(split.getTrain())), "split.tribuo");

        assertEquals(sha256(csv), loaded.provenance().get(ExpertProvenance.TRAINING_DATA_SHA256));
        assertEquals("training side of a train/test split (0.70 of the rows, seed 5)",
                loaded.provenance().get(ExpertProvenance.TRAINING_DATA_PART));
    }

    @Test
    void aModelTrainedOnRowsInMemoryNamesNoFile() {
        Expert trained = new TribuoExpertProvider().train(
                TribuoExpertProviderTest.spec("e", dir, Map.of("algorithm", "cart")), CsvData.read("wine.csv"));
        assertFalse(trained.provenance().containsKey(ExpertProvenance.TRAINING_DATA_SHA256));
        assertFalse(trained.provenance().containsKey(ExpertProvenance.TRAINING_DATA));
    }
}
