package dev.moe.cli;

import dev.moe.runtime.doctor.Backends;
import java.io.PrintWriter;

/**
 * One line on stderr when a CUDA build falls back to the CPU, before a command computes anything. Only a CUDA build
 * asks ND4J: starting its backend costs about 0.7 s of CPU, which a mixture without ND4J (Tribuo experts and a
 * row-independent combiner) would otherwise pay for nothing.
 */
final class BackendNotice {

    private BackendNotice() {
    }

    static void logFallback(PrintWriter err) {
        if (!Backends.cudaBuild()) {
            return;
        }
        String line = Backends.detect().fallbackLine();
        if (line != null) {
            err.println("moe: " + line);
            err.flush();
        }
    }
}
