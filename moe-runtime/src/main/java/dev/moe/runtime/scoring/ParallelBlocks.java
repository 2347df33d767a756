package dev.moe.runtime.scoring;

import dev.moe.runtime.MoeException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Works on blocks of rows on one thread per core while the caller reads the next blocks, and hands each block's
 * result to a consumer in submission order, on the caller's thread. At most one block per thread plus one is in
 * flight, so memory stays a few blocks whatever the input's size, and results do not depend on the threads' timing.
 */
public final class ParallelBlocks<T> implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;
    private final Deque<Future<T>> inFlight = new ArrayDeque<>();
    private final Consumer<T> inOrder;

    /** One thread per core. */
    public ParallelBlocks(Consumer<T> inOrder) {
        this(Runtime.getRuntime().availableProcessors(), inOrder);
    }

    /** {@code threads} threads, whatever the core count (more than the cores lets the system share them out). */
    public ParallelBlocks(int threads, Consumer<T> inOrder) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread, not " + threads);
        }
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "moe-blocks");
            t.setDaemon(true);
            return t;
        });
        this.inOrder = inOrder;
    }

    /** Queues one block's work; first hands on finished results while too many blocks are in flight. */
    public void submit(Callable<T> work) {
        inFlight.add(pool.submit(work));
        while (inFlight.size() > threads) {
            inOrder.accept(result(inFlight.removeFirst()));
        }
    }

    /** Waits for every queued block and hands on their results. */
    public void finish() {
        while (!inFlight.isEmpty()) {
            inOrder.accept(result(inFlight.removeFirst()));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** A block's result; a failure in its work is rethrown as it was thrown. */
    private static <T> T result(Future<T> block) {
        try {
            return block.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoeException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MoeException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
