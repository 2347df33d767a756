package dev.moe.experts.tribuo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class TribuoLoggingTest {

    /** A library user who configured nothing sees no "Training SGD model with N examples" per fit; warnings stay. */
    @Test
    void tribuosInfoLinesAreQuietUnlessSomeoneChoseALevel() {
        new TribuoExpertProvider();
        Logger trainer = Logger.getLogger("org.tribuo.common.sgd.AbstractSGDTrainer");
        assertFalse(trainer.isLoggable(Level.INFO));
        assertTrue(trainer.isLoggable(Level.WARNING));
    }
}
