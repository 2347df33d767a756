package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.bundle.BundleReader;
import dev.moe.runtime.plugins.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says about itself: its version, its help, its completion script (issue 16). */
class CommandLineTextTest {

    @TempDir
    Path dir;

    static MainTest.Result moe(String... args) {
        return MainTest.moe(args);
    }

    @Test
    void versionIsTheOneASavedBundleRecords() throws Exception {
        Path config = Files.writeString(dir.resolve("exp.yaml"), MainTest.SMALL);
        Path model = dir.resolve("m.moe");
        MainTest.Result trained = moe("train", config.toString(), "-o", model.toString(), "-q");
        assertEquals(0, trained.status(), trained.err());
        String createdBy = new BundleReader(ProviderRegistry.discover(Main.class.getClassLoader(), null))
                .read(model).manifest().createdBy();

        MainTest.Result version = moe("--version");
        assertEquals(0, version.status(), version.err());
        assertEquals(createdBy, version.out().strip());
        // ... and it is the project's version as Maven has it, not a constant in the code.
        assertEquals("moe " + System.getProperty("moe.projectVersion"), createdBy);

        // Every subcommand says the same, and doctor says it first.
        assertEquals(createdBy, moe("train", "--version").out().strip());
        MainTest.Result doctor = moe("doctor");
        assertEquals(0, doctor.status(), doctor.err());
        String first = doctor.out().lines().findFirst().orElseThrow();
        assertEquals(createdBy, first.replaceAll("\\s+", " "));
    }
}
