package dev.moe.experts.tribuo;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the blocks of one call on the calling thread and on helper threads (one fewer than the cores), each block
 * claimed by whichever thread is free. The blocks are fixed by the caller (by size, never by the core count) and
 * each writes only its own rows, so results do not depend on the number of cores or on timing.
 *
 * <p>The caller works too and waits only for blocks a helper has already claimed, so nested or concurrent calls
 * cannot deadlock: when every helper is busy elsewhere, the caller simply does all its blocks itself.
 */
final class BlockParallel {

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    private static final ExecutorService HELPERS = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread thread = new Thread(r, "moe-tribuo-" + THREAD_NUMBER.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private BlockParallel() {
    }

    interface Block {
        void run(int block);
    }

    /** Runs {@code body} for blocks {@code 0 .. blocks-1}; rethrows the first failure after every started block ended. */
    static void run(int blocks, Block body) {
        if (blocks <= 1 || HELPERS == null) {
            for (int b = 0; b < blocks; b++) {
                body.run(b);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(blocks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.run(b);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    finished.countDown();
                }
            }
        };
        int helpers = Math.min(THREADS - 1, blocks - 1);
        for (int i = 0; i < helpers; i++) {
            HELPERS.execute(worker);
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
