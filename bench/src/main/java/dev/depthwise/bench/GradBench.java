package dev.depthwise.bench;

import dev.depthwise.spec.Layout;

/**
 * {@code depthwise bench dwgrad} on one layer: our forward and backward in NHWC and NCHW, and
 * Deeplearning4j's forward and backward, on the same random x, dy, weights and bias; warm-up (ours
 * alone first, then all sides), one check of every output against Deeplearning4j's, then timed
 * rounds, all with {@link LayerBench}'s machinery (the same warm-up rule and rotation): our four
 * sides alternating as in the other kinds, then Deeplearning4j's two apart, each in a phase of its
 * own (in shared rounds its calls slowed ours by about 1.7x).
 */
final class GradBench {
    /** Test hook: added to the first filter weight handed to Deeplearning4j, so that the check must fail. */
    static volatile float dl4jWeightOffset;

    private final LayerBench bench;
    private final LayerBench.Settings s;
    private final boolean dl4j;
    private int dl4jThreadsBusy = -2;

    /** {@code dl4j}: whether Deeplearning4j's natives loaded ({@link Dl4jDepthwise#load}). */
    GradBench(LayerBench.Settings settings, boolean dl4j) {
        this.bench = new LayerBench(null, settings, null);
        this.s = settings;
        this.dl4j = dl4j;
    }

    /**
     * Threads that did Deeplearning4j's work, counted once on the first layer ({@link ThreadUse});
     * -1 where that cannot be read, -2 before it was counted or without Deeplearning4j.
     */
    int dl4jThreadsBusy() {
        return dl4jThreadsBusy;
    }

    GradResult run(Layer layer, int index) throws Exception {
        LayerData d = LayerData.random(layer, s.batch(), s.seed() + index);
        float[] dy = d.randomOutputGradient(s.seed() + index);
        int buffers = bench.buffers(layer);
        OurSide fwdNhwc = OurSide.of(d, Layout.CHANNELS_LAST, s.threads(), buffers);
        OurSide fwdNchw = OurSide.of(d, Layout.CHANNELS_FIRST, s.threads(), buffers);
        OurBackwardSide bwdNhwc = new OurBackwardSide(d, dy, Layout.CHANNELS_LAST, s.threads(), buffers);
        OurBackwardSide bwdNchw = new OurBackwardSide(d, dy, Layout.CHANNELS_FIRST, s.threads(), buffers);
        String fwdPath = paths(fwdNhwc.path(), fwdNchw.path());
        String bwdPath = paths(bwdNhwc.path(), bwdNchw.path());
        if (!dl4j) {
            Side[] sides = {fwdNhwc, fwdNchw, bwdNhwc, bwdNchw};
            bench.warmUp(sides, buffers);
            GradResult.Errors errors = check(fwdNhwc, fwdNchw, bwdNhwc, bwdNchw, fwdNchw.outputNchw(0),
                    bwdNchw.outputNchw(0), bwdNchw.dfilterOihw(), bwdNchw.dbias(), 0);
            LayerBench.Timed t = bench.time(sides, buffers);
            return new GradResult(layer, t.timing(0), t.timing(1), t.timing(2), t.timing(3), null, null, fwdPath,
                    bwdPath, errors, t.rounds(), buffers);
        }
        float[] hwcm = Layouts.oihwToHwio(d.dwFilter(), layer.c(), 1, Layer.KERNEL * Layer.KERNEL);
        hwcm[0] += dl4jWeightOffset;
        try (Dl4jDepthwise theirs = new Dl4jDepthwise(d, hwcm, dy, buffers)) {
            Side dl4jFwd = theirs.forward();
            Side dl4jBwd = theirs.backward();
            Side[] sides = {fwdNhwc, fwdNchw, bwdNhwc, bwdNchw, dl4jFwd, dl4jBwd};
            // Deeplearning4j's calls take up to a thousand times longer than ours: in shared rounds,
            // --max-time would end the warm-up before the JIT has compiled our kernels.
            bench.warmUp(java.util.Arrays.copyOf(sides, 4), buffers);
            bench.warmUp(sides, buffers);
            GradResult.Errors errors = check(fwdNhwc, fwdNchw, bwdNhwc, bwdNchw, dl4jFwd.outputNchw(0),
                    dl4jBwd.outputNchw(0), theirs.dfilterOihw(), theirs.dbias(), theirs.layerBackpropError());
            if (dl4jThreadsBusy == -2) {
                dl4jThreadsBusy = ThreadUse.busyThreads(() -> {
                    dl4jFwd.run(0);
                    dl4jBwd.run(0);
                }, 0.3);
            }
            // ours in alternating rounds as without DL4J, then DL4J's sides apart: in shared rounds its
            // calls slowed every side after them (ours about 1.7x)
            LayerBench.Timed ours = bench.time(java.util.Arrays.copyOf(sides, 4), buffers);
            LayerBench.Timed theirsTimed = bench.timePhases(new Side[] {dl4jFwd, dl4jBwd}, buffers);
            return new GradResult(layer, ours.timing(0), ours.timing(1), ours.timing(2), ours.timing(3),
                    theirsTimed.timing(0), theirsTimed.timing(1), fwdPath, bwdPath, errors,
                    Math.min(ours.rounds(), theirsTimed.rounds()), buffers);
        }
    }

    /** Our outputs of buffer 0 against {@code want*} (NCHW, OIHW), relative to the largest |want|. */
    static GradResult.Errors check(Side fwdNhwc, Side fwdNchw, OurBackwardSide bwdNhwc, OurBackwardSide bwdNchw,
                                   float[] wantY, float[] wantDx, float[] wantDfilter, float[] wantDbias,
                                   double dl4jLayer) {
        return new GradResult.Errors(
                worst(fwdNhwc.outputNchw(0), fwdNchw.outputNchw(0), wantY),
                worst(bwdNhwc.outputNchw(0), bwdNchw.outputNchw(0), wantDx),
                worst(bwdNhwc.dfilterOihw(), bwdNchw.dfilterOihw(), wantDfilter),
                worst(bwdNhwc.dbias(), bwdNchw.dbias(), wantDbias),
                dl4jLayer);
    }

    /** The larger relative error of {@code a} and {@code b} against {@code want} (NaN wins). */
    static double worst(float[] a, float[] b, float[] want) {
        double ea = LayerBench.relativeError(a, want);
        double eb = LayerBench.relativeError(b, want);
        return Double.isNaN(ea) || Double.isNaN(eb) ? Double.NaN : Math.max(ea, eb);
    }

    private static String paths(String nhwc, String nchw) {
        return nhwc.equals(nchw) ? nhwc : nhwc + " (NCHW: " + nchw + ")";
    }
}
