package dev.moe.gating.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs two independent halves of a training step at once: one on a shared helper thread, one on the caller's.
 * OpenBLAS runs each product on one thread here (two threads per product were slower on moe's shapes), so this
 * is how a large layer uses a second core. On a one-core machine both halves run in turn on the caller's thread:
 * the work is split the same way either way, so results do not depend on the core count.
 */
final class TwoCores {

    private static final String HELPER_NAME = "moe-mlp-helper";
    private static final ExecutorService HELPER = Runtime.getRuntime().availableProcessors() > 1
            ? Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, HELPER_NAME);
                t.setDaemon(true);
                return t;
            })
            : null;

    /** Products below this many floating-point operations are not worth a hand-off (a few microseconds). */
    static final double MIN_SPLIT_FLOPS = 8e6;

    private TwoCores() {
    }

    /** Whether a layer of {@code rows x in -> out} is split between the two halves. */
    static boolean splits(long rows, long in, long out) {
        return 2.0 * rows * in * out >= MIN_SPLIT_FLOPS && rows >= 2;
    }

    /** Runs both and returns when both are done; a failure in either is rethrown after both have finished. */
    static void run(Runnable first, Runnable second) {
        // On the helper itself (a half that splits again) waiting for the helper would never end: run in turn.
        if (HELPER == null || Thread.currentThread().getName().equals(HELPER_NAME)) {
            first.run();
            second.run();
            return;
        }
        Future<?> helper = HELPER.submit(first);
        try {
            second.run();
        } finally {
            // Wait even when second failed: first writes into arrays the caller is about to reuse.
            boolean interrupted = false;
            while (true) {
                try {
                    helper.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }
}
