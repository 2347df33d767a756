package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.CategoricalEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fill(...)} from Java: the training rows' median and the indicator, recorded and used by every reader. */
class MixtureFillTest {

    @TempDir
    Path dir;

    @Test
    void aCsvFileWithGapsTrainsAMixtureThatFillsAsMoePredictDoes() throws Exception {
        StringBuilder text = new StringBuilder("x,g,label\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Float> present = new ArrayList<>();
        for (int r = 0; r < 150; r++) {
            float x = ((r * 37) % 100) / 50f - 1;
            boolean gap = r % 5 == 0;
            float g = (r * 13) % 17;
            text.append(x).append(',').append(gap ? "?" : Float.toString(g)).append(',').append(x > 0.2f || gap ? "a" : "b").append('\n');
            Map<String, Object> row = new HashMap<>();
            row.put("x", x);
            row.put("g", gap ? (r % 2 == 0 ? null : Double.NaN) : (Object) g); // a gap as null or NaN, as Spark and pandas hold it
            rows.add(row);
            if (!gap) {
                present.add(g);
            }
        }
        Path csv = Files.writeString(dir.resolve("train.csv"), text);
        Mixture mixture = EncodedCsvFixture.twoExperts().fill("g").train(csv, "label");
        // Every row trains it (none is held out): the median of all 120 values present.
        float[] sorted = new float[present.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = present.get(i);
        }
        Arrays.sort(sorted);
        double median = (float) (((double) sorted[59] + sorted[60]) / 2);
        assertEquals(Map.of("g", median), mixture.filledColumns());
        assertEquals(List.of("x", "g"), mixture.inputColumns());
        assertEquals(List.of("x", "g", "g=missing"), mixture.featureNames());

        float[] byName = mixture.predictRows(rows).probabilities().values();
        float[] filled = new float[150 * 3];
        for (int r = 0; r < 150; r++) {
            Object g = rows.get(r).get("g");
            boolean gap = g == null || Double.isNaN(((Number) g).doubleValue());
            filled[r * 3] = (Float) rows.get(r).get("x");
            filled[r * 3 + 1] = gap ? (float) median : ((Number) g).floatValue();
            filled[r * 3 + 2] = gap ? 1 : 0;
        }
        assertArrayEquals(mixture.predict(new dev.moe.api.FloatMatrix(150, 3, filled)).probabilities().values(), byName);

        // Saved, moe predict's path reads the file's '?' cells as the library reads null and NaN: to the bit.
        SavedMixture saved = EncodedCsvFixture.readByMoePredictAsTheLibrary(mixture, csv, byName, 150, dir);
        assertEquals(List.of(CategoricalEncoding.Column.filled("g", median)), saved.encoding().filled());
        assertEquals(Map.of("g", median), Mixture.load(dir.resolve("trained.moe")).filledColumns());

        MoeException text2 = assertThrows(MoeException.class, () -> mixture.predictRows(List.of(Map.of("x", 1f, "g", "tall"))));
        assertEquals("row 0: column 'g': not a number: 'tall'", text2.getMessage());
        MoeException unknown = assertThrows(MoeException.class, () -> Mixture.builder()
                .expert("mlp", "nd4j-mlp", Map.of("hidden", 4, "epochs", 20)).fill("gg").train(csv, "label"));
        assertTrue(unknown.getMessage().startsWith("fill(...) names column 'gg', which " + csv + " does not have"), unknown.getMessage());
        MoeException gapOutside = assertThrows(MoeException.class, () -> Mixture.builder()
                .expert("mlp", "nd4j-mlp", Map.of("hidden", 4, "epochs", 20)).train(csv, "label"));
        assertTrue(gapOutside.getMessage().contains("name the column in fill(...)"), gapOutside.getMessage());
        assertThrows(IllegalStateException.class, () -> Mixture.builder().expert("mlp", "nd4j-mlp", Map.of()).fill("g")
                .train(new dev.moe.api.FloatMatrix(2, 1, new float[2]), List.of("g"), new int[2], List.of("a", "b")));
    }
}
