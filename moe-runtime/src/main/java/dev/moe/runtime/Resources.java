package dev.moe.runtime;

import java.util.Locale;

/** One line for a resource the Java VM ran out of, naming it and how to give moe more. */
public final class Resources {

    private Resources() {
    }

    /** The {@link OutOfMemoryError} or {@link StackOverflowError} behind {@code e}, or null. */
    public static VirtualMachineError exhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
                return (VirtualMachineError) t;
            }
        }
        return null;
    }

    public static String describe(VirtualMachineError e) {
        if (e instanceof StackOverflowError) {
            return "out of stack space (a structure nested too deeply, or a recursion in an expert or plugin); "
                    + "raise the stack size with MOE_JAVA_OPTS=-Xss64m, or simplify the input";
        }
        if (e instanceof OutOfMemoryError) {
            String what = e.getMessage() == null ? "Java heap space" : e.getMessage();
            long max = Runtime.getRuntime().maxMemory();
            String heap = max == Long.MAX_VALUE ? "unlimited" : (max >> 20) + " MiB";
            long suggested = max == Long.MAX_VALUE ? 8192 : Math.max(1024, Integer.highestOneBit((int) Math.min(max >> 20, 1 << 20)) * 4);
            if (what.contains("Direct buffer") || what.contains("native")) {
                return String.format(Locale.ROOT, "out of memory (%s); give moe more with MOE_JAVA_OPTS=-XX:MaxDirectMemorySize=%dm, "
                        + "or use a smaller model or input", what, suggested);
            }
            return String.format(Locale.ROOT, "out of memory (%s; the heap's limit is %s); raise it with MOE_JAVA_OPTS=-Xmx%dm, "
                    + "or use a smaller model or input", what, heap, suggested);
        }
        return "the Java VM failed: " + e;
    }
}
