package dev.depthwise.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results as the table {@code depthwise bench} prints, its closing line, and the same numbers
 * as a JSON document. The closing line is the one scripts read:
 * {@code speedup vs onnxruntime: <sum of ORT one-op medians / sum of our NCHW medians> (<what was summed>)}.
 */
final class Report {
    private final List<LayerResult> rows;
    private final Ceilings ceilings;
    private final int batch;
    private final int threads;
    private final String what;

    /**
     * @param what the layers' description for the closing line, e.g. {@code mobilenet-v2 3x3 depthwise layers}
     */
    Report(List<LayerResult> rows, Ceilings ceilings, int batch, int threads, String what) {
        this.rows = List.copyOf(rows);
        this.ceilings = ceilings;
        this.batch = batch;
        this.threads = threads;
        this.what = what;
    }

    /** Sum of ORT's one-op medians over sum of our NCHW medians. */
    double speedup() {
        return sum(r -> r.ortOneOp().medianUs()) / sum(r -> r.oursNchw().medianUs());
    }

    /** As {@link #speedup()}, from each side's fastest call. */
    double speedupOfMinimums() {
        return sum(r -> r.ortOneOp().minUs()) / sum(r -> r.oursNchw().minUs());
    }

    /** Layers whose NCHW side paid for transposes around an NHWC kernel. */
    long transposed() {
        return rows.stream().filter(LayerResult::transposed).count();
    }

    /** The table, its sum row, and the closing speedup line. */
    void print(PrintWriter out) {
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r.layer().name().length()).max().orElse(5));
        String row = "%-" + nameWidth + "s %10s %10s %11s %11s %12s %9s %8s %5s %7s %5s  %s%n";
        out.printf(Locale.ROOT, row, "layer", "ours NCHW", "ours NHWC", "ORT one-op", "ORT kernel", "ORT reorder",
                "vs ORT", "GFLOP/s", "%FMA", "GB/s", "%BW", "path");
        for (LayerResult r : rows) {
            double sec = r.oursBestUs() / 1e6;
            long bytes = r.layer().bytes(batch);
            double gflops = Ceilings.gflops(r.layer().flops(batch), sec);
            double gbs = Ceilings.gbs(bytes, sec);
            out.printf(Locale.ROOT, row, r.layer().name(), us(r.oursNchw().medianUs()), us(r.oursNhwc().medianUs()),
                    us(r.ortOneOp().medianUs()), r.ortProfile() == null ? "-" : us(r.ortProfile().kernelUs()),
                    r.ortProfile() == null ? "-" : us(r.ortProfile().reorderUs()),
                    ratio(r.ortOneOp().medianUs() / r.oursNchw().medianUs()), rate(gflops),
                    percent(ceilings.fmaFraction(gflops)), rate(gbs),
                    percent(ceilings.bandwidthFraction(gbs, bytes)) + (ceilings.inCache(bytes) ? "C" : "D"), r.path());
        }
        double oursBest = sum(LayerResult::oursBestUs) / 1e6;
        double gflops = Ceilings.gflops(rows.stream().mapToLong(r -> r.layer().flops(batch)).sum(), oursBest);
        double gbs = Ceilings.gbs(rows.stream().mapToLong(r -> r.layer().bytes(batch)).sum(), oursBest);
        boolean profiled = rows.stream().allMatch(r -> r.ortProfile() != null);
        out.printf(Locale.ROOT, row, "sum", us(sum(r -> r.oursNchw().medianUs())), us(sum(r -> r.oursNhwc().medianUs())),
                us(sum(r -> r.ortOneOp().medianUs())), profiled ? us(sum(r -> r.ortProfile().kernelUs())) : "-",
                profiled ? us(sum(r -> r.ortProfile().reorderUs())) : "-", ratio(speedup()), rate(gflops),
                percent(ceilings.fmaFraction(gflops)), rate(gbs), "", "");
        out.println(floorLine());
        out.printf(Locale.ROOT, "speedup on fastest calls: %s%n", number(speedupOfMinimums()));
        out.println(lastLine());
        out.flush();
    }

    /** Sum of the layers' floors ({@link Ceilings#floorUs}), microseconds. */
    double floorUs() {
        return sum(r -> floorUs(r));
    }

    private double floorUs(LayerResult r) {
        return ceilings.floorUs(r.layer().bytes(batch), r.layer().flops(batch));
    }

    /**
     * What the ceilings allow: the sum of the floors, how close our best layout came to it, and the
     * speedups a kernel running at the floor would show against ONNX Runtime, which bound every
     * target stated as a ratio to it.
     */
    String floorLine() {
        double floor = floorUs();
        boolean profiled = rows.stream().allMatch(r -> r.ortProfile() != null);
        return String.format(Locale.ROOT, "floor: %s us (each layer's bytes at its bandwidth ceiling or flops at the"
                        + " FMA peak); ours (best layout) runs at %s of floor speed; at the floor: %s ORT one-op%s", us(floor),
                percent(floor / sum(LayerResult::oursBestUs)), ratio(sum(r -> r.ortOneOp().medianUs()) / floor),
                profiled ? ", " + ratio(sum(r -> r.ortProfile().kernelUs()) / floor) + " ORT kernel" : "");
    }

    /** E.g. {@code speedup vs onnxruntime: 3.42 (sum of 10 mobilenet-v2 3x3 depthwise layers, batch 1, 1 thread, NCHW in/out)}. */
    String lastLine() {
        long t = transposed();
        return String.format(Locale.ROOT, "speedup vs onnxruntime: %s (sum of %d %s, batch %d, %d thread%s, NCHW in/out%s)",
                number(speedup()), rows.size(), what, batch, threads, threads == 1 ? "" : "s",
                t == 0 ? "" : ", ours incl. NCHW<->NHWC transposes on " + t + " layer" + (t == 1 ? "" : "s"));
    }

    /** Everything measured, for {@code --json}. */
    Map<String, Object> json(Map<String, Object> header) {
        Map<String, Object> doc = new LinkedHashMap<>(header);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("threads", ceilings.threads());
        c.put("fma_gflops", ceilings.fmaGflops());
        c.put("cache_gbs", ceilings.cacheGbs());
        c.put("dram_gbs", ceilings.dramGbs());
        c.put("cache_bytes", Ceilings.CACHE_BYTES_PER_THREAD * ceilings.threads());
        c.put("source", ceilings.source());
        doc.put("ceilings", c);
        List<Object> layers = new ArrayList<>();
        for (LayerResult r : rows) {
            Map<String, Object> l = new LinkedHashMap<>();
            long bytes = r.layer().bytes(batch);
            long flops = r.layer().flops(batch);
            double sec = r.oursBestUs() / 1e6;
            l.put("layer", r.layer().name());
            l.put("id", r.layer().id());
            l.put("path", r.path());
            l.put("ours_nchw_us", r.oursNchw().json());
            l.put("ours_nhwc_us", r.oursNhwc().json());
            l.put("ort_one_op_us", r.ortOneOp().json());
            if (r.ortProfile() != null) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("runs", r.ortProfile().runs());
                p.put("run_us", r.ortProfile().wallUs());
                p.put("kernel_us", r.ortProfile().kernelUs());
                p.put("reorder_us", r.ortProfile().reorderUs());
                p.put("ops", new ArrayList<>(r.ortProfile().ops()));
                l.put("ort_profile", p);
            }
            l.put("speedup", r.ortOneOp().medianUs() / r.oursNchw().medianUs());
            l.put("flops", flops);
            l.put("bytes", bytes);
            l.put("gflops", Ceilings.gflops(flops, sec));
            l.put("gbs", Ceilings.gbs(bytes, sec));
            l.put("fma_fraction", ceilings.fmaFraction(Ceilings.gflops(flops, sec)));
            l.put("bandwidth_ceiling", ceilings.inCache(bytes) ? "cache" : "dram");
            l.put("bandwidth_fraction", ceilings.bandwidthFraction(Ceilings.gbs(bytes, sec), bytes));
            l.put("floor_us", floorUs(r));
            l.put("max_relative_error", r.maxError());
            l.put("rounds", r.rounds());
            l.put("buffers", r.buffers());
            layers.add(l);
        }
        doc.put("layers", layers);
        doc.put("speedup", speedup());
        doc.put("speedup_of_minimums", speedupOfMinimums());
        doc.put("floor_us", floorUs());
        doc.put("summary", lastLine());
        return doc;
    }

    private double sum(java.util.function.ToDoubleFunction<LayerResult> f) {
        return rows.stream().mapToDouble(f).sum();
    }

    private static String us(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v) {
        return number(v) + "x";
    }

    /** Two decimals ({@code 3.42}), or three significant digits below 0.1 ({@code 0.00440}). */
    static String number(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 0.1 || v == 0 ? "%.2f" : "%.3g", v);
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }
}
