package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginOptionsTest {

    @TempDir
    Path dir;

    @Test
    void theOptionThenTheVariableThenTheFolderBesideTheConfig() throws Exception {
        Path option = Files.createDirectories(dir.resolve("option"));
        Path variable = Files.createDirectories(dir.resolve("variable"));
        Path config = Files.createDirectories(dir.resolve("config"));
        assertEquals(option, PluginOptions.folder(option, variable.toString(), config));
        assertEquals(variable, PluginOptions.folder(null, variable.toString(), config));
        assertNull(PluginOptions.folder(null, " ", config), "no plugins/ beside the config");
        Path beside = Files.createDirectories(config.resolve("plugins"));
        assertEquals(beside, PluginOptions.folder(null, null, config));
    }

    /** A forgotten MOE_PLUGINS must be named, or the user looks for a folder they never typed. */
    @Test
    void aVariableNamingNoFolderSaysItIsTheVariable() {
        Path absent = dir.resolve("absent");
        assertEquals("$MOE_PLUGINS: plugins folder not found: " + absent + " (point it at a folder of plugin jars, or unset it)",
                assertThrows(MoeException.class, () -> PluginOptions.folder(null, absent.toString(), null)).getMessage());
    }
}
