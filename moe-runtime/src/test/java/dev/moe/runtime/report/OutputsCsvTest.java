package dev.moe.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.training.GateSelection;
import dev.moe.runtime.evaluation.RepeatOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs file's layout where repeats differ: a level one repeat's training rows lack, a repeat with no choice. */
class OutputsCsvTest {

    @TempDir
    Path dir;

    private static FloatMatrix matrix(int rows, int columns, float... values) {
        return new FloatMatrix(rows, columns, values);
    }

    @Test
    void aFeatureARepeatLacksIsZeroThereAndARepeatWithoutAChoiceLeavesItsCellsEmpty() throws Exception {
        List<String> labels = List.of("no", "yes");
        List<String> experts = List.of("a", "b");
        // Repeat 42 saw the levels red and blue; repeat 43's training rows had no blue, so it has no such feature.
        RepeatOutputs first = new RepeatOutputs(42, List.of("size", "colour=blue", "colour=red"), labels, experts, "product",
                List.of("uniform", "product"),
                matrix(1, 3, 1.5f, 1, 0), new int[] {1}, List.of(matrix(1, 2, 0.25f, 0.75f), matrix(1, 2, 0.5f, 0.5f)),
                new GateSelection.Evidence(new int[] {3}, new double[][] {{0.5}, {0.25}}),
                matrix(1, 3, 2, 0, 1), new int[] {0}, List.of(matrix(1, 2, 0.9f, 0.1f), matrix(1, 2, 0.6f, 0.4f)),
                matrix(1, 2, 0.8f, 0.2f));
        RepeatOutputs second = new RepeatOutputs(43, List.of("size", "colour=red"), labels, experts, "top-k", List.of(),
                matrix(1, 2, 3, 1), new int[] {0}, List.of(matrix(1, 2, 1, 0), matrix(1, 2, 0.5f, 0.5f)), null,
                matrix(1, 2, 4, 0), new int[] {1}, List.of(matrix(1, 2, 0, 1), matrix(1, 2, 0.125f, 0.875f)),
                matrix(1, 2, 0.0625f, 0.9375f));
        Path file = dir.resolve("outputs.csv");
        OutputsCsv.write(List.of(first, second), file);
        assertEquals(List.of(
                "seed,set,combiner,fold,label,size,colour=blue,colour=red,p:a:no,p:a:yes,p:b:no,p:b:yes,p:moe:no,p:moe:yes,"
                        + "cv-loss:uniform,cv-loss:product",
                "42,gate,product,3,yes,1.5,1,0,0.25,0.75,0.5,0.5,,,0.5,0.25",
                "42,test,product,,no,2.0,0,1,0.9,0.1,0.6,0.4,0.8,0.2,,",
                "43,gate,top-k,,no,3.0,0,1,1,0,0.5,0.5,,,,",
                "43,test,top-k,,yes,4.0,0,0,0,1,0.125,0.875,0.0625,0.9375,,"), Files.readAllLines(file));
    }
}
