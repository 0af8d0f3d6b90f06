package dev.depthwise.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The {@code dwgrad} results as a table, its closing lines and JSON. The last two lines are the ones
 * scripts read: {@code backward vs own forward: <sum of our backward / sum of our forward>} and
 * {@code speedup vs deeplearning4j: <sum of Deeplearning4j's forward / sum of our backward>} (each of
 * ours in its faster layout, layer by layer).
 */
final class GradReport {
    private final List<GradResult> rows;
    private final int batch;
    private final int threads;
    private final String what;
    private final String dl4jVersion;

    /**
     * @param what        the layers, e.g. {@code mobilenet-v2 3x3 depthwise layers}
     * @param dl4jVersion Deeplearning4j's version, or null when it did not run
     */
    GradReport(List<GradResult> rows, int batch, int threads, String what, String dl4jVersion) {
        this.rows = List.copyOf(rows);
        this.batch = batch;
        this.threads = threads;
        this.what = what;
        this.dl4jVersion = dl4jVersion;
    }

    private boolean dl4j() {
        return dl4jVersion != null;
    }

    /** Sum of our backward medians over sum of our forward medians, each in its faster layout per layer. */
    double backwardVsForward() {
        return sum(GradResult::bwdBestUs) / sum(GradResult::fwdBestUs);
    }

    /** Sum of Deeplearning4j's forward medians over sum of our backward medians (faster layout); NaN without it. */
    double speedupVsDl4j() {
        return dl4j() ? sum(r -> r.dl4jFwd().medianUs()) / sum(GradResult::bwdBestUs) : Double.NaN;
    }

    /** Sum of Deeplearning4j's backward medians over sum of ours; NaN without it. */
    double backwardSpeedupVsDl4j() {
        return dl4j() ? sum(r -> r.dl4jBwd().medianUs()) / sum(GradResult::bwdBestUs) : Double.NaN;
    }

    /**
     * Bytes a backward pass must move at least once: x, dy and dx, and the filter, bias and their
     * gradients; against {@link Layer#bytes}, the forward's x, y, filter and bias.
     */
    long backwardBytes(Layer l) {
        return 4 * (2 * l.inputLength(batch) + l.outputLength(batch) + 2 * l.weightLength());
    }

    /**
     * Sum of the backward's bytes over the forward's: at equal bandwidth the least backward/forward
     * ratio of kernels that are both bound by memory (1.5 for stride 1, 1.8 for stride 2).
     */
    double bytesRatio() {
        return sum(r -> backwardBytes(r.layer())) / sum(r -> r.layer().bytes(batch));
    }

    void print(PrintWriter out) {
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r.layer().name().length()).max().orElse(5));
        String row = "%-" + nameWidth + "s %9s %9s %9s %9s %8s %10s %10s %9s %9s  %s%n";
        out.printf(Locale.ROOT, row, "layer", "fwd NHWC", "fwd NCHW", "bwd NHWC", "bwd NCHW", "bwd/fwd", "DL4J fwd",
                "DL4J bwd", "DL4J fwd/", "DL4J bwd/", "paths (forward; backward)");
        out.printf(Locale.ROOT, row, "", "", "", "", "", "", "", "", "ours bwd", "ours bwd", "");
        for (GradResult r : rows) {
            out.printf(Locale.ROOT, row, r.layer().name(), us(r.fwdNhwc().medianUs()), us(r.fwdNchw().medianUs()),
                    us(r.bwdNhwc().medianUs()), us(r.bwdNchw().medianUs()), ratio(r.bwdBestUs() / r.fwdBestUs()),
                    dl4j() ? us(r.dl4jFwd().medianUs()) : "-", dl4j() ? us(r.dl4jBwd().medianUs()) : "-",
                    dl4j() ? ratio(r.dl4jFwd().medianUs() / r.bwdBestUs()) : "-",
                    dl4j() ? ratio(r.dl4jBwd().medianUs() / r.bwdBestUs()) : "-",
                    r.fwdPath() + "; " + r.bwdPath());
        }
        out.printf(Locale.ROOT, row, "sum", us(sum(r -> r.fwdNhwc().medianUs())), us(sum(r -> r.fwdNchw().medianUs())),
                us(sum(r -> r.bwdNhwc().medianUs())), us(sum(r -> r.bwdNchw().medianUs())), ratio(backwardVsForward()),
                dl4j() ? us(sum(r -> r.dl4jFwd().medianUs())) : "-", dl4j() ? us(sum(r -> r.dl4jBwd().medianUs())) : "-",
                dl4j() ? ratio(speedupVsDl4j()) : "-", dl4j() ? ratio(backwardSpeedupVsDl4j()) : "-", "");
        double bwdMin = sum(GradResult::bwdBestMinUs);
        out.printf(Locale.ROOT, "on fastest calls: backward vs own forward %s%s%n",
                Report.number(bwdMin / sum(GradResult::fwdBestMinUs)),
                dl4j() ? ", speedup vs deeplearning4j " + Report.number(sum(r -> r.dl4jFwd().minUs()) / bwdMin) : "");
        out.printf(Locale.ROOT, "bytes: a backward moves %s the bytes of a forward (x, dy, dx against x, y): the least"
                + " backward/forward ratio when both run at the same bandwidth%n", ratio(bytesRatio()));
        out.println(backwardLine());
        out.println(lastLine());
        out.flush();
    }

    /** E.g. {@code backward vs own forward: 1.52 (sum of our backward / sum of our forward, ...)}. */
    String backwardLine() {
        return String.format(Locale.ROOT, "backward vs own forward: %s (sum of our backward (dx+dfilter+dbias) / sum of "
                + "our forward, %s, each in its faster layout per layer)", Report.number(backwardVsForward()), scope());
    }

    /** E.g. {@code speedup vs deeplearning4j: 41.3 (sum of Deeplearning4j 1.0.0-M2.1 forward / ...)}. */
    String lastLine() {
        if (!dl4j()) {
            return "speedup vs deeplearning4j: n/a (Deeplearning4j did not run; " + scope() + ")";
        }
        return String.format(Locale.ROOT, "speedup vs deeplearning4j: %s (sum of Deeplearning4j %s forward (NCHW) / sum "
                + "of our backward (dx+dfilter+dbias, faster layout per layer), %s)", Report.number(speedupVsDl4j()),
                dl4jVersion, scope());
    }

    private String scope() {
        return String.format(Locale.ROOT, "%d %s, batch %d, %d thread%s", rows.size(), what, batch, threads,
                threads == 1 ? "" : "s");
    }

    /** Everything measured, for {@code --json}. */
    Map<String, Object> json(Map<String, Object> header) {
        Map<String, Object> doc = new LinkedHashMap<>(header);
        List<Object> layers = new ArrayList<>();
        for (GradResult r : rows) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("layer", r.layer().name());
            l.put("id", r.layer().id());
            l.put("forward_path", r.fwdPath());
            l.put("backward_path", r.bwdPath());
            l.put("ours_forward_nhwc_us", r.fwdNhwc().json());
            l.put("ours_forward_nchw_us", r.fwdNchw().json());
            l.put("ours_backward_nhwc_us", r.bwdNhwc().json());
            l.put("ours_backward_nchw_us", r.bwdNchw().json());
            l.put("backward_vs_forward", r.bwdBestUs() / r.fwdBestUs());
            if (dl4j()) {
                l.put("dl4j_forward_us", r.dl4jFwd().json());
                l.put("dl4j_backward_us", r.dl4jBwd().json());
                l.put("speedup_vs_dl4j_forward", r.dl4jFwd().medianUs() / r.bwdBestUs());
                l.put("speedup_vs_dl4j_backward", r.dl4jBwd().medianUs() / r.bwdBestUs());
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("against", dl4j() ? "deeplearning4j" : "ours NCHW");
            e.put("y", r.errors().y());
            e.put("dx", r.errors().dx());
            e.put("dfilter", r.errors().dfilter());
            e.put("dbias", r.errors().dbias());
            if (dl4j()) {
                e.put("dl4j_op_vs_layer_backprop", r.errors().dl4jLayer());
            }
            l.put("max_relative_error", e);
            l.put("rounds", r.rounds());
            l.put("buffers", r.buffers());
            layers.add(l);
        }
        doc.put("layers", layers);
        doc.put("backward_vs_forward", backwardVsForward());
        doc.put("bytes_backward_vs_forward", bytesRatio());
        doc.put("speedup_vs_dl4j", speedupVsDl4j());
        doc.put("backward_speedup_vs_dl4j", backwardSpeedupVsDl4j());
        doc.put("backward_summary", backwardLine());
        doc.put("summary", lastLine());
        return doc;
    }

    private double sum(ToDoubleFunction<GradResult> f) {
        return rows.stream().mapToDouble(f).sum();
    }

    private static String us(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v) {
        return Report.number(v) + "x";
    }
}
