package dev.moe.cli;

import dev.moe.runtime.doctor.Backends;
import java.io.PrintWriter;

/** One line on stderr when a CUDA build falls back to the CPU, before a command computes anything. */
final class BackendNotice {

    private BackendNotice() {
    }

    static void logFallback(PrintWriter err) {
        String line = Backends.detect().fallbackLine();
        if (line != null) {
            err.println("moe: " + line);
            err.flush();
        }
    }
}
