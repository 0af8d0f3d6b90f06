package dev.depthwise.bench;

/**
 * This machine's measured ceilings (DESIGN.md: AMD Zen 5, AVX-512), for 1 or 2 threads, and the
 * fraction of them a layer reaches. Beyond 2 threads the 1-thread figures are scaled by the thread
 * count, which is only an estimate. Bandwidth is judged against the cache ceiling when the bytes a
 * call moves fit in 1 MiB per thread (the size the cache copy was measured at), else against DRAM.
 *
 * @param threads     threads the figures are for
 * @param fmaGflops   fp32 FMA peak, GFLOP/s
 * @param cacheGbs    copy bandwidth of 1 MiB arrays, GB/s
 * @param dramGbs     copy bandwidth of 256 MiB arrays, GB/s
 */
public record Ceilings(int threads, double fmaGflops, double cacheGbs, double dramGbs) {
    /** The largest working set, per thread, judged against the cache ceiling. */
    public static final long CACHE_BYTES_PER_THREAD = 1L << 20;

    public static Ceilings forThreads(int threads) {
        return switch (threads) {
            case 1 -> new Ceilings(1, 224, 94, 29);
            case 2 -> new Ceilings(2, 444, 320, 57);
            default -> new Ceilings(threads, 224.0 * threads, 94.0 * threads, 29.0 * threads);
        };
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

    /** Fraction of the FMA peak. */
    public double fmaFraction(double gflops) {
        return gflops / fmaGflops;
    }

    /** Fraction of the bandwidth ceiling that goes with {@code bytes}. */
    public double bandwidthFraction(double gbs, long bytes) {
        return gbs / bandwidthGbs(bytes);
    }

    /** E.g. {@code FMA 224 GFLOP/s, cache 94 GB/s (<= 1 MiB), DRAM 29 GB/s}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "FMA %.0f GFLOP/s, cache %.0f GB/s (C: in+out+weights <= %d MiB),"
                + " DRAM %.0f GB/s (D)%s", fmaGflops, cacheGbs, threads, dramGbs,
                threads > 2 ? " (scaled from 1 thread: estimate)" : "");
    }
}
