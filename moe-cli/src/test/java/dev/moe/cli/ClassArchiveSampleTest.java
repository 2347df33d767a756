package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveSampleTest {

    @TempDir
    Path dir;

    @Test
    void theSampleRunsEachCommandItArchivesTheClassesOf() throws Exception {
        // ./moe keeps the archive only when the sample succeeds: every command must run on its own files.
        ClassArchiveSample.runIn(dir);
        assertTrue(Files.size(dir.resolve("sample.moe")) > 0);
        List<String> predictions = Files.readAllLines(dir.resolve("predictions.csv"));
        assertEquals(301, predictions.size(), "a header and one line per row of the sample");
        assertTrue(predictions.get(0).startsWith("predicted,probability,"), predictions.get(0));
    }

    @Test
    void theSampleDataIsTheSameForEveryBuild() {
        String csv = ClassArchiveSample.sampleCsv(6);
        assertEquals(csv, ClassArchiveSample.sampleCsv(6));
        assertEquals("a,b,c,d,label", csv.lines().findFirst().orElseThrow());
        assertEquals(List.of("l0", "l1", "l2", "l0", "l1", "l2"),
                csv.lines().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1)).toList());
    }
}
