package dev.moe.runtime.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentReportTest {

    @Test
    void theClassArchiveIsTheOneTheJvmWasStartedWith() {
        assertEquals("/x/moe-classes.jsa (mapped when it matches this class path and its jars, else skipped)",
                EnvironmentReport.classArchive(List.of("-Xmx1g", "-XX:SharedArchiveFile=/x/moe-classes.jsa", "-Xlog:cds*=off")));
        assertEquals("/b.jsa (mapped when it matches this class path and its jars, else skipped)",
                EnvironmentReport.classArchive(List.of("-XX:SharedArchiveFile=/a.jsa", "-XX:SharedArchiveFile=/b.jsa")));
        assertEquals("none (./moe makes one after each build and starts from it; MOE_CDS=0 turns that off)",
                EnvironmentReport.classArchive(List.of("-Xmx1g")));
    }

    @Test
    void theCollectorIsNamedFromItsManagementBeans() {
        assertEquals("Serial (./moe's choice unless MOE_JAVA_OPTS names a collector)",
                EnvironmentReport.collector(List.of("Copy", "MarkSweepCompact")));
        assertEquals("G1 (./moe runs the serial one unless MOE_JAVA_OPTS names a collector)",
                EnvironmentReport.collector(List.of("G1 Young Generation", "G1 Old Generation")));
        assertEquals("Parallel (./moe runs the serial one unless MOE_JAVA_OPTS names a collector)",
                EnvironmentReport.collector(List.of("PS Scavenge", "PS MarkSweep")));
        assertEquals("unknown (Foo) (./moe runs the serial one unless MOE_JAVA_OPTS names a collector)",
                EnvironmentReport.collector(List.of("Foo")));
    }

    @Test
    void aProvidersFindingsAreItsOwnAndWhatItThrowsIsTheFinding() {
        assertEquals(List.of("Lib 2.1", "GPU: none"), EnvironmentReport.findings(provider(() -> List.of("Lib 2.1", "GPU: none"))));
        assertEquals(List.of(), EnvironmentReport.findings(provider(() -> null)));
        assertEquals(List.of("cannot check: java.lang.UnsatisfiedLinkError: no lib in java.library.path"),
                EnvironmentReport.findings(provider(() -> {
                    throw new UnsatisfiedLinkError("no lib in java.library.path");
                })));
        // A provider that says nothing (the default) adds no line.
        assertEquals(List.of(), EnvironmentReport.findings(new dev.moe.api.ExpertProvider() {
            @Override
            public String name() {
                return "quiet";
            }
        }));
    }

    private static dev.moe.api.ExpertProvider provider(java.util.function.Supplier<List<String>> findings) {
        return new dev.moe.api.ExpertProvider() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public List<String> environment() {
                return findings.get();
            }
        };
    }
}
