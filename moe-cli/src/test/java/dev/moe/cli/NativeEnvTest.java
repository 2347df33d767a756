package dev.moe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/native-env.sh, which ./moe sources: the OpenBLAS kernel follows the processor's flags, so that a processor
 * without AVX-512 never gets the AVX-512 kernel (OpenBLAS would crash on its first product).
 */
class NativeEnvTest {

    private static final String AVX512 = "flags\t\t: fpu sse sse2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl\n";
    private static final String AVX2 = "flags\t\t: fpu sse sse2 avx fma avx2\n";
    private static final String OLD = "flags\t\t: fpu sse sse2 sse4_2 avx\n";

    @TempDir
    Path dir;

    /** Sources the script as ./moe does and prints the three settings it exports. */
    private String[] run(String cpuinfo, Map<String, String> env) throws IOException, InterruptedException {
        Path file = dir.resolve("cpuinfo");
        Files.writeString(file, cpuinfo);
        Path script = Path.of("..", "bin", "native-env.sh").toAbsolutePath().normalize();
        // Under the launcher's own shell options: nothing in the script may fail a strict shell.
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; source \"$1\"; moe_native_env; printf '%s\\n%s\\n%s\\n' \"${OPENBLAS_CORETYPE:-unset}\" \"$OMP_NUM_THREADS\" \"$MOE_NATIVE_NOTE\"",
                "bash", script.toString());
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OMP_NUM_THREADS");
        pb.environment().remove("MOE_OPENBLAS_CORETYPE");
        pb.environment().put("MOE_CPUINFO", file.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.split("\n");
    }

    @Test
    void avx512GetsTheSkylakeXKernelAndReplacesAnInheritedOne() throws Exception {
        String[] out = run(AVX512, Map.of("OPENBLAS_CORETYPE", "Haswell"));
        assertEquals("SKYLAKEX", out[0]);
        assertEquals("1", out[1]);
        assertEquals("OPENBLAS_CORETYPE=SKYLAKEX (the processor has AVX-512; replaced the inherited Haswell); OMP_NUM_THREADS=1", out[2]);
    }

    @Test
    void withoutAvx512TheHaswellKernelAndWithoutAvx2OpenBlasDecides() throws Exception {
        assertEquals("HASWELL", run(AVX2, Map.of())[0]);
        String[] old = run(OLD, Map.of());
        assertEquals("unset", old[0]);
        assertTrue(old[2].startsWith("OPENBLAS_CORETYPE unset (no AVX2 found: left to OpenBLAS)"), old[2]);
        // Half of AVX-512 is not enough.
        assertEquals("HASWELL", run("flags : avx2 fma avx512f avx512cd\n", Map.of())[0]);
    }

    @Test
    void anotherArchitectureOrNoCpuinfoLeavesTheChoiceToOpenBlas() throws Exception {
        // An ARM cpuinfo names its extensions "Features"; grep finds no flags line.
        assertEquals("unset", run("processor : 0\nFeatures : fp asimd evtstrm aes\n", Map.of())[0]);
        assertEquals("unset", run("", Map.of("MOE_CPUINFO", dir.resolve("missing").toString()))[0]);
    }

    @Test
    void theUsersChoicesWin() throws Exception {
        String[] out = run(AVX512, Map.of("MOE_OPENBLAS_CORETYPE", "ZEN", "OMP_NUM_THREADS", "2"));
        assertEquals("ZEN", out[0]);
        assertEquals("2", out[1]);
        assertEquals("OPENBLAS_CORETYPE=ZEN (MOE_OPENBLAS_CORETYPE); OMP_NUM_THREADS=2", out[2]);
    }
}
