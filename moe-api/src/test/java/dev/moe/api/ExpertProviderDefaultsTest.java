package dev.moe.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExpertProviderDefaultsTest {

    /** A provider that only trains: it writes neither load nor save. */
    private static final class TrainOnly implements ExpertProvider {
        @Override
        public String name() {
            return "train-only";
        }

        @Override
        public boolean canTrain() {
            return true;
        }

        @Override
        public boolean canLoad() {
            return false;
        }
    }

    @Test
    void aTrainOnlyProviderNeedNotImplementLoad() {
        ExpertProvider provider = new TrainOnly();
        assertFalse(provider.canLoad());
        assertTrue(provider.parameters().isEmpty());
        ExpertSpec spec = new ExpertSpec("e", "train-only", Parameters.empty("experts[e].params"), Path.of("."), 1);
        ExpertException e = assertThrows(ExpertException.class, () -> provider.load(spec));
        assertTrue(e.getMessage().startsWith("provider 'train-only' only trains experts"), e.getMessage());
        assertFalse(provider.canSave(null));
    }
}
