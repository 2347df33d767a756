package dev.moe.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MissingCellsTest {

    @Test
    void theSpellingsOfAMissingCellInAnyCaseAndWithSpacesAround() {
        for (String cell : List.of("", " ", "NA", "na", " N/A ", "NaN", "null", "None", "NONE", "?", ".", " . ")) {
            assertTrue(MissingCells.isMissing(cell), "'" + cell + "'");
        }
        for (String cell : List.of("0", "n", "N/A/B", "-", "missing", "??", "nul", "..", ".5", "0.")) {
            assertFalse(MissingCells.isMissing(cell), "'" + cell + "'");
        }
    }
}
