package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelHalvesTest {

    @Test
    void bothHalvesRunEvenWhenAHalfSplitsAgain() {
        AtomicInteger done = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ParallelHalves.run(
                () -> ParallelHalves.run(done::incrementAndGet, done::incrementAndGet),
                () -> ParallelHalves.run(done::incrementAndGet, done::incrementAndGet)));
        assertEquals(4, done.get());
    }

    /** Callers on many threads at once, each splitting twice more, more of them than cores: nobody waits forever. */
    @Test
    void nestedSplitsFromManyThreadsAtOnceAllFinish() throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        Runnable leaf = done::incrementAndGet;
        Runnable twice = () -> ParallelHalves.run(() -> ParallelHalves.run(leaf, leaf), () -> ParallelHalves.run(leaf, leaf));
        int threads = 8;
        int rounds = 2000;
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread caller = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    twice.run();
                }
            });
            callers.add(caller);
            caller.start();
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Thread caller : callers) {
                caller.join();
            }
        });
        assertEquals(threads * rounds * 4, done.get());
    }

    @Test
    void aFailingSecondHalfIsRethrownAfterTheFirstFinished() {
        AtomicInteger done = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParallelHalves.run(() -> {
            sleep(50);
            done.incrementAndGet();
        }, () -> {
            throw new IllegalArgumentException("second half");
        }));
        assertEquals("second half", e.getMessage());
        assertEquals(1, done.get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailingHalfIsRethrownAfterBothFinished() {
        AtomicInteger done = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelHalves.run(() -> {
            throw new IllegalStateException("first half");
        }, done::incrementAndGet));
        assertEquals("first half", e.getMessage());
        assertEquals(1, done.get());
    }
}
