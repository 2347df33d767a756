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

    /** moe doctor is where a user looks when plugins do not load: it still lists the machine, then names the variable. */
    @Test
    void doctorWithAVariableNamingNoFolderListsTheRestAndNamesIt() throws Exception {
        Path absent = dir.resolve("absent");
        ProcessBuilder doctor = new ProcessBuilder(ChildJvm.moe(java.util.List.of(), "doctor"));
        doctor.environment().put("MOE_PLUGINS", absent.toString());
        doctor.redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        assertEquals(2, doctor.start().waitFor());
        String out = Files.readString(dir.resolve("out.txt"));
        org.junit.jupiter.api.Assertions.assertTrue(out.contains("plugins folder       " + absent) && out.contains("plugins NOT loaded"), out);
        String err = Files.readString(dir.resolve("err.txt")).strip();
        org.junit.jupiter.api.Assertions.assertTrue(err.endsWith(System.lineSeparator() + "moe: $MOE_PLUGINS: plugins folder not found: "
                + absent + " (point it at a folder of plugin jars, or unset it)") || err.startsWith("moe: $MOE_PLUGINS"), err);
    }

    /** A forgotten MOE_PLUGINS must be named, or the user looks for a folder they never typed. */
    @Test
    void aVariableNamingNoFolderSaysItIsTheVariable() {
        Path absent = dir.resolve("absent");
        assertEquals("$MOE_PLUGINS: plugins folder not found: " + absent + " (point it at a folder of plugin jars, or unset it)",
                assertThrows(MoeException.class, () -> PluginOptions.folder(null, absent.toString(), null)).getMessage());
    }
}
