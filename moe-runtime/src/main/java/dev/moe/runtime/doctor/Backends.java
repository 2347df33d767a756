package dev.moe.runtime.doctor;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * Which ND4J backend runs, and why. A build with {@code -Pcuda} carries the CUDA backend beside the CPU one;
 * ND4J prefers CUDA and silently falls back to the CPU when no usable GPU or CUDA runtime is found. This says
 * so in one line instead.
 */
public final class Backends {

    static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";

    /**
     * @param active         the backend in use, e.g. {@code CpuBackend}
     * @param cuda           whether that is the CUDA backend
     * @param cudaAvailable  whether the CUDA backend is on the class path at all (a -Pcuda build)
     * @param cudaProblem    why CUDA is not in use although it is on the class path; null otherwise
     */
    public record Status(String active, boolean cuda, boolean cudaAvailable, String cudaProblem) {

        /** The line to log when a CUDA build runs on the CPU; null when there is nothing to say. */
        public String fallbackLine() {
            return cudaAvailable && !cuda ? "CUDA backend not usable (" + cudaProblem + "); running on the CPU" : null;
        }

        public String describe() {
            if (cuda) {
                return active + " (CUDA)";
            }
            return active + " (CPU" + (cudaAvailable ? "; CUDA on the class path but not usable: " + cudaProblem : "") + ")";
        }
    }

    private Backends() {
    }

    /**
     * Whether this is a build with the CUDA backend (-Pcuda), the only one that can fall back to the CPU. Loads
     * nothing of ND4J otherwise, so a command that does not need ND4J does not start it just to ask.
     */
    public static boolean cudaBuild() {
        return Backends.class.getClassLoader().getResource(CUDA_BACKEND.replace('.', '/') + ".class") != null;
    }

    public static Status detect() {
        Nd4jBackend backend = Nd4j.getBackend();
        String active = backend.getClass().getSimpleName();
        boolean cuda = backend.getClass().getName().equals(CUDA_BACKEND);
        Class<?> cudaClass;
        try {
            cudaClass = Class.forName(CUDA_BACKEND, false, Backends.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return new Status(active, cuda, false, null);
        }
        return new Status(active, cuda, true, cuda ? null : whyNot(cudaClass));
    }

    /** Asks the CUDA backend itself, the way ND4J did when it chose the CPU. */
    private static String whyNot(Class<?> cudaClass) {
        try {
            Nd4jBackend cuda = (Nd4jBackend) cudaClass.getDeclaredConstructor().newInstance();
            if (!cuda.canRun()) {
                return "no CUDA device or driver found";
            }
            return cuda.isAvailable() ? "ND4J chose another backend" : "CUDA 11.6 runtime libraries not found";
        } catch (Throwable t) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            int nl = message.indexOf('\n');
            String first = (nl < 0 ? message : message.substring(0, nl)).toLowerCase(Locale.ROOT);
            // ND4J's own first attempt failed on libcuda.so.1; a second attempt only sees the failed cudart class.
            return first.contains("libcuda") || first.contains("cudart")
                    ? "no CUDA driver (libcuda.so.1) or CUDA 11.6 runtime on this machine"
                    : message.substring(0, Math.min(message.length(), 160));
        }
    }
}
