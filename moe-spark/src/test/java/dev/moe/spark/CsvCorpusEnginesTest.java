package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.scoring.CsvEvaluation;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared corpus of odd CSV files (moe-runtime's {@code src/test/resources/csv-corpus}) through both engines:
 * each file is accepted by both, with the same rows and accuracy, or refused by both with one line.
 */
class CsvCorpusEnginesTest {

    static final Path CORPUS = Path.of("../moe-runtime/src/test/resources/csv-corpus");

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static SavedMixture single;

    @BeforeAll
    static void setUp() {
        model = dir.resolve("corpus.moe");
        SparkFixtures.writeModel(model);
        single = new BundleReader(ProviderRegistry.fromClassPath()).read(model);
        spark = SparkFixtures.localSpark("CsvCorpusEnginesTest");
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    /** "rows N accuracy A" or "refused: MESSAGE". */
    private static String local(Path file) {
        try {
            CsvEvaluation.Result r = CsvEvaluation.evaluate(single, file);
            return "rows " + r.rows() + " accuracy " + r.accuracy().get("moe");
        } catch (MoeException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static String onSpark(Path file) {
        try {
            SparkEvaluation r = SparkMixture.load(spark, model).evaluate(SparkMixture.read(spark, file.toString()));
            return "rows " + r.rows() + " accuracy " + r.accuracy().get("moe");
        } catch (Exception e) {
            String message = SparkScoring.message(e);
            assertNotNull(message, () -> file + ": Spark failed without a one-line message: " + e);
            return "refused: " + message;
        }
    }

    @Test
    void bothEnginesAcceptOrRefuseEveryCorpusFileAlike() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.filter(p -> p.getFileName().toString().matches("(accept|refuse)-.*")).sorted().toList();
        }
        assertTrue(files.size() >= 20, files.toString());
        List<String> differences = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String local = local(file);
            String spark = onSpark(file);
            boolean refusedLocally = local.startsWith("refused: ");
            boolean refusedOnSpark = spark.startsWith("refused: ");
            assertEquals(name.startsWith("refuse-"), refusedLocally, name + " locally: " + local);
            if (refusedLocally != refusedOnSpark || (!refusedLocally && !local.equals(spark))) {
                differences.add(name + ": local " + local + " | spark " + spark);
            }
            assertFalse(spark.contains("\n"), spark);
        }
        assertEquals(List.of(), differences);
    }

    /** A local file that is not UTF-8 is read as Windows-1252, as the local engine reads it, and said so once. */
    @Test
    void aLocalWindows1252FileIsReadAsTheLocalEngineReadsItWithAWarning() {
        List<String> warnings = new ArrayList<>();
        Path file = CORPUS.resolve("accept-windows-1252.csv");
        List<String> notes = SparkMixture.read(spark, file.toString(), warnings::add).select("note").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("K\u00f6ln", "M\u00fcnchen"), notes);
        assertEquals(List.of(file + ": line 2: byte 0xF6 is not UTF-8: read as Windows-1252, the code page Excel saves a CSV"
                + " file in on Windows"), warnings);
        SparkMixture.read(spark, CORPUS.resolve("accept-semicolons.csv").toString(), warnings::add);
        assertEquals(1, warnings.size());
    }
}
