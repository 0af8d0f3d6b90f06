package dev.depthwise.op;

import dev.depthwise.kernel.GemmScratch;
import dev.depthwise.kernel.Im2colFilterOrder;
import dev.depthwise.kernel.Im2colNhwc;
import dev.depthwise.kernel.PwEpilogue;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;

/**
 * Full and grouped convolution (channels-last, zero padding, any kernel, stride, dilation and rank)
 * as im2col + GEMM: a block of output pixels at a time, their receptive fields are copied into a
 * per-thread column matrix ({@link Im2colNhwc}) and multiplied by the filter, one product per group,
 * {@code Y[pixels x O/g] = cols[pixels x taps*C/g] . W_g[taps*C/g x O/g]}, with bias and activation
 * applied to each finished tile ({@link PwEpilogue}). Blocks run across image boundaries (the
 * output rows of a channels-last batch are one matrix), so small late-layer images still make
 * GEMMs of a useful height; threads take whole blocks.
 */
final class Im2colForward implements ForwardPath {
    /** Floats of column matrix per block: 192 KiB, so the block stays in L2 while the GEMM sweeps it. */
    static final int BLOCK_FLOATS = 48 * 1024;
    /** Longest column-matrix row taken (taps * C/g); beyond it a block of 8 rows would be too big to be worth it. */
    static final int MAX_WIDTH = 1 << 18;

    private final ConvGeometry g;
    private final int threads, k, kg, cg, groups, taps, width, pixels, rows, blocks;
    private final boolean outIn;
    private final Activation activation;

    Im2colForward(ConvSpec spec, int threads) {
        this.g = spec.geometry();
        this.threads = threads;
        this.k = g.k;
        this.groups = g.groups;
        this.cg = g.cPerGroup;
        this.kg = g.kPerGroup;
        this.taps = g.kD * g.kH * g.kW;
        this.width = taps * cg;
        this.pixels = g.n * g.outD * g.outH * g.outW;
        this.rows = blockRows(width);
        this.blocks = (pixels + rows - 1) / rows;
        this.outIn = spec.filterLayout() == FilterLayout.OUT_IN_SPATIAL;
        this.activation = spec.activation();
    }

    /**
     * Channels-last, zero padding, not depthwise (that has its own path); pointwise 1x1 specs are
     * taken by the pointwise path first, the rest (strided or padded 1x1) are fine here. Needs the
     * Vector API module (its scalar mode still runs here, through the scalar GEMM).
     */
    static boolean supports(ConvSpec spec) {
        if (!Simd.AVAILABLE || spec.isDepthwise() || spec.layout() != Layout.CHANNELS_LAST
                || spec.padMode() != PadMode.ZEROS) {
            return false;
        }
        long taps = 1;
        for (int kk : spec.kernel()) {
            taps *= kk;
        }
        return taps * (spec.inChannels() / spec.groups()) <= MAX_WIDTH;
    }

    /** Pixels per block: as many as fit {@link #BLOCK_FLOATS}, in whole register tiles of 8 rows. */
    static int blockRows(int width) {
        return Math.max(8, BLOCK_FLOATS / width / 8 * 8);
    }

    @Override
    public String name() {
        return "im2col-gemm-nhwc";
    }

    @Override
    public void forward(float[] x, float[] w, float[] bias, float[] y) {
        float[] wm = w;
        if (outIn) {
            wm = new float[w.length];
            Im2colFilterOrder.toTapsInOut(w, k, cg, taps, wm);
        }
        float[] filter = wm;
        PwEpilogue epilogue = PwEpilogue.of(bias, 0, false, activation);
        boolean vector = Simd.enabled();
        Parallel.forRange(threads, blocks, (b0, b1) -> {
            GemmScratch s = GemmScratch.local();
            float[] cols = s.extra(rows * width);
            for (int b = b0; b < b1; b++) {
                int q0 = b * rows;
                int q1 = Math.min(pixels, q0 + rows);
                for (int gi = 0; gi < groups; gi++) {
                    Im2colNhwc.copy(g, x, 0, gi * cg, cg, q0, q1, cols, 0, width);
                    PointwiseForward.product(q1 - q0, kg, width, cols, 0, width, 1, filter, gi * kg, k, 1,
                            y, q0 * k + gi * kg, k, false, false, vector ? s : null, epilogue, q0, gi * kg);
                }
            }
        });
    }
}
