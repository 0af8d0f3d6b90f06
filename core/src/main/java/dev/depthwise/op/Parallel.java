package dev.depthwise.op;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The threads the ops split work over: daemon workers shared by every op and reused across calls.
 * {@code -Ddepthwise.threads=N} sets the default count (otherwise the number of cores); each op can
 * also be given its own count. Work is split into contiguous ranges, the caller's thread taking the
 * first, so one thread means no hand-off at all.
 *
 * <p>A kernel call often lasts tens of microseconds, about what it takes a parked thread to wake
 * on a virtual machine; handing ranges to an executor and waiting on a latch made two threads
 * slower than one on MobileNet's depthwise layers. So, as ONNX Runtime's and OpenMP's pools do by
 * default, a worker that finished spins a little ({@link #SPIN_NANOS}) before it parks, watching
 * its slot for the next range, and the caller spins the same while it waits for the others. And
 * once the caller has run its own range it runs every handed range that no worker has started yet
 * (its worker was slow to wake, or another process holds the core): a busy machine then costs about
 * what one thread does instead of a wake-up per range. A worker is claimed for one range at a time;
 * when none is idle (nested or concurrent calls) a new one is started, up to {@link #MAX_WORKERS}.
 * Which thread runs a range never changes what the range computes.
 */
public final class Parallel {
    /** The system property with the default thread count. */
    public static final String PROPERTY = "depthwise.threads";

    /** How long an idle worker, or a waiting caller, spins before it parks. */
    static final long SPIN_NANOS = 50_000;

    /** Workers beyond this are not started; ranges without a worker run on the caller. */
    static final int MAX_WORKERS = 256;

    private static final int DEFAULT = defaultCount();

    private static final CopyOnWriteArrayList<Worker> WORKERS = new CopyOnWriteArrayList<>();

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
        Job job = new Job(Thread.currentThread(), parts - 1);
        Range[] handed = new Range[parts - 1];
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            Range r = new Range(body, from, to, job);
            handed[p - 1] = r;
            Worker w = claim();
            if (w != null) {
                w.hand(r);
            }
        }
        job.run(body, 0, (int) ((long) n / parts));
        // ranges no worker has started yet (none was free, or it has not woken up): run them here
        for (Range r : handed) {
            r.runIfUnstarted();
        }
        job.await();
        Throwable t = job.failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** An idle worker, now claimed by the caller; a new one if none is idle; null at the limit. */
    private static Worker claim() {
        for (Worker w : WORKERS) {
            if (w.claimed.compareAndSet(false, true)) {
                return w;
            }
        }
        synchronized (WORKERS) {
            if (WORKERS.size() >= MAX_WORKERS) {
                return null;
            }
            Worker w = new Worker(WORKERS.size());
            w.claimed.set(true);
            WORKERS.add(w);
            w.start();
            return w;
        }
    }

    /** Spins while {@code waiting} holds, for at most {@link #SPIN_NANOS}; true if it stopped holding. */
    private static boolean spin(BooleanSupplier waiting) {
        long start = System.nanoTime();
        for (int i = 1; waiting.getAsBoolean(); i++) {
            Thread.onSpinWait();
            if ((i & 255) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                return false;
            }
        }
        return true;
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

    /** One call's ranges in flight: how many are still running, and the first failure. */
    private static final class Job {
        private final Thread caller;
        private final AtomicInteger pending;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean callerParked;

        Job(Thread caller, int pending) {
            this.caller = caller;
            this.pending = new AtomicInteger(pending);
        }

        /** Runs one range, recording a failure instead of throwing. */
        void run(RangeBody body, int from, int to) {
            try {
                body.run(from, to);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        /** One of the ranges counted in {@code pending} has finished. */
        void finished() {
            if (pending.decrementAndGet() == 0 && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        /** Returns when every range but the caller's own has finished: spinning first, then parked. */
        void await() {
            if (spin(() -> pending.get() > 0)) {
                return;
            }
            callerParked = true;
            while (pending.get() > 0) {
                LockSupport.park(this);
            }
            callerParked = false;
        }
    }

    /** One range of a job; run exactly once, by the worker it was handed to or by the caller. */
    private static final class Range {
        private final RangeBody body;
        private final int from;
        private final int to;
        private final Job job;
        private final AtomicBoolean started = new AtomicBoolean();

        Range(RangeBody body, int from, int to, Job job) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.job = job;
        }

        /** Runs the range unless another thread has started it. */
        void runIfUnstarted() {
            if (started.compareAndSet(false, true)) {
                job.run(body, from, to);
                job.finished();
            }
        }
    }

    /** A daemon thread running one range at a time from its slot. */
    private static final class Worker extends Thread {
        /** Set by the caller that hands this worker its next range; cleared by the worker when done. */
        final AtomicBoolean claimed = new AtomicBoolean();
        private volatile Range slot;
        private volatile boolean parked;

        Worker(int index) {
            super("depthwise-worker-" + index);
            setDaemon(true);
        }

        /** Gives the (claimed) worker its range. */
        void hand(Range r) {
            slot = r;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            while (true) {
                if (!spin(() -> slot == null)) {
                    parked = true;
                    while (slot == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
                Range r = slot;
                slot = null;
                r.runIfUnstarted();
                claimed.set(false);
            }
        }
    }
}
