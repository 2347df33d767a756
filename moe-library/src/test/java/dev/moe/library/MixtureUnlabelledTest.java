package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unlabelled(...)} from Java: rows without a label left out, and the list kept through save, load and save. */
class MixtureUnlabelledTest {

    @TempDir
    Path dir;

    @Test
    void rowsWithoutALabelAreLeftOutAndTheListIsSavedAndKeptThroughLoad() throws Exception {
        StringBuilder text = new StringBuilder("x,g,label\n");
        for (int r = 0; r < 120; r++) {
            float x = ((r * 37) % 100) / 50f - 1;
            // Every tenth row has no label, NA or blank; an NA row's other cell is text, which a labelled row could not have.
            String label = r % 10 == 3 ? (r % 20 == 3 ? " NA " : "") : x > 0.2f ? "a" : "b";
            text.append(x).append(',').append(label.equals(" NA ") ? "n/a" : Float.toString((r * 13) % 17)).append(',').append(label).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("train.csv"), text);

        Mixture mixture = EncodedCsvFixture.twoExperts().unlabelled("NA", "").train(csv, "label");
        assertEquals(List.of("a", "b"), mixture.labelNames());
        assertEquals(List.of("NA", ""), mixture.unlabelled());
        assertEquals(108, rowsTrainedOn(mixture));

        Path first = dir.resolve("first.moe");
        mixture.save(first);
        assertEquals(List.of("NA", ""), new BundleReader(ProviderRegistry.fromClassPath()).read(first).unlabelled());
        // Loaded and saved again, the list is not lost: moe evaluate -m reads it from the bundle.
        Path second = dir.resolve("second.moe");
        Mixture.load(first).save(second);
        assertEquals(List.of("NA", ""), new BundleReader(ProviderRegistry.fromClassPath()).read(second).unlabelled());

        // Without it, a blank label is refused with the builder's own words for the fix.
        MoeException blank = assertThrows(MoeException.class, () -> EncodedCsvFixture.twoExperts().unlabelled("NA").train(csv, "label"));
        assertTrue(blank.getMessage().endsWith("empty label (rows without a label: unlabelled(\"\") leaves them out)"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mixture.builder().unlabelled());
        assertThrows(IllegalStateException.class, () -> EncodedCsvFixture.twoExperts().unlabelled("NA")
                .train(new dev.moe.api.FloatMatrix(2, 1, new float[2]), List.of("g"), new int[2], List.of("a", "b")));
    }

    /** The rows the bundle's provenance says it was trained on. */
    private int rowsTrainedOn(Mixture mixture) throws Exception {
        Path file = dir.resolve("rows.moe");
        mixture.save(file);
        return new BundleReader(ProviderRegistry.fromClassPath()).read(file).manifest().provenance().dataRows();
    }
}
