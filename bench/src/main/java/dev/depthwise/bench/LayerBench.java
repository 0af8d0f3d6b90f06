package dev.depthwise.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.depthwise.spec.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Races this library against ONNX Runtime on one layer: same random input and weights, warm-up,
 * one correctness check, then timed rounds in which every side runs once, in an order that rotates
 * from round to round so that no side always follows the same one (with several threads, each
 * side's rounds in a phase of their own: idle threads spin after a run), and finally ORT's profiler
 * on a separate session.
 */
final class LayerBench {
    /** Largest |ours - ORT|, relative to max |ORT|, that still counts as equal. */
    static final double TOLERANCE = 1e-4;
    /** Warm-up lasts at least this long (the JIT compiles hot loops within it), whatever --warmup says. */
    static final double MIN_WARMUP_SECONDS = 0.25;
    /** Warm-up rounds compared, the last ones with those before, to tell whether a side has settled. */
    static final int SETTLE_ROUNDS = 5;
    /** A side whose last warm-up rounds are this much faster than the ones before has not settled. */
    static final double SETTLE_GAIN = 0.15;
    /** The pause after warm-up in which the JIT must compile nothing for the warm-up to end. */
    static final long QUIET_MILLIS = 30;
    /** Pauses after which warm-up ends even if the JIT is still busy. */
    static final int MAX_PAUSES = 20;
    /** Timed rounds kept even when --max-time runs out first. */
    static final int MIN_ROUNDS = 5;
    /** Auto rotation cycles through at least this many bytes of input and output per side. */
    static final long ROTATE_BYTES = 8L << 20;
    /** Auto rotation uses at most this many buffers. */
    static final int MAX_BUFFERS = 64;
    /** Profiled runs dropped as ORT's warm-up. */
    static final int PROFILE_WARMUP = 3;

    /** How to race. {@code rotate} 0 means auto. */
    record Settings(int batch, int threads, int reps, int warmup, double maxSeconds, int rotate, int profileRuns,
                    boolean ortSpin, long seed) {
    }

    private final OrtEnvironment env;
    private final Settings s;
    private final Path profileDir;

    LayerBench(OrtEnvironment env, Settings settings, Path profileDir) {
        this.env = env;
        this.s = settings;
        this.profileDir = profileDir;
    }

    /** Buffers to rotate over for {@code layer}: enough that each side cycles through {@link #ROTATE_BYTES}. */
    int buffers(Layer layer) {
        if (s.rotate() > 0) {
            return s.rotate();
        }
        long perBuffer = 4 * (layer.inputLength(s.batch()) + layer.outputLength(s.batch()));
        return (int) Math.max(1, Math.min(MAX_BUFFERS, (ROTATE_BYTES + perBuffer - 1) / perBuffer));
    }

    LayerResult run(Layer layer, int index) throws Exception {
        LayerData d = LayerData.random(layer, s.batch(), s.seed() + index);
        int buffers = buffers(layer);
        Timed t;
        String path;
        boolean transposed;
        double error;
        OurSide nchw = OurSide.of(d, Layout.CHANNELS_FIRST, s.threads(), buffers);
        OurSide nhwc = OurSide.of(d, Layout.CHANNELS_LAST, s.threads(), buffers);
        try (OrtSide ort = new OrtSide(env, d, s.threads(), s.ortSpin(), buffers)) {
            Side[] sides = {nchw, nhwc, ort};
            warmUp(sides, buffers);
            float[] want = ort.outputNchw(0);
            error = Math.max(relativeError(nchw.outputNchw(0), want), relativeError(nhwc.outputNchw(0), want));
            t = time(sides, buffers);
            String nhwcPath = nhwc.path();
            transposed = nchw.transposes();
            path = nchw.path().equals(nhwcPath) ? nhwcPath : nhwcPath + " (NCHW: " + nchw.path() + ")";
        }
        OrtProfile.Summary profile = s.profileRuns() > 0 ? profile(d, buffers) : null;
        return new LayerResult(layer, t.timing(0), t.timing(1), t.timing(2), profile, path, transposed, error,
                t.rounds(), buffers);
    }

    /**
     * The timed calls of a race: microseconds of each side's calls, {@code us[side][i]} for
     * {@code i < counts[side]}.
     */
    record Timed(double[][] us, int[] counts) {
        /** The median and the fastest of {@code side}'s calls. */
        LayerResult.Timing timing(int side) {
            return LayerResult.Timing.of(java.util.Arrays.copyOf(us[side], counts[side]));
        }

        /** The fewest timed calls of any side. */
        int rounds() {
            return java.util.Arrays.stream(counts).min().orElse(0);
        }
    }

    /**
     * Untimed rounds, every side once a round on buffer {@code round % buffers}, until every side is
     * {@link #warm} and the JIT has gone quiet: after the rounds the benchmark pauses {@link
     * #QUIET_MILLIS}, and if the JIT finished compiling anything in the pause (its compiler threads
     * get a core only when the sides' threads leave one free: with 2 threads on 2 cores a kernel could
     * still run unoptimised code through the whole timing), warms up again. The outputs of buffer 0
     * are then those of a warm call, ready to be checked.
     */
    void warmUp(Side[] sides, int buffers) throws Exception {
        for (int pause = 0; ; pause++) {
            List<double[]> rounds = new ArrayList<>();
            long start = System.nanoTime();
            while (!warm(rounds, System.nanoTime() - start)) {
                double[] t = new double[sides.length];
                for (int side = 0; side < sides.length; side++) {
                    long t0 = System.nanoTime();
                    sides[side].run(rounds.size() % buffers);
                    t[side] = System.nanoTime() - t0;
                }
                rounds.add(t);
            }
            if (pause == MAX_PAUSES || !JitActivity.compiledDuring(QUIET_MILLIS)) {
                return;
            }
        }
    }

    /**
     * {@code --reps} timed rounds (at least {@link #MIN_ROUNDS}, no longer than {@code --max-time}
     * beyond that), every side once a round on buffer {@code round % buffers}, the order rotating.
     * With more than one thread, each side's rounds run in a phase of their own instead (see
     * {@link #timePhases}).
     */
    Timed time(Side[] sides, int buffers) throws Exception {
        if (s.threads() > 1) {
            return timePhases(sides, buffers);
        }
        double[][] us = new double[sides.length][s.reps()];
        long start = System.nanoTime();
        int rounds;
        for (rounds = 0; rounds < s.reps(); rounds++) {
            if (rounds >= MIN_ROUNDS && System.nanoTime() - start > s.maxSeconds() * 1e9) {
                break;
            }
            int b = rounds % buffers;
            for (int j = 0; j < sides.length; j++) {
                int side = (rounds + j) % sides.length;
                long t0 = System.nanoTime();
                sides[side].run(b);
                us[side][rounds] = (System.nanoTime() - t0) / 1e3;
            }
        }
        int[] counts = new int[sides.length];
        java.util.Arrays.fill(counts, rounds);
        return new Timed(us, counts);
    }

    /** Pause before each side's phase: long enough for the other side's idle threads to stop spinning. */
    static final long PHASE_PAUSE_MS = 50;
    /**
     * Untimed calls for at least this long open each phase: after the pause the second core of a
     * virtual machine takes milliseconds to run at full speed again (its first calls ran up to 3x
     * slower than the same calls in a steady stream), and a real caller's stream of calls is steady.
     */
    static final long SETTLE_MILLIS = 20;
    /** Phases per side, taken in turns: a disturbance of a few milliseconds then hits every side alike. */
    static final int PHASE_CYCLES = 4;

    /**
     * Each side's rounds in phases of their own, each after a pause and untimed calls ({@link
     * #SETTLE_ROUNDS}, and {@link #SETTLE_MILLIS}): idle worker threads spin a while after a call
     * (ONNX Runtime's by default, for milliseconds), and in alternating rounds they would hold the
     * second core while the next side runs; a peer whose calls slow whatever runs next
     * (Deeplearning4j's) is kept apart the same way. The sides take turns, {@link #PHASE_CYCLES}
     * phases each: on a shared 2-core machine the second core is now and then gone for milliseconds,
     * as long as a whole phase, and with one phase a side such a gap fell on one side's median alone.
     * Each side gets an equal share of {@code --max-time}.
     */
    Timed timePhases(Side[] sides, int buffers) throws Exception {
        double[][] us = new double[sides.length][s.reps()];
        int[] counts = new int[sides.length];
        long[] spent = new long[sides.length];
        double share = s.maxSeconds() / sides.length * 1e9;
        for (int cycle = 0; cycle < PHASE_CYCLES; cycle++) {
            for (int side = 0; side < sides.length; side++) {
                int until = (int) ((long) s.reps() * (cycle + 1) / PHASE_CYCLES);
                Thread.sleep(PHASE_PAUSE_MS);
                long settle = System.nanoTime();
                for (int i = 0; i < SETTLE_ROUNDS || System.nanoTime() - settle < SETTLE_MILLIS * 1_000_000; i++) {
                    sides[side].run(i % buffers);
                }
                long start = System.nanoTime();
                int r = counts[side];
                for (; r < until; r++) {
                    if (r >= MIN_ROUNDS && spent[side] + System.nanoTime() - start > share) {
                        break;
                    }
                    long t0 = System.nanoTime();
                    sides[side].run(r % buffers);
                    us[side][r] = (System.nanoTime() - t0) / 1e3;
                }
                spent[side] += System.nanoTime() - start;
                counts[side] = r;
            }
        }
        return new Timed(us, counts);
    }

    /**
     * Warm after {@code --warmup} rounds and {@link #MIN_WARMUP_SECONDS} once every side has settled:
     * the median of its last {@link #SETTLE_ROUNDS} rounds is no more than {@link #SETTLE_GAIN} faster
     * than that of the rounds before (the JIT may still be compiling a kernel after a fixed count,
     * the more so on a busy machine). Or, whatever the rounds say, after {@code --max-time} and one round.
     */
    private boolean warm(List<double[]> rounds, long nanos) {
        int n = rounds.size();
        if (n >= 1 && nanos >= s.maxSeconds() * 1e9) {
            return true;
        }
        if (n < Math.max(s.warmup(), 2 * SETTLE_ROUNDS) || nanos < MIN_WARMUP_SECONDS * 1e9) {
            return false;
        }
        for (int side = 0; side < rounds.getFirst().length; side++) {
            double[] before = new double[SETTLE_ROUNDS];
            double[] last = new double[SETTLE_ROUNDS];
            for (int i = 0; i < SETTLE_ROUNDS; i++) {
                before[i] = rounds.get(n - 2 * SETTLE_ROUNDS + i)[side];
                last[i] = rounds.get(n - SETTLE_ROUNDS + i)[side];
            }
            if (Stats.median(last) < (1 - SETTLE_GAIN) * Stats.median(before)) {
                return false;
            }
        }
        return true;
    }

    private OrtProfile.Summary profile(LayerData d, int buffers) throws Exception {
        try (OrtSide ort = OrtSide.profiled(env, d, s.threads(), s.ortSpin(), buffers, profileDir)) {
            for (int r = 0; r < PROFILE_WARMUP + s.profileRuns(); r++) {
                ort.run(r % buffers);
            }
            return ort.endProfiling().summary(PROFILE_WARMUP);
        }
    }

    /** max |ours - want| / max |want|; NaN when ours holds a NaN, infinite when lengths differ. */
    static double relativeError(float[] ours, float[] want) {
        if (ours.length != want.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            double diff = Math.abs((double) ours[i] - want[i]);
            if (Double.isNaN(diff)) {
                return Double.NaN;
            }
            worst = Math.max(worst, diff);
        }
        return worst / Math.max(scale, Float.MIN_NORMAL);
    }
}
