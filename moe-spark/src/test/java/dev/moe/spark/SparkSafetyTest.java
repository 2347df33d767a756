package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's first case: {@code --engine spark} deleted whatever {@code --output} named. Each test asserts the exit
 * status, the one line, no trace, and by SHA-256 of every file that nothing the user had changed.
 */
class SparkSafetyTest {

    @TempDir
    static Path shared;
    static Path trained;

    @TempDir
    Path dir;
    Path model;
    Path csv;

    @BeforeAll
    static void train() {
        trained = shared.resolve("m.moe");
        SparkFixtures.writeModel(trained);
    }

    @BeforeEach
    void files() throws IOException {
        model = Files.copy(trained, dir.resolve("m.moe"));
        csv = dir.resolve("rows.csv");
        SparkFixtures.writeCsv(csv, 200, 5);
    }

    static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.toList()) {
                String name = folder.relativize(p).toString();
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        out.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                } else if (!name.isEmpty()) {
                    out.put(name + "/", "folder");
                }
            }
        }
        return out;
    }

    private record Run(int status, String out, String err) { }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SparkScoring.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void refused(String message, String... args) throws IOException {
        Map<String, String> before = snapshot(dir);
        Run r = run(args);
        assertEquals(2, r.status, r.err);
        assertEquals("moe-spark: " + message + System.lineSeparator(), r.err);
        assertFalse(r.err.contains("\tat "), r.err);
        assertEquals(before, snapshot(dir), "no file changed, none added");
    }

    private String[] predict(Path input, Path output, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("predict", "-m", model.toString(), "--input", input.toString(), "--output",
                output.toString(), "--master", "local[1]"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void anExistingFolderWithUnrelatedFilesIsNotEmptied() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("results"));
        Files.writeString(folder.resolve("thesis.tex"), "years of work");
        refused(folder + ": is a folder that is not empty; pass --overwrite to replace its contents, or choose another --output",
                predict(csv, folder));
    }

    @Test
    void anExistingFileDoesNotBecomeAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        refused(file + ": is a file; Spark writes a folder of part files: give a folder name for --output", predict(csv, file, "--overwrite"));
    }

    @Test
    void theOutputEqualToTheInputDoesNotDeleteIt() throws IOException {
        refused(csv + ": the predictions folder would replace " + csv + ", an input of this command; choose another --output",
                predict(csv, csv, "--overwrite"));
        refused(dir + ": the predictions folder would replace " + csv + ", an input of this command; choose another --output",
                predict(csv, dir, "--overwrite"));
    }

    @Test
    void aFailedRunLeavesThePreviousResultsAndNothingElse() throws IOException {
        Path results = dir.resolve("results");
        Run first = run(predict(csv, results));
        assertEquals(0, first.status, first.err);
        Path bad = Files.writeString(dir.resolve("bad.csv"), "feature0,feature1,feature2,feature3,label\n0.5,1,x,3,0\n");
        refused("input partition 0: column 'feature2': not a number: 'x'", predict(bad, results, "--overwrite"));
    }

    @Test
    void overwriteReplacesTheResultsWhole() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("old.txt"), "previous");
        Run r = run(predict(csv, results, "--overwrite"));
        assertEquals(0, r.status, r.err);
        assertFalse(Files.exists(results.resolve("old.txt")));
        assertTrue(Files.exists(results.resolve("_SUCCESS")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of("m.moe", "results", "rows.csv"), siblings.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary folder left beside it");
        }
    }

    @Test
    void evaluateJsonOverTheModelIsRefused() throws IOException {
        refused(model + ": the JSON report would overwrite " + model + ", the model of this command; choose another output",
                "evaluate", "-m", model.toString(), csv.toString(), "--json", model.toString(), "--master", "local[1]");
    }
}
