package dev.moe.runtime.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParallelBlocksTest {

    @Test
    void resultsArriveInSubmissionOrderWithFewBlocksInFlight() {
        List<Integer> seen = new ArrayList<>();
        int[] mostInFlight = {0};
        int cores = Runtime.getRuntime().availableProcessors();
        try (ParallelBlocks<Integer> blocks = new ParallelBlocks<>(seen::add)) {
            for (int i = 0; i < 200; i++) {
                int block = i;
                mostInFlight[0] = Math.max(mostInFlight[0], i - seen.size());
                blocks.submit(() -> {
                    Thread.sleep((block * 7) % 3); // later blocks often finish first
                    return block;
                });
            }
            blocks.finish();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertTrue(mostInFlight[0] <= cores + 1, "at most one block per core plus one waits: " + mostInFlight[0]);
    }

    @Test
    void aGivenThreadCountRunsThatManyBlocksAtOnceWhateverTheCores() throws Exception {
        int threads = Runtime.getRuntime().availableProcessors() + 2;
        java.util.concurrent.CountDownLatch allStarted = new java.util.concurrent.CountDownLatch(threads);
        List<Integer> seen = new ArrayList<>();
        try (ParallelBlocks<Integer> blocks = new ParallelBlocks<>(threads, seen::add)) {
            for (int i = 0; i < threads; i++) {
                int block = i;
                blocks.submit(() -> {
                    allStarted.countDown();
                    // Every block waits for all of them: this finishes only if they all run at once.
                    assertTrue(allStarted.await(10, java.util.concurrent.TimeUnit.SECONDS), "all blocks running at once");
                    return block;
                });
            }
            blocks.finish();
        }
        assertEquals(threads, seen.size());
        assertThrows(IllegalArgumentException.class, () -> new ParallelBlocks<Integer>(0, x -> { }));
        // One thread is the least, and enough.
        List<Integer> one = new ArrayList<>();
        try (ParallelBlocks<Integer> blocks = new ParallelBlocks<>(1, one::add)) {
            for (int i = 0; i < 5; i++) {
                int block = i;
                blocks.submit(() -> block);
            }
            blocks.finish();
        }
        assertEquals(List.of(0, 1, 2, 3, 4), one);
    }

    @Test
    void aFailingBlockIsRethrownAsThrown() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (ParallelBlocks<Integer> blocks = new ParallelBlocks<>(x -> { })) {
                blocks.submit(() -> 1);
                blocks.submit(() -> {
                    throw new IllegalStateException("bad row 7");
                });
                blocks.finish();
            }
        });
        assertEquals("bad row 7", e.getMessage());
    }
}
