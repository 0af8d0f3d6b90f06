package dev.depthwise.op;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads the ops split work over: one shared pool of daemon threads, reused across calls.
 * {@code -Ddepthwise.threads=N} sets the default count (otherwise the number of cores); each op can
 * also be given its own count. Work is split into contiguous ranges, the caller's thread taking the
 * first, so one thread means no hand-off at all.
 */
public final class Parallel {
    /** The system property with the default thread count. */
    public static final String PROPERTY = "depthwise.threads";

    private static final int DEFAULT = defaultCount();

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "depthwise-worker");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {
    }

    /** A body over the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** The default number of threads. */
    public static int defaultThreads() {
        return DEFAULT;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@code threads} contiguous ranges,
     * and returns when all have finished; an exception in any range is rethrown here.
     */
    public static void forRange(int threads, int n, RangeBody body) {
        int parts = Math.max(1, Math.min(threads, n));
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            POOL.execute(() -> {
                try {
                    body.run(from, to);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for worker threads", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private static int defaultCount() {
        String s = System.getProperty(PROPERTY);
        if (s == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(PROPERTY + " must be an integer >= 1, got '" + s + "'");
    }
}
