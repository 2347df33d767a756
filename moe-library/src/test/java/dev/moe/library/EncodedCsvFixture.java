package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.scoring.CsvPredictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tribuo.classification.dtree.CARTClassificationTrainer;

/**
 * What the library's categorical and filled columns' tests share: the two experts a CSV file's mixture is trained
 * with, and {@code moe predict}'s reading of the saved mixture against the library's own predictions.
 */
final class EncodedCsvFixture {

    private EncodedCsvFixture() {
    }

    /** An MLP and a CART tree, seed 3, 3 folds; the caller names the encoded column and trains. */
    static MixtureBuilder twoExperts() {
        return Mixture.builder().seed(3).crossFitFolds(3)
                .expert("mlp", "nd4j-mlp", Map.of("hidden", 4, "epochs", 20))
                .expert("cart", new CARTClassificationTrainer(3));
    }

    /**
     * Saved ({@code trained.moe} in {@code dir}), the mixture is read by {@code moe predict}'s path, which gives on the
     * raw file what the library gave on its rows ({@code byName}, {@code rows} rows), to the bit.
     *
     * @return the mixture as moe predict's path read it
     */
    static SavedMixture readByMoePredictAsTheLibrary(Mixture mixture, Path csv, float[] byName, int rows, Path dir) throws Exception {
        Path file = dir.resolve("trained.moe");
        mixture.save(file);
        SavedMixture saved = new BundleReader(ProviderRegistry.fromClassPath()).read(file);
        Path out = dir.resolve("predicted.csv");
        CsvPredictions.write(saved, csv, out);
        List<String> lines = Files.readAllLines(out);
        int labels = byName.length / rows;
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (int c = 0; c < labels; c++) {
                assertEquals(byName[r * labels + c], Float.parseFloat(cells[2 + c]), "row " + r);
            }
        }
        return saved;
    }
}
