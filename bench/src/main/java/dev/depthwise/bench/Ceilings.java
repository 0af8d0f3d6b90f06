package dev.depthwise.bench;

/**
 * A machine's ceilings for some number of threads, and the fraction of them a layer reaches: measured
 * at the start of a run ({@link CeilingProbe}), or the figures DESIGN.md gives for the project's
 * reference machine ({@link #forThreads}). Bandwidth is judged against the cache ceiling when the
 * bytes a call moves fit in 1 MiB per thread (the size the cache copy is measured at), else against
 * the memory ceiling (beyond the core's L2: the shared L3 or DRAM).
 *
 * @param threads     threads the figures are for
 * @param fmaGflops   fp32 FMA peak, GFLOP/s
 * @param cacheGbs    copy bandwidth with 1 MiB in and out together, GB/s (bytes read + written)
 * @param dramGbs     copy bandwidth of 8 MiB arrays (beyond L2), GB/s (bytes read + written)
 * @param source      where the figures come from, for the report
 */
public record Ceilings(int threads, double fmaGflops, double cacheGbs, double dramGbs, String source) {
    /** The largest working set, per thread, judged against the cache ceiling. */
    public static final long CACHE_BYTES_PER_THREAD = 1L << 20;

    /** DESIGN.md's figures for its reference machine (AMD Zen 5, AVX-512); beyond 2 threads scaled, an estimate. */
    public static Ceilings forThreads(int threads) {
        String design = "DESIGN.md's reference machine";
        return switch (threads) {
            case 1 -> new Ceilings(1, 224, 94, 29, design);
            case 2 -> new Ceilings(2, 444, 320, 57, design);
            default -> new Ceilings(threads, 224.0 * threads, 94.0 * threads, 29.0 * threads, design + ", scaled");
        };
    }

    /** This machine's ceilings for {@code threads} threads, measured now (about a second). */
    public static Ceilings measure(int threads) {
        return CeilingProbe.measure(threads);
    }

    /** True when {@code bytes} is judged against the cache ceiling, false for DRAM. */
    public boolean inCache(long bytes) {
        return bytes <= CACHE_BYTES_PER_THREAD * threads;
    }

    /** The bandwidth ceiling, GB/s, for a call that moves {@code bytes}. */
    public double bandwidthGbs(long bytes) {
        return inCache(bytes) ? cacheGbs : dramGbs;
    }

    /** GFLOP/s of {@code flops} done in {@code seconds}. */
    public static double gflops(long flops, double seconds) {
        return flops / seconds / 1e9;
    }

    /** GB/s of {@code bytes} moved in {@code seconds}. */
    public static double gbs(long bytes, double seconds) {
        return bytes / seconds / 1e9;
    }

    /**
     * The least time, microseconds, a call that moves {@code bytes} and does {@code flops} can take
     * here: its bytes at the bandwidth ceiling that goes with them, or its flops at the FMA peak,
     * whichever is longer.
     */
    public double floorUs(long bytes, long flops) {
        return Math.max(bytes / bandwidthGbs(bytes), flops / fmaGflops) / 1e3;
    }

    /** Fraction of the FMA peak. */
    public double fmaFraction(double gflops) {
        return gflops / fmaGflops;
    }

    /** Fraction of the bandwidth ceiling that goes with {@code bytes}. */
    public double bandwidthFraction(double gbs, long bytes) {
        return gbs / bandwidthGbs(bytes);
    }

    /** E.g. {@code FMA 224 GFLOP/s, cache 94 GB/s (C: in+out+weights <= 1 MiB), memory 29 GB/s (D) [source]}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "FMA %.0f GFLOP/s, cache %.0f GB/s (C: in+out+weights <= %d MiB),"
                + " memory %.0f GB/s (D: 8 MiB copies) [%s]", fmaGflops, cacheGbs, threads, dramGbs, source);
    }
}
