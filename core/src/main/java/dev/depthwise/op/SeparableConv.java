package dev.depthwise.op;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.kernel.ChannelRef;
import dev.depthwise.kernel.DwActivation;
import dev.depthwise.kernel.DwWeightsPacked;
import dev.depthwise.kernel.Gemm;
import dev.depthwise.kernel.GemmScratch;
import dev.depthwise.kernel.PwEpilogue;
import dev.depthwise.kernel.Simd;
import dev.depthwise.kernel.VecSpecies;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.ShapeException;

/**
 * Depthwise-separable convolution: depthwise stage, middle slot (optional affine, activation),
 * pointwise stage. Composed from two {@link Conv} ops; stateless and thread-safe.
 *
 * <p>The forward pass of the common case (channels-last, zero padding, multiplier 1, vector
 * kernels on) is fused: a band of depthwise output rows at a time goes into a per-thread buffer
 * that stays in L2, with the middle slot folded into the depthwise weights (its scale into the
 * taps, its shift into the bias) and its activation applied by the depthwise kernel, and the
 * pointwise GEMM reads the band from there. The depthwise output never goes to memory, and nothing
 * is allocated but the result.
 *
 * <p>Every other forward pass (channels-first, multipliers above 1, ...) folds the middle the same
 * way and runs the two stages one after the other: the depthwise stage through a {@link Conv} whose
 * spec carries the middle's activation, so that the fast kernels apply it as they store, into an
 * intermediate the calling thread keeps from call to call, then the pointwise stage. The backward
 * pass keeps the stages apart (it needs the depthwise output before the middle).
 */
public final class SeparableConv {
    private static final String OP = "separable conv";
    /** Bytes of depthwise output a band holds: well inside L2 beside the GEMM's working set. */
    static final int BAND_BYTES = 256 << 10;

    private final SeparableSpec spec;
    private final Conv depthwise;
    private final Conv pointwise;
    /** The depthwise stage with the middle's activation fused, for the unfused forward pass. */
    private final Conv depthwiseActivated;
    private final int threads;
    /** The channels-last depthwise kernel of the fused forward pass, or null when it is not fused. */
    private final DepthwiseForward.NhwcRows fusedRows;
    private final int bandBytes;

    private SeparableConv(SeparableSpec spec, int threads, int bandBytes) {
        this.spec = spec;
        this.threads = threads;
        this.depthwise = Conv.of(spec.depthwise(), threads);
        this.pointwise = Conv.of(spec.pointwise(), threads);
        this.depthwiseActivated = Conv.of(spec.depthwise().toBuilder().activation(spec.middle().activation()).build(),
                threads);
        this.fusedRows = fusable(spec) ? DepthwiseForward.choose(spec.depthwise()).rows : null;
        this.bandBytes = bandBytes;
    }

    /** The fused forward pass runs for channels-last, zero-padded, multiplier-1 specs with the vector kernels on. */
    static boolean fusable(SeparableSpec spec) {
        ConvSpec dw = spec.depthwise();
        return Simd.enabled() && dw.layout() == Layout.CHANNELS_LAST && DepthwiseForward.supports(dw)
                && dw.multiplier() == 1 && PointwiseForward.supports(spec.pointwise())
                && DepthwiseForward.choose(dw).rows != null && !DepthwiseForward.choose(dw).convertsLayout();
    }

    /** With a given thread count and band size, for tests and benchmarks (a band of all rows is the unfused order). */
    static SeparableConv of(SeparableSpec spec, int threads, int bandBytes) {
        return new SeparableConv(spec, threads, bandBytes);
    }

    /** The op for {@code spec}, using {@link Parallel#defaultThreads()} threads. */
    public static SeparableConv of(SeparableSpec spec) {
        return of(spec, Parallel.defaultThreads());
    }

    /** The op for {@code spec}, splitting its work over {@code threads} threads. */
    public static SeparableConv of(SeparableSpec spec, int threads) {
        if (spec == null) {
            throw new ShapeException(OP + ": spec must not be null");
        }
        Checks.positive(OP, "threads", threads);
        return new SeparableConv(spec, threads, BAND_BYTES);
    }

    /** True when {@link #forward} takes the fused path. */
    boolean fused() {
        return fusedRows != null;
    }

    public SeparableSpec spec() {
        return spec;
    }

    /** The output, in the depthwise spec's layout. */
    public float[] forward(float[] x, SeparableWeights w) {
        check(x, w);
        float[] y = new float[spec.pointwise().outputLength()];
        run(x, w, y);
        return y;
    }

    /**
     * As {@link #forward(float[], SeparableWeights)}, into {@code y}, which must not be x nor a weight
     * array (the fused path reads x rows after writing y rows): a warm call allocates nothing.
     */
    public void forward(float[] x, SeparableWeights w, float[] y) {
        check(x, w);
        ConvSpec pw = spec.pointwise();
        Checks.length(OP, "y", y, pw.outputLength(), pw.outputShape());
        String same = y == x ? "x" : y == w.depthwiseFilter() ? "depthwise filter" : y == w.depthwiseBias()
                ? "depthwise bias" : y == w.scale() ? "middle scale" : y == w.shift() ? "middle shift"
                : y == w.pointwiseFilter() ? "pointwise filter" : y == w.pointwiseBias() ? "pointwise bias" : null;
        if (same != null) {
            throw new ShapeException(OP + ": y must not be the same array as " + same);
        }
        run(x, w, y);
    }

    private void run(float[] x, SeparableWeights w, float[] y) {
        if (fusedRows != null) {
            fusedForward(x, w, y);
        } else {
            stagedForward(x, w, y);
        }
    }

    /** The gradients of every parameter and of x for the output gradient {@code dy}. */
    public SeparableGradients backward(float[] x, SeparableWeights w, float[] dy) {
        check(x, w);
        ConvSpec pw = spec.pointwise();
        Checks.length(OP, "dy", dy, pw.outputLength(), pw.outputShape());
        Stages s = stages(x, w);
        ConvGradients gp = pointwise.backward(s.activated, w.pointwiseFilter(), w.pointwiseBias(), dy);
        float[] dv = new float[s.depthwise.length];
        ActivationRef.backward(spec.middle().activation(), s.affine, gp.dx(), dv);
        float[] du = dv;
        float[] dscale = null;
        float[] dshift = null;
        if (spec.middle().affine()) {
            ConvSpec dw = spec.depthwise();
            int c = dw.outChannels();
            du = new float[dv.length];
            dscale = new float[c];
            dshift = new float[c];
            int spatial = dv.length / dw.batch() / c;
            boolean last = dw.layout() == Layout.CHANNELS_LAST;
            ChannelRef.affineBackward(s.depthwise, w.scale(), dv, du, dscale, dshift, dw.batch(), c, spatial,
                    last ? 1 : spatial, last ? c : 1);
        }
        ConvGradients gd = depthwise.backward(x, w.depthwiseFilter(), w.depthwiseBias(), du);
        return new SeparableGradients(gd.dx(), gd.dfilter(), gd.dbias(), dscale, dshift, gp.dfilter(), gp.dbias());
    }

    private void fusedForward(float[] x, SeparableWeights w, float[] y) {
        ConvSpec dw = spec.depthwise();
        ConvSpec pw = spec.pointwise();
        ConvGeometry g = dw.geometry();
        int c = g.k;
        int o = pw.outChannels();
        Kept k = kept.get();
        packMiddleInto(g, w, k);
        float[] packed = k.packed(g);
        Activation mid = spec.middle().activation();
        int midAct = DwActivation.code(mid);
        float midAlpha = mid.alpha();
        // pointwise filter element (input ci, output oj): [1.., C, O] or [O, C, 1..]
        boolean inOut = pw.filterLayout() == FilterLayout.SPATIAL_IN_OUT;
        int brs = inOut ? o : 1;
        int bcs = inOut ? 1 : c;
        float[] pf = w.pointwiseFilter();
        PwEpilogue epilogue = PwEpilogue.of(w.pointwiseBias(), 0, false, pw.activation());
        int rowPixels = g.outW;
        int rows = g.n * g.outD * g.outH;
        // a band fits L2, and holds at least 4 pixels per column of the pointwise filter, so that
        // the GEMM's repacking of that filter once a band costs little beside the band itself
        int band = Math.max(bandBytes / (4 * rowPixels * c), (4 * o + rowPixels - 1) / rowPixels);
        band = Math.max(1, Math.min(rows, band));
        int bands = (rows + band - 1) / band;
        DepthwiseForward.NhwcRows dwRows = fusedRows;
        if (threads > 1 && bands < 2 * threads) {
            // too few bands to share: the two stages one after the other, each split over the threads
            float[] u = k.u();
            Parallel.forRange(threads, rows, (r0, r1) -> dwRows.rows(g, x, 0, packed, midAct, midAlpha, u, 0, r0, r1,
                    0, c));
            pointwise.forward(u, pf, w.pointwiseBias(), y);
            return;
        }
        int bandRows = band;
        Parallel.forRange(threads, bands, (b0, b1) -> {
            GemmScratch s = GemmScratch.local();
            float[] u = s.extra(bandRows * rowPixels * c);
            for (int b = b0; b < b1; b++) {
                int r0 = b * bandRows;
                int r1 = Math.min(rows, r0 + bandRows);
                // depthwise rows [r0, r1) into u, which holds them from its start
                dwRows.rows(g, x, 0, packed, midAct, midAlpha, u, -r0 * rowPixels * c, r0, r1, 0, c);
                int pixels = (r1 - r0) * rowPixels;
                Gemm.run(pixels, o, c, u, 0, c, 1, pf, 0, brs, bcs, y, r0 * rowPixels * o, o, false, s,
                        epilogue, r0 * rowPixels, 0);
            }
        });
    }

    /**
     * The depthwise weights with the middle's affine map folded in: {@code scale*(conv(x, f) + b) + shift
     * = conv(x, scale*f) + (scale*b + shift)}, packed for the channels-last kernels into the kept array.
     */
    private void packMiddleInto(ConvGeometry g, SeparableWeights w, Kept k) {
        float[] f = w.depthwiseFilter();
        float[] b = w.depthwiseBias();
        if (spec.middle().affine()) {
            f = k.filter();
            b = k.bias();
            foldAffine(g, w, f, b);
        }
        DwWeightsPacked.pack(g, f, b, VecSpecies.LEN, k.packed(g));
    }

    /**
     * The middle's affine map folded into the depthwise filter and bias, written to {@code fs} (the
     * filter's length) and {@code bs} (one per output channel): {@code scale*(conv(x, f) + b) + shift
     * = conv(x, scale*f) + (scale*b + shift)}. Every filter element is written (one input channel a group).
     */
    private static void foldAffine(ConvGeometry g, SeparableWeights w, float[] fs, float[] bs) {
        float[] f = w.depthwiseFilter();
        float[] b = w.depthwiseBias();
        float[] scale = w.scale();
        float[] shift = w.shift();
        for (int ch = 0; ch < g.k; ch++) {
            for (int i = 0; i < g.kD; i++) {
                for (int j = 0; j < g.kH; j++) {
                    for (int l = 0; l < g.kW; l++) {
                        int at = ch * g.fO + i * g.fD + j * g.fH + l * g.fW;
                        fs[at] = f[at] * scale[ch];
                    }
                }
            }
            bs[ch] = (b == null ? 0f : b[ch]) * scale[ch] + shift[ch];
        }
    }

    /**
     * Depthwise stage (middle folded in, its activation applied by the depthwise kernels) into the
     * calling thread's kept intermediate, then the pointwise stage into {@code y}.
     */
    private void stagedForward(float[] x, SeparableWeights w, float[] y) {
        ConvSpec dw = spec.depthwise();
        Kept k = kept.get();
        float[] f = w.depthwiseFilter();
        float[] b = w.depthwiseBias();
        if (spec.middle().affine()) {
            f = k.filter();
            b = k.bias();
            foldAffine(dw.geometry(), w, f, b);
        }
        float[] u = k.u();
        depthwiseActivated.forward(x, f, b, u);
        pointwise.forward(u, w.pointwiseFilter(), w.pointwiseBias(), y);
    }

    /**
     * The calling thread's intermediate (the depthwise output), folded depthwise weights and packed
     * ones (the fused path's), each made when first needed.
     */
    private final class Kept {
        private float[] u;
        private float[] filter;
        private float[] bias;
        private float[] packed;

        float[] u() {
            if (u == null) {
                u = new float[spec.depthwise().outputLength()];
            }
            return u;
        }

        float[] filter() {
            if (filter == null) {
                filter = new float[spec.depthwise().filterLength()];
            }
            return filter;
        }

        float[] bias() {
            if (bias == null) {
                bias = new float[spec.depthwise().outChannels()];
            }
            return bias;
        }

        float[] packed(ConvGeometry g) {
            if (packed == null) {
                packed = new float[DwWeightsPacked.length(g.k, g.kD * g.kH * g.kW, VecSpecies.LEN)];
            }
            return packed;
        }
    }

    /**
     * Per op and thread, kept so that a warm call allocates nothing (per op, not shared, because the
     * checks want arrays of this spec's exact lengths). The stages' workers only read or write them
     * while the calling thread waits.
     */
    private final ThreadLocal<Kept> kept = ThreadLocal.withInitial(Kept::new);

    /** The intermediate tensors: after the depthwise stage, after the affine map, after the activation. */
    private record Stages(float[] depthwise, float[] affine, float[] activated) {
    }

    private Stages stages(float[] x, SeparableWeights w) {
        ConvSpec dw = spec.depthwise();
        float[] u = depthwise.forward(x, w.depthwiseFilter(), w.depthwiseBias());
        float[] v = u;
        if (spec.middle().affine()) {
            int c = dw.outChannels();
            int spatial = u.length / dw.batch() / c;
            boolean last = dw.layout() == Layout.CHANNELS_LAST;
            v = new float[u.length];
            ChannelRef.affine(u, w.scale(), w.shift(), v, dw.batch(), c, spatial, last ? 1 : spatial, last ? c : 1);
        }
        float[] a = v;
        if (spec.middle().activation().kind() != Activation.Kind.NONE) {
            a = v.clone();
            ActivationRef.applyInPlace(spec.middle().activation(), a);
        }
        return new Stages(u, v, a);
    }

    private void check(float[] x, SeparableWeights w) {
        ConvSpec dw = spec.depthwise();
        ConvSpec pw = spec.pointwise();
        if (w == null) {
            throw new ShapeException(OP + ": weights must not be null");
        }
        Checks.length(OP, "x", x, dw.inputLength(), dw.inputShape());
        Checks.length(OP, "depthwise filter", w.depthwiseFilter(), dw.filterLength(), dw.filterShape());
        if (w.depthwiseBias() != null) {
            Checks.length(OP, "depthwise bias", w.depthwiseBias(), dw.outChannels(), dw.biasShape());
        }
        if (spec.middle().affine()) {
            Checks.length(OP, "middle scale", w.scale(), dw.outChannels(), dw.biasShape());
            Checks.length(OP, "middle shift", w.shift(), dw.outChannels(), dw.biasShape());
        } else if (w.scale() != null || w.shift() != null) {
            throw new ShapeException(OP + ": middle scale/shift given but the spec's middle has no affine map");
        }
        Checks.length(OP, "pointwise filter", w.pointwiseFilter(), pw.filterLength(), pw.filterShape());
        if (w.pointwiseBias() != null) {
            Checks.length(OP, "pointwise bias", w.pointwiseBias(), pw.outChannels(), pw.biasShape());
        }
    }
}
