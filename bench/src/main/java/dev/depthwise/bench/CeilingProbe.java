package dev.depthwise.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's ceilings at the start of a benchmark, so that the "% of ceiling" columns
 * are against what the machine in hand does today, not a figure from another machine: the fp32 FMA
 * peak (independent vector FMA chains), the copy bandwidth of arrays that stay in a core's cache,
 * and the copy bandwidth of a working set far larger than the caches the benchmark's rotated
 * buffers could sit in. Each figure is the best of a few short rounds (a shared machine only ever
 * makes a round slower), with every thread running its own copy at once. Takes about a second.
 */
final class CeilingProbe {
    /**
     * Per thread: source plus destination make {@link Ceilings#CACHE_BYTES_PER_THREAD}, the most a
     * layer may move to be judged against this ceiling; stays in a core's L2.
     */
    static final int CACHE_FLOATS = (int) (Ceilings.CACHE_BYTES_PER_THREAD / 2 / Float.BYTES);
    /**
     * Per thread: beyond a core's L2 and as large as the benchmark's rotated buffers (8 MiB per
     * side), so the copy streams from where the layers' data comes from (the shared L3 or DRAM).
     */
    static final int MEMORY_FLOATS = (8 << 20) / Float.BYTES;
    private static final int ROUNDS = 5;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private CeilingProbe() {
    }

    /** The ceilings of {@code threads} threads, measured now. */
    static Ceilings measure(int threads) {
        double fma = best(threads, CeilingProbe::fmaRound);
        double cache = best(threads, () -> copyRound(CACHE_FLOATS, 400));
        double memory = best(threads, () -> copyRound(MEMORY_FLOATS, 8));
        return new Ceilings(threads, fma, cache, memory, "measured now");
    }

    /**
     * The best total rate of {@link #ROUNDS} rounds, each running {@code round} on every thread at
     * once and summing their rates (a round returns work units per second).
     */
    private static double best(int threads, Callable<Double> round) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ceiling-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            double best = 0;
            for (int r = 0; r < ROUNDS; r++) {
                List<Future<Double>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    parts.add(pool.submit(round));
                }
                double sum = 0;
                for (Future<Double> f : parts) {
                    sum += f.get();
                }
                best = Math.max(best, sum);
            }
            return best;
        } catch (Exception e) {
            throw new IllegalStateException("ceiling probe failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * GFLOP/s of twelve independent FMA chains: enough to cover the FMA latency times the number of
     * FMA units on current x86 and ARM cores, few enough to stay in registers.
     */
    static double fmaRound() {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector b = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        int iterations = 2_000_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, b);
            a1 = a1.fma(m, b);
            a2 = a2.fma(m, b);
            a3 = a3.fma(m, b);
            a4 = a4.fma(m, b);
            a5 = a5.fma(m, b);
            a6 = a6.fma(m, b);
            a7 = a7.fma(m, b);
            a8 = a8.fma(m, b);
            a9 = a9.fma(m, b);
            a10 = a10.fma(m, b);
            a11 = a11.fma(m, b);
        }
        long ns = System.nanoTime() - t0;
        float sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        if (sink == 42f) { // keeps the chains alive; never true for these inputs
            System.out.print("");
        }
        return 12.0 * 2 * F.length() * iterations / ns;
    }

    /**
     * GB/s (bytes read plus bytes written, as the benchmark counts a layer's bytes) of copying
     * {@code floats} floats {@code passes} times after one untimed pass.
     */
    static double copyRound(int floats, int passes) {
        float[] src = new float[floats];
        float[] dst = new float[floats];
        java.util.Arrays.fill(src, 1f);
        System.arraycopy(src, 0, dst, 0, floats);
        long t0 = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            System.arraycopy(src, 0, dst, 0, floats);
        }
        long ns = System.nanoTime() - t0;
        return 2.0 * Float.BYTES * floats * passes / ns;
    }
}
