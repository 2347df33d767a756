package dev.moe.gating.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs two independent halves of a step at once: the first is offered to a pool of one thread per further core,
 * the second runs on the caller's thread. OpenBLAS runs each product on one thread here (two threads per product
 * were slower on moe's shapes), so this is how a large layer uses a second core.
 *
 * <p>Whoever starts the offered half first runs it: a pool thread, or the caller itself once its own half is done.
 * So a caller never waits on work still queued, only on work running on another thread: nested and concurrent
 * callers cannot deadlock, and when every core is busy already (one scoring thread per core, several Spark tasks)
 * callers simply run both halves in turn instead of queueing on a helper. The work is split the same way whoever
 * runs it, so results do not depend on the core count or the timing.
 */
final class ParallelHalves {

    /** One thread per core beyond the caller's; none on a one-core machine. */
    private static final ForkJoinPool POOL = Runtime.getRuntime().availableProcessors() > 1
            ? new ForkJoinPool(Runtime.getRuntime().availableProcessors() - 1, pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("moe-halves-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false)
            : null;

    /** Products below this many floating-point operations are not worth a hand-off (a few microseconds). */
    static final double MIN_SPLIT_FLOPS = 8e6;

    private ParallelHalves() {
    }

    /** Whether a layer of {@code rows x in -> out} is split into two halves. */
    static boolean splits(long rows, long in, long out) {
        return 2.0 * rows * in * out >= MIN_SPLIT_FLOPS && rows >= 2;
    }

    /** Runs both and returns when both are done; a failure in either is rethrown after both have finished. */
    static void run(Runnable first, Runnable second) {
        if (POOL == null) {
            first.run();
            second.run();
            return;
        }
        Offered offered = new Offered(first);
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == POOL) {
            offered.fork(); // a half that splits again: onto this worker's own queue, where idle workers steal
        } else {
            POOL.execute(offered);
        }
        Throwable failure = null;
        try {
            second.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Wait even when second failed: first writes into arrays the caller is about to reuse.
        if (offered.claim()) {
            try {
                first.run();
            } catch (RuntimeException | Error e) {
                failure = failure == null ? e : failure;
            }
        } else {
            offered.join(); // running on another thread: its failure is kept in the task, not thrown by join
            failure = failure == null ? offered.failure : failure;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }

    /** The offered half: runs only for whoever claims it first. */
    private static final class Offered extends ForkJoinTask<Void> {
        private final Runnable work;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile Throwable failure;

        Offered(Runnable work) {
            this.work = work;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        @Override
        protected boolean exec() {
            if (claim()) {
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }
            return true;
        }

        @Override
        public Void getRawResult() {
            return null;
        }

        @Override
        protected void setRawResult(Void value) {
        }
    }
}
