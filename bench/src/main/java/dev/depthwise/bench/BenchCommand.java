package dev.depthwise.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.depthwise.cli.Main;
import dev.depthwise.kernel.Simd;
import dev.depthwise.op.Parallel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depthwise bench dwconv|pwconv|sepconv|dwgrad --model mobilenet-v1|mobilenet-v2 --batch N --threads T}:
 * times this library and ONNX Runtime's Java API in one process on the same inputs, layer by layer
 * (see {@link LayerBench}), and prints a table whose last line is the speedup scripts read; dwgrad
 * times our depthwise backward against our forward and Deeplearning4j's (see {@link GradBench}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = BenchCommand.Version.class,
        description = {
            "Times this library against ONNX Runtime (Java API, same process, same random inputs and weights) on "
                + "the unique layer shapes of a network at 224x224, layer by layer and summed, and checks that "
                + "the outputs agree.",
            "",
            "KIND: dwconv (3x3 depthwise, 'same' padding), pwconv (1x1 pointwise) or sepconv (depthwise, "
                + "ReLU, pointwise; ONNX Conv(group=C) -> Relu -> Conv); or dwgrad (below).",
            "",
            "Columns, in microseconds per forward pass (medians): ours NCHW (NCHW in and out, as ONNX Runtime's "
                + "one-op model: includes any transposes the caller would need, marked T+ in the path), ours "
                + "NHWC (our native layout), ORT one-op (a session run of the one-op model, its NCHWc reorders "
                + "included), ORT kernel and ORT reorder (ONNX Runtime's profiler: its blocked-layout kernels "
                + "alone, and its layout reorders). vs ORT = ORT one-op / ours NCHW. GFLOP/s, GB/s (input + "
                + "output + weights, once) and their %% of this machine's ceilings (measured in the run: FMA peak, copy "
                + "bandwidth) are for our faster layout; %%BW is "
                + "against the cache ceiling (C) when those bytes fit 1 MiB per thread, else the memory ceiling (D: "
                + "8 MiB copies, from L3 or DRAM).",
            "",
            "Before it, floor: each layer's bytes at its bandwidth ceiling (or flops at the FMA peak, if longer), "
                + "summed; how fast our best layout runs against it; and the speedups over ORT's one-op model and "
                + "over its kernel alone that a kernel running exactly at the floor would show.",
            "",
            "The last line: speedup vs onnxruntime: <sum of ORT one-op / sum of ours NCHW> (<what was summed>). "
                + "Exit status 1 if an output differs from ONNX Runtime's by more than 1e-4 of its largest value.",
            "",
            "dwgrad: the dwconv layers' backward pass (dx, dfilter and dbias into kept arrays) against our "
                + "forward and against Deeplearning4j (same process, same random x, dy, weights and bias; no ORT). "
                + "Columns, us per call (medians): our forward and backward in NHWC and NCHW; bwd/fwd (each in "
                + "its faster layout); DL4J fwd (a one-layer DepthwiseConvolution2D network, NCHW, Same mode: the "
                + "layer's inference call) and DL4J bwd (the depthwise_conv2d_bp op its backpropGradient runs, "
                + "into kept arrays: dx + dW + db, without the forward pass backpropGradient repeats first); "
                + "DL4J fwd / ours bwd and DL4J bwd / ours bwd. DL4J runs float32 on --threads threads. Our sides "
                + "warm up alone first, then with DL4J's (each phase as --warmup says): DL4J's calls are too slow "
                + "for our kernels to get compiled in shared rounds within --max-time.",
            "",
            "Before them, bytes: how many more bytes a backward must move than a forward (x, dy, dx against x, "
                + "y), the least backward/forward ratio at equal bandwidth.",
            "",
            "The last two lines: backward vs own forward: <sum of our backward / sum of our forward> (...) and "
                + "speedup vs deeplearning4j: <sum of DL4J forward / sum of our backward> (...). Exit status 1 if "
                + "y, dx, dfilter or dbias differs from Deeplearning4j's by more than 1e-4 of its largest value. "
                + "Where DL4J's natives do not load (or with -D" + Dl4jDepthwise.PROPERTY + "=off) its columns are "
                + "left out and our two layouts are checked against each other.",
            ""},
        footer = {"", "Example: depthwise bench dwconv --model mobilenet-v2 --batch 1 --threads 1 --chart dw.png"})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "dwconv, pwconv, sepconv or dwgrad.")
    String kind;

    @Option(names = "--model", paramLabel = "NET", defaultValue = "mobilenet-v2",
            description = "mobilenet-v1, mobilenet-v2 or tiny (two small layers, to try the harness). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "Threads, the same on both sides (ORT: intra-op threads; inter-op 1). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "50",
            description = "Timed rounds per layer; each round runs every side once. Default: ${DEFAULT-VALUE}.")
    int reps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10",
            description = "Untimed rounds per layer first (at least 10), for at least 0.25 s and until each side's "
                    + "times settle (the JIT), but no longer than --max-time. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--max-time", paramLabel = "SECONDS", defaultValue = "3",
            description = "Per layer, stop warming up after this long, and timing after this long again (keeping at "
                    + "least 5 timed rounds). Default: ${DEFAULT-VALUE}.")
    double maxSeconds;

    @Option(names = "--rotate", paramLabel = "N|auto", defaultValue = "auto",
            description = "Input/output buffers each side cycles through, so inputs do not sit in cache between calls; "
                    + "auto: enough for 8 MiB per side (at most 64); 1: none. Default: ${DEFAULT-VALUE}.")
    String rotate;

    @Option(names = "--profile-runs", paramLabel = "N", defaultValue = "20",
            description = "Runs of ONNX Runtime's profiler per layer (0: no ORT kernel/reorder columns; not dwgrad). "
                    + "Default: ${DEFAULT-VALUE}.")
    int profileRuns;

    @Option(names = "--ort-spin", paramLabel = "BOOL", defaultValue = "true", arity = "1",
            description = "Let ORT's idle intra-op threads spin (" + OrtSide.SPIN_KEY + "; ORT's default; not dwgrad). "
                    + "Default: ${DEFAULT-VALUE}.")
    boolean ortSpin;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the random inputs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every number (medians, minimums, profile) as JSON.")
    Path json;

    @Option(names = "--chart", paramLabel = "FILE.png",
            description = "Also draw per-layer bars (ours vs ORT; dwgrad: ours vs DL4J) as a PNG.")
    Path chart;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        boolean grad = kind.equalsIgnoreCase("dwgrad");
        Layer.Kind k = switch (kind.toLowerCase(Locale.ROOT)) {
            case "dwconv", "dwgrad" -> Layer.Kind.DW;
            case "pwconv" -> Layer.Kind.PW;
            case "sepconv" -> Layer.Kind.SEP;
            default -> throw new IllegalArgumentException("bench: KIND must be dwconv, pwconv or sepconv, got '" + kind
                    + "' (or dwgrad: the depthwise backward pass)");
        };
        MobileNets.Model net = MobileNets.Model.parse(model);
        positive("--batch", batch);
        positive("--threads", threads);
        positive("--reps", reps);
        if (warmup < 0 || profileRuns < 0 || !(maxSeconds > 0)) {
            throw new IllegalArgumentException("bench: --warmup and --profile-runs must be >= 0 and --max-time > 0");
        }
        int buffers = rotate.equalsIgnoreCase("auto") ? 0 : parseRotate(rotate);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String threadNote = useThreads(threads);

        List<Layer> layers = MobileNets.layers(net, k);
        LayerBench.Settings settings = new LayerBench.Settings(batch, threads, reps, warmup, maxSeconds, buffers,
                profileRuns, ortSpin, seed);
        if (grad) {
            return dwgrad(net, layers, settings, out, err);
        }
        OrtEnvironment env = OrtSide.environment();
        String command = String.format(Locale.ROOT, "depthwise bench %s --model %s --batch %d --threads %d",
                kind.toLowerCase(Locale.ROOT), net, batch, threads);
        out.printf(Locale.ROOT, "%s   (SIMD %s; ORT %s; Java %s)%n", command, Simd.describe(), env.getVersion(),
                Runtime.version());
        out.flush();
        if (threadNote != null && k == Layer.Kind.SEP) {
            err.println("depthwise bench: " + threadNote);
        }

        Path profileDir = Files.createTempDirectory("depthwise-bench");
        List<LayerResult> results = new ArrayList<>();
        int mismatches = 0;
        try {
            LayerBench bench = new LayerBench(env, settings, profileDir);
            Progress progress = new Progress(err, layers.size(), noProgress ? Progress.Mode.OFF : Progress.Mode.detect());
            try {
                for (int i = 0; i < layers.size(); i++) {
                    progress.show(i, layers.get(i).name());
                    LayerResult r = bench.run(layers.get(i), i);
                    results.add(r);
                    if (!(r.maxError() <= LayerBench.TOLERANCE)) {
                        mismatches++;
                        progress.clear();
                        err.printf(Locale.ROOT, "depthwise bench: MISMATCH on layer %s: max |ours - ORT| = %.3g of "
                                + "max |ORT| (tolerance %.0e)%n", r.layer().name(), r.maxError(), LayerBench.TOLERANCE);
                        err.flush();
                    }
                }
                progress.show(layers.size(), "");
            } finally {
                progress.clear();
            }
        } finally {
            deleteTree(profileDir);
        }

        Ceilings ceilings = Ceilings.measure(threads);
        Report report = new Report(results, ceilings, batch, threads, describe(net, k));
        printMethod(out, results, ceilings, env.getVersion());
        report.print(out);
        if (json != null) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("command", command);
            header.put("simd", Simd.describe());
            header.put("onnxruntime", env.getVersion());
            header.put("java", Runtime.version().toString());
            Map<String, Object> options = timingSettings();
            options.put("profile_runs", profileRuns);
            options.put("ort_spin", ortSpin);
            header.put("settings", options);
            Files.writeString(json, Json.write(report.json(header)) + "\n");
        }
        if (chart != null) {
            Chart.write(chart, command, results);
        }
        if (mismatches > 0) {
            err.printf(Locale.ROOT, "depthwise bench: %d of %d layers differ from ONNX Runtime beyond %.0e (see above)%n",
                    mismatches, results.size(), LayerBench.TOLERANCE);
            err.flush();
            return 1;
        }
        return 0;
    }

    /** The options every kind times with, for the JSON header. */
    private Map<String, Object> timingSettings() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("reps", reps);
        options.put("warmup", warmup);
        options.put("max_time_s", maxSeconds);
        options.put("rotate", rotate);
        options.put("seed", seed);
        return options;
    }

    /** {@code dwgrad}: our backward vs our forward and Deeplearning4j (see {@link GradBench}). */
    private int dwgrad(MobileNets.Model net, List<Layer> layers, LayerBench.Settings settings, PrintWriter out,
                       PrintWriter err) throws Exception {
        String dl4jFailure = Dl4jDepthwise.load(threads);
        String dl4jVersion = dl4jFailure == null ? Dl4jDepthwise.version() : null;
        String command = String.format(Locale.ROOT, "depthwise bench dwgrad --model %s --batch %d --threads %d", net,
                batch, threads);
        out.printf(Locale.ROOT, "%s   (SIMD %s; DL4J %s; Java %s)%n", command, Simd.describe(),
                dl4jVersion == null ? "-" : dl4jVersion, Runtime.version());
        if (dl4jFailure != null) {
            out.println("deeplearning4j: not run: " + dl4jFailure + "; its columns are left out");
        }
        out.flush();

        GradBench bench = new GradBench(settings, dl4jFailure == null);
        List<GradResult> results = new ArrayList<>();
        int mismatches = 0;
        String against = dl4jFailure == null ? "Deeplearning4j" : "our NCHW side";
        Progress progress = new Progress(err, layers.size(), noProgress ? Progress.Mode.OFF : Progress.Mode.detect());
        try {
            for (int i = 0; i < layers.size(); i++) {
                progress.show(i, layers.get(i).name());
                GradResult r = bench.run(layers.get(i), i);
                results.add(r);
                GradResult.Errors e = r.errors();
                if (!(e.max() <= LayerBench.TOLERANCE)) {
                    mismatches++;
                    progress.clear();
                    err.printf(Locale.ROOT, "depthwise bench: MISMATCH on layer %s against %s: max relative error y %.3g, "
                            + "dx %.3g, dfilter %.3g, dbias %.3g, DL4J op vs its layer's backprop %.3g (tolerance "
                            + "%.0e)%n", r.layer().name(), against, e.y(), e.dx(), e.dfilter(), e.dbias(), e.dl4jLayer(),
                            LayerBench.TOLERANCE);
                    err.flush();
                }
            }
            progress.show(layers.size(), "");
        } finally {
            progress.clear();
        }

        GradReport report = new GradReport(results, batch, threads, describe(net, Layer.Kind.DW), dl4jVersion);
        printGradMethod(out, results, against, bench.dl4jThreadsBusy());
        report.print(out);
        if (json != null) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("command", command);
            header.put("simd", Simd.describe());
            header.put("deeplearning4j", dl4jVersion);
            if (dl4jFailure != null) {
                header.put("deeplearning4j_not_run", dl4jFailure);
            } else if (bench.dl4jThreadsBusy() >= 0) {
                header.put("deeplearning4j_threads_busy", bench.dl4jThreadsBusy());
            }
            header.put("java", Runtime.version().toString());
            header.put("settings", timingSettings());
            Files.writeString(json, Json.write(report.json(header)) + "\n");
        }
        if (chart != null) {
            Chart.writeGrad(chart, command, results);
        }
        if (mismatches > 0) {
            err.printf(Locale.ROOT, "depthwise bench: %d of %d layers differ from %s beyond %.0e (see above)%n",
                    mismatches, results.size(), against, LayerBench.TOLERANCE);
            err.flush();
            return 1;
        }
        return 0;
    }

    /** What the dwgrad columns measured, in the lines above the table. */
    private void printGradMethod(PrintWriter out, List<GradResult> rows, String against, int dl4jBusy) {
        int minRounds = rows.stream().mapToInt(GradResult::rounds).min().orElse(0);
        int maxRounds = rows.stream().mapToInt(GradResult::rounds).max().orElse(0);
        int minBuf = rows.stream().mapToInt(GradResult::buffers).min().orElse(1);
        int maxBuf = rows.stream().mapToInt(GradResult::buffers).max().orElse(1);
        String order = "our sides alternated in rotating order" + leadIn() + (dl4jBusy == -2 ? ""
                : "; then DL4J's, each in a phase of its own: its calls slow whatever runs after them");
        out.printf(Locale.ROOT, "times: us per call, median of %s timed rounds per layer (%s), after >= %d warm-up "
                + "rounds, >= %.2f s and until every side's times settle%s%n",
                minRounds == maxRounds ? String.valueOf(minRounds) : minRounds + "-" + maxRounds, order,
                Math.max(warmup, 2 * LayerBench.SETTLE_ROUNDS), LayerBench.MIN_WARMUP_SECONDS,
                dl4jBusy == -2 ? "" : " (ours alone first, then with DL4J)");
        out.printf(Locale.ROOT, "inputs: same random x, dy, weights and bias on every side; rotated over %s buffers per "
                + "side; y, dx, dfilter, dbias checked against %s (max error %.1e of max |value|, tolerance %.0e)%n",
                minBuf == maxBuf ? String.valueOf(minBuf) : minBuf + "-" + maxBuf, against,
                rows.stream().mapToDouble(r -> r.errors().max()).max().orElse(0), LayerBench.TOLERANCE);
        out.printf(Locale.ROOT, "ours: fwd = the dwconv kind's call (into a kept y); bwd = Conv.backward(x, filter, "
                + "bias, dy, dx, dfilter, dbias) into kept arrays%n");
        if (dl4jBusy != -2) {
            out.printf(Locale.ROOT, "DL4J: float32, NCHW; fwd = layer.activate(x, inference); bwd = the "
                    + "depthwise_conv2d_bp op of its backpropGradient (dx + dW + db, no forward); %d thread%s asked, "
                    + "%s%n", threads, threads == 1 ? "" : "s",
                    dl4jBusy < 0 ? "threads busy not measured (no /proc)" : dl4jBusy + " busy in its calls");
        }
    }

    /** With several threads, the sides are timed in phases (see LayerBench.timePhases). */
    private String leadIn() {
        return threads > 1 ? "; with several threads each side in phases of its own, " + LayerBench.PHASE_CYCLES
                + " a side in turns, each after a pause and " + LayerBench.SETTLE_MILLIS + " ms of untimed calls, as "
                + "idle threads spin a while" : "";
    }

    /** What the columns measured, in the lines above the table. */
    private void printMethod(PrintWriter out, List<LayerResult> rows, Ceilings ceilings, String ortVersion) {
        int minRounds = rows.stream().mapToInt(LayerResult::rounds).min().orElse(0);
        int maxRounds = rows.stream().mapToInt(LayerResult::rounds).max().orElse(0);
        int minBuf = rows.stream().mapToInt(LayerResult::buffers).min().orElse(1);
        int maxBuf = rows.stream().mapToInt(LayerResult::buffers).max().orElse(1);
        out.printf(Locale.ROOT, "times: us per forward pass, median of %s timed rounds per layer (sides alternated in "
                + "rotating order%s), after >= %d warm-up rounds, >= %.2f s and until every side's times settle%n",
                minRounds == maxRounds ? String.valueOf(minRounds) : minRounds + "-" + maxRounds, leadIn(),
                Math.max(warmup, 2 * LayerBench.SETTLE_ROUNDS), LayerBench.MIN_WARMUP_SECONDS);
        out.printf(Locale.ROOT, "inputs: same random x and weights on both sides; x/y rotated over %s buffers per side%s; "
                + "outputs checked against ORT (max error %.1e of max |ORT|, tolerance %.0e)%n",
                minBuf == maxBuf ? String.valueOf(minBuf) : minBuf + "-" + maxBuf,
                rotate.equalsIgnoreCase("auto") ? " (>= " + (LayerBench.ROTATE_BYTES >> 20) + " MiB per side)" : "",
                rows.stream().mapToDouble(LayerResult::maxError).max().orElse(0), LayerBench.TOLERANCE);
        out.printf(Locale.ROOT, "ORT %s: one-op NCHW model, ALL_OPT, %d intra-op thread%s, 1 inter-op, spinning %s; "
                + "kernel/reorder: medians of %d profiled runs%n", ortVersion, threads, threads == 1 ? "" : "s",
                ortSpin ? "on" : "off", profileRuns);
        out.printf(Locale.ROOT, "ceilings (%d thread%s): %s%n", threads, threads == 1 ? "" : "s",
                ceilings.describe());
    }

    /**
     * Our ops take a thread count, except {@code SeparableConv.of}, which uses
     * {@link Parallel#defaultThreads()}: set from the system property before the class is first used.
     */
    private static String useThreads(int threads) {
        System.setProperty(Parallel.PROPERTY, String.valueOf(threads));
        if (Parallel.defaultThreads() != threads) {
            return "separable blocks run on " + Parallel.defaultThreads() + " threads (the library's default was "
                    + "fixed before --threads was read)";
        }
        return null;
    }

    static String describe(MobileNets.Model net, Layer.Kind kind) {
        return net + " " + switch (kind) {
            case DW -> "3x3 depthwise layers";
            case PW -> "pointwise (1x1) layers";
            case SEP -> "separable blocks (3x3 depthwise, ReLU, 1x1 pointwise)";
        };
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("bench: " + option + " must be >= 1, got " + value);
        }
    }

    private static int parseRotate(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bench: --rotate must be auto or an integer >= 1, got '" + text + "'");
    }

    /** The library's version, as {@code depthwise --version} prints it (from the cli's resource). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            java.util.Properties props = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"depthwise bench " + props.getProperty("version", "(unknown version)")};
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
