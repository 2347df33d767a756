package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the cells moe could not encode cost a user's screen: one warning, not one paragraph per repeat. */
class EncodingNoticeTest {

    @TempDir
    Path dir;

    @Test
    void unseenLevelsAreWarnedOnceAndEachRepeatsCountsShownWithVerbose() throws Exception {
        // A maker column of many rare levels: every repeat's test rows hold other unseen ones, so the counts differ.
        StringBuilder csv = new StringBuilder("x,maker,label\n");
        for (int r = 0; r < 120; r++) {
            float x = ((r * 37) % 120) / 60f - 1;
            csv.append(x).append(',').append("m").append(r % 60).append(',').append(x > 0 ? "yes" : "no").append('\n');
        }
        Files.writeString(dir.resolve("makers.csv"), csv);
        Path config = Files.writeString(dir.resolve("makers.yaml"), """
                seed: 2
                data: { source: csv, path: makers.csv, categorical: [maker] }
                split: { test: 0.3, cross-fit: 2 }
                experts:
                  - { id: a, provider: tribuo, params: { algorithm: logistic-regression, epochs: 5 } }
                  - { id: b, provider: tribuo, params: { algorithm: cart, max-depth: 3, probabilities: scores } }
                """);
        String notice = "categorical cells encoded as none of the known levels";
        SafetyTest.Process quiet = SafetyTest.process(null, List.of(), "evaluate", config.toString(), "--repeat", "3", "-q");
        assertEquals(0, quiet.status(), quiet.err());
        assertEquals(1, quiet.err().lines().filter(l -> l.contains(notice)).count(), quiet.err());
        assertTrue(quiet.err().contains("WARN Experiment - repeat 1/3: makers.csv: " + notice), quiet.err());

        SafetyTest.Process verbose = SafetyTest.process(null, List.of(), "evaluate", config.toString(), "--repeat", "3", "--verbose");
        assertEquals(0, verbose.status(), verbose.err());
        // Each later repeat whose test rows hold other unseen levels says so, as information.
        assertEquals(2, verbose.err().lines().filter(l -> l.startsWith("INFO Experiment - repeat ") && l.contains(notice)).count(), verbose.err());
    }
}
