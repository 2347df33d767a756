package dev.moe.runtime.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs in both builds: the default one (CPU backend only) and {@code mvn -Pcuda} on a machine without a GPU,
 * where the CUDA backend is on the class path and the CPU must take over with one clear line.
 */
class BackendsTest {

    @Test
    void saysWhichBackendRunsAndWhyCudaDoesNot() {
        Backends.Status status = Backends.detect();
        Assumptions.assumeFalse(status.cuda(), "this machine has a usable GPU: nothing falls back");
        assertEquals("CpuBackend", status.active());
        boolean cudaBuild = classExists(Backends.CUDA_BACKEND);
        assertEquals(cudaBuild, status.cudaAvailable());
        // The CLI asks for the fallback line only in a CUDA build: it must know one without starting ND4J.
        assertEquals(cudaBuild, Backends.cudaBuild());
        if (cudaBuild) {
            assertEquals("no CUDA driver (libcuda.so.1) or CUDA 11.6 runtime on this machine", status.cudaProblem());
            assertTrue(status.fallbackLine().startsWith("CUDA backend not usable ("), status.fallbackLine());
            assertTrue(status.fallbackLine().endsWith("); running on the CPU"), status.fallbackLine());
            assertTrue(status.describe().startsWith("CpuBackend (CPU; CUDA on the class path but not usable: "), status.describe());
        } else {
            assertNull(status.fallbackLine());
            assertEquals("CpuBackend (CPU)", status.describe());
        }
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, BackendsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
