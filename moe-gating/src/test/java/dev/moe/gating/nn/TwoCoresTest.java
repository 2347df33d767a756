package dev.moe.gating.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TwoCoresTest {

    @Test
    void bothHalvesRunEvenWhenAHalfSplitsAgain() {
        AtomicInteger done = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> TwoCores.run(
                () -> TwoCores.run(done::incrementAndGet, done::incrementAndGet),
                () -> TwoCores.run(done::incrementAndGet, done::incrementAndGet)));
        assertEquals(4, done.get());
    }

    @Test
    void aFailingHalfIsRethrownAfterBothFinished() {
        AtomicInteger done = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TwoCores.run(() -> {
            throw new IllegalStateException("first half");
        }, done::incrementAndGet));
        assertEquals("first half", e.getMessage());
        assertEquals(1, done.get());
    }
}
