package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleWriter;
import dev.moe.runtime.config.ConfigLoader;
import dev.moe.runtime.config.MoeConfig;
import dev.moe.runtime.experiment.Experiment;
import dev.moe.runtime.experiment.MoeModule;
import dev.moe.runtime.experiment.ProgressListener;
import dev.moe.runtime.plugins.ProviderRegistry;
import dev.moe.runtime.data.CategoricalEncoding;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle over a categorical column, loaded from Java: rows by column name are encoded as {@code moe predict} encodes them. */
class MixtureCategoricalTest {

    @TempDir
    Path dir;

    @Test
    void rowsByNameAreEncodedWithTheBundlesLevels() throws Exception {
        StringBuilder text = new StringBuilder("colour,x,label\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        String[] colours = {"red", "green", "blue"};
        for (int r = 0; r < 120; r++) {
            String colour = r == 100 ? "mauve" : r == 101 ? "?" : colours[(r * 7) % 3];
            float x = ((r * 37) % 100) / 50f - 1;
            String label = colour.equals("red") || x > 0.4f ? "a" : "b";
            text.append(colour).append(',').append(x).append(',').append(label).append('\n');
            Map<String, Object> row = new HashMap<>();
            row.put("colour", colour);
            row.put("x", r % 2 == 0 ? (Object) x : Float.toString(x)); // a number, or its text
            rows.add(row);
        }
        Files.writeString(dir.resolve("colours.csv"), text);
        ProviderRegistry registry = ProviderRegistry.fromClassPath();
        MoeConfig config = ConfigLoader.parse("""
                seed: 8
                data: { source: csv, path: colours.csv, categorical: [colour] }
                split: { experts: 0.4, gate: 0.3, test: 0.3 }
                experts:
                  - { id: a, provider: nd4j-mlp, params: { hidden: 4, epochs: 30, learning-rate: 0.05 } }
                  - { id: b, provider: nd4j-mlp, params: { hidden: 6, epochs: 30, learning-rate: 0.05 } }
                gate: { choose: gate, epochs: 30, learning-rate: 0.05 }
                """, dir.resolve("colours.yaml"));
        Experiment.TrainedRun run = Guice.createInjector(new MoeModule(config, registry)).getInstance(Experiment.class)
                .train(config.seedOrDefault(), "", ProgressListener.SILENT);
        Path file = dir.resolve("colours.moe");
        new BundleWriter(registry).write(run.saveRequest(config, registry, null), file);

        Mixture mixture = Mixture.load(file);
        assertEquals(List.of("colour", "x"), mixture.inputColumns());
        assertEquals(Map.of("colour", run.encoding().categorical().get(0).levels()), mixture.categoricalColumns());
        assertEquals(run.data().featureNames(), mixture.featureNames());
        assertEquals("x", mixture.featureNames().get(mixture.featureNames().size() - 1));
        MixtureModel.Prediction expected = run.model().predict(run.data().features());
        assertArrayEquals(expected.probabilities().values(), mixture.predictRows(rows).probabilities().values());

        // Saved again from Java, the encoding stays with it.
        Path again = dir.resolve("again.moe");
        mixture.save(again);
        assertEquals(mixture.categoricalColumns(), Mixture.load(again).categoricalColumns());

        MoeException missing = assertThrows(MoeException.class, () -> mixture.predictRows(List.of(Map.of("x", 1f))));
        assertEquals("row 0: no column 'colour'; the mixture reads 2 columns (colour, x)", missing.getMessage());
        MoeException gap = assertThrows(MoeException.class, () -> mixture.predictRows(List.of(Map.of("colour", "red", "x", "NA"))));
        assertTrue(gap.getMessage().startsWith("row 0: column 'x': a missing value ('NA')"), gap.getMessage());
    }

    @Test
    void aCsvFileWithCategoricalColumnsTrainsAMixtureThatMoePredictReadsAsTheLibraryDoes() throws Exception {
        StringBuilder text = new StringBuilder("colour,x,label\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        String[] colours = {"red", "green", "blue"};
        for (int r = 0; r < 150; r++) {
            String colour = r % 30 == 4 ? "" : colours[(r * 7) % 3];
            float x = ((r * 37) % 100) / 50f - 1;
            String label = colour.equals("red") || x > 0.4f ? "a" : "b";
            text.append(colour).append(',').append(x).append(',').append(label).append('\n');
            rows.add(Map.of("colour", colour, "x", Float.toString(x))); // as the file has them
        }
        Path csv = Files.writeString(dir.resolve("train.csv"), text);
        Mixture mixture = EncodedCsvFixture.twoExperts().categorical("colour").train(csv, "label");
        // The raw columns in, the levels of the training rows (the blank cell is no level) recorded.
        assertEquals(List.of("colour", "x"), mixture.inputColumns());
        assertEquals(List.of("colour=blue", "colour=green", "colour=red", "x"), mixture.featureNames());
        assertEquals(Map.of("colour", List.of("blue", "green", "red")), mixture.categoricalColumns());
        float[] byName = mixture.predictRows(rows).probabilities().values();
        float[] oneHot = new float[150 * 4];
        for (int r = 0; r < 150; r++) {
            int level = List.of("blue", "green", "red").indexOf(rows.get(r).get("colour"));
            if (level >= 0) {
                oneHot[r * 4 + level] = 1;
            }
            oneHot[r * 4 + 3] = Float.parseFloat((String) rows.get(r).get("x"));
        }
        assertArrayEquals(mixture.predict(new dev.moe.api.FloatMatrix(150, 4, oneHot)).probabilities().values(), byName);

        // Saved, it is read by moe predict's path with the same encoding; the label column is the file's.
        dev.moe.runtime.bundle.SavedMixture saved = EncodedCsvFixture.readByMoePredictAsTheLibrary(mixture, csv, byName, 150, dir);
        assertEquals(List.of(new CategoricalEncoding.Column("colour", List.of("blue", "green", "red"))), saved.encoding().categorical());
        assertEquals("label", saved.labelColumn());
        // A level the training rows lack reads as a missing cell does: none of the levels; either is said in one warning.
        assertEquals("", stderrOf(() -> mixture.predictRows(rows.subList(0, 4))), "rows 0-3 hold known levels");
        float[][] unknown = new float[2][];
        String said = stderrOf(() -> unknown[0] = mixture.predictRows(List.of(Map.of("colour", "", "x", 0.5f),
                Map.of("colour", "", "x", 0.5f))).probabilities().values());
        assertOneWarning("predictRows, 2 rows: categorical cells encoded as none of the known levels (all zeros):"
                + " 'colour' 2 missing", said);
        said = stderrOf(() -> unknown[1] = mixture.predictRows(List.of(Map.of("colour", "mauve", "x", 0.5f),
                Map.of("colour", "", "x", 0.5f))).probabilities().values());
        assertOneWarning("predictRows, 2 rows: categorical cells encoded as none of the known levels (all zeros):"
                + " 'colour' 1 missing, 1 with a level unseen in training (e.g. 'mauve')", said);
        assertArrayEquals(unknown[0], unknown[1]);

        IllegalStateException numbers = assertThrows(IllegalStateException.class, () -> Mixture.builder()
                .expert("cart", new CARTClassificationTrainer(3)).categorical("colour")
                .train(new dev.moe.api.FloatMatrix(2, 1, new float[2]), List.of("x"), new int[2], List.of("a", "b")));
        assertEquals("categorical(colour) names a CSV file's columns (train(Path, String)); a matrix holds numbers already",
                numbers.getMessage());
    }

    @Test
    void aCsvFilesProblemsAreSaidInTheBuildersWords() throws Exception {
        StringBuilder text = new StringBuilder("id,colour,x,label\n");
        for (int r = 0; r < 60; r++) {
            text.append("r").append(r).append(',').append(r % 3 == 0 ? "red" : "blue").append(',').append(r % 7).append(',')
                    .append(r % 3 == 0 ? "a" : "b").append('\n');
        }
        Path csv = Files.writeString(dir.resolve("ids.csv"), text);
        MixtureBuilder builder = Mixture.builder().seed(3).crossFitFolds(2).expert("cart", new CARTClassificationTrainer(3));
        MoeException text1 = assertThrows(MoeException.class, () -> builder.categorical("colour").train(csv, "label"));
        assertEquals(csv + ": line 2, column 'id': not a number: 'r0'; if its values are categories, name it in"
                + " categorical(\"id\", ...) (or categorical(\"all\")); if it is not a feature, in ignore(\"id\")", text1.getMessage());
        MoeException label = assertThrows(MoeException.class, () -> builder.train(csv, "lable"));
        assertTrue(label.getMessage().startsWith("no label column 'lable' (did you mean 'label'?) in the header of " + csv),
                label.getMessage());
        MoeException unlike = assertThrows(MoeException.class, () -> builder.train(csv, "class"));
        assertTrue(unlike.getMessage().endsWith("; if the label is the last column, give train(csv, \"label\")"), unlike.getMessage());
        MoeException column = assertThrows(MoeException.class, () -> builder.categorical("color").train(csv, "label"));
        assertTrue(column.getMessage().startsWith("categorical(...) names column 'color', which " + csv), column.getMessage());
        MoeException ignored = assertThrows(MoeException.class, () -> builder.ignore("ID").train(csv, "label"));
        assertTrue(ignored.getMessage().startsWith("ignore(...) names column 'ID', which " + csv), ignored.getMessage());

        Mixture mixture = builder.ignore("id").categorical("all").train(csv, "label");
        assertEquals(List.of("colour", "x"), mixture.inputColumns());
        assertEquals(Map.of("colour", List.of("blue", "red"), "x", List.of("0", "1", "2", "3", "4", "5", "6")),
                mixture.categoricalColumns());
        NullPointerException hole = assertThrows(NullPointerException.class,
                () -> mixture.predictRows(java.util.Arrays.asList(Map.of("colour", "red", "x", 1), null)));
        assertEquals("row 1 is null", hole.getMessage());

        // The row index pandas' to_csv writes has no name: refused in the builder's words, left out by ignore("").
        Path pandas = Files.writeString(dir.resolve("pandas.csv"), text.toString().lines()
                .map(line -> (line.startsWith("id,") ? "" : line.substring(1, line.indexOf(','))) + "," + line)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        MoeException unnamed = assertThrows(MoeException.class, () -> builder.ignore("id").train(pandas, "label"));
        assertEquals(pandas + ": column 1 of the header has no name (a row index written by pandas or R? a trailing comma?);"
                + " leave it out with ignore(\"\"), or give it a name", unnamed.getMessage());
        assertEquals(List.of("colour", "x"), builder.ignore("", "id").train(pandas, "label").inputColumns());
    }

    private static void assertOneWarning(String message, String stderr) {
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.strip().endsWith("WARN dev.moe.library.Mixture - " + message), stderr);
    }

    /** What a call wrote on stderr (slf4j-simple, the tests' binding, writes there at warning level). */
    private static String stderrOf(Runnable call) {
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setErr(before);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
