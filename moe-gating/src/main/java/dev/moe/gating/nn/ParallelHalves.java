package dev.moe.gating.nn;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs two independent halves of a step at once: the first on a pool of one thread per further core, the second on
 * the caller's thread. OpenBLAS runs each product on one thread here (two threads per product were slower on moe's
 * shapes), so this is how a large layer uses the other cores.
 *
 * <p>At most as many halves are handed to the pool as it has threads; a caller that finds them all taken (one
 * scoring thread per core, several Spark tasks, a half that splits again) runs both halves in turn itself. So a
 * handed-off half never waits in a queue, every wait is on a half that a pool thread is free to run, and nested
 * and concurrent callers cannot deadlock. The work is split the same way whoever runs it, so results do not depend
 * on the core count or the timing.
 */
public final class ParallelHalves {

    private static final int HELPERS = Runtime.getRuntime().availableProcessors() - 1;

    /** One thread per core beyond the caller's; none on a one-core machine. */
    private static final ForkJoinPool POOL = HELPERS > 0
            ? new ForkJoinPool(HELPERS, pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("moe-halves-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false)
            : null;

    /** Halves handed to the pool and not finished: never more than {@link #HELPERS}. */
    private static final AtomicInteger HANDED_OFF = new AtomicInteger();

    /** Products below this many floating-point operations are not worth a hand-off (a few microseconds). */
    static final double MIN_SPLIT_FLOPS = 8e6;

    private ParallelHalves() {
    }

    /** Whether a layer of {@code rows x in -> out} is split into two halves. */
    static boolean splits(long rows, long in, long out) {
        return 2.0 * rows * in * out >= MIN_SPLIT_FLOPS && rows >= 2;
    }

    /** Runs both and returns when both are done; a failure in either is rethrown after both have finished. */
    public static void run(Runnable first, Runnable second) {
        if (POOL == null || HANDED_OFF.incrementAndGet() > HELPERS) {
            if (POOL != null) {
                HANDED_OFF.decrementAndGet();
            }
            inTurn(first, second);
            return;
        }
        HandedOff handedOff = new HandedOff(first);
        try {
            POOL.execute(handedOff);
        } catch (RuntimeException e) { // the pool refused it (shut down at exit): nothing runs it but us
            HANDED_OFF.decrementAndGet();
            inTurn(first, second);
            return;
        }
        Throwable failure = null;
        try {
            second.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Wait even when second failed: first writes into arrays the caller is about to reuse.
        handedOff.awaitDone();
        HANDED_OFF.decrementAndGet();
        failure = failure == null ? handedOff.failure : failure;
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }

    private static void inTurn(Runnable first, Runnable second) {
        try {
            first.run();
        } finally {
            second.run();
        }
    }

    /** The half a pool thread runs; its failure is kept for the caller. */
    private static final class HandedOff extends ForkJoinTask<Void> {
        private final Runnable work;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;

        HandedOff(Runnable work) {
            this.work = work;
        }

        @Override
        protected boolean exec() {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                done.countDown();
            }
            return true;
        }

        /**
         * Waits on a latch, not through {@code join}: a join from outside the pool may take a queued task back and run
         * it on the caller, one half after the other.
         */
        void awaitDone() {
            awaitUninterruptibly(done);
        }

        @Override
        public Void getRawResult() {
            return null;
        }

        @Override
        protected void setRawResult(Void value) {
        }
    }

    /** Waits for the latch even when interrupted (a half must not be abandoned midway); keeps the interrupt flag. */
    static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
