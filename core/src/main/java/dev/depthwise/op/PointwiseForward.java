package dev.depthwise.op;

import dev.depthwise.kernel.Gemm;
import dev.depthwise.kernel.Gemm8x2v;
import dev.depthwise.kernel.GemmScalar;
import dev.depthwise.kernel.GemmScratch;
import dev.depthwise.kernel.PwEpilogue;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;

/**
 * The pointwise (1x1, stride 1, unpadded) convolution as one matrix product per group, bias and
 * activation applied to each tile as it is finished ({@link Gemm}):
 * <ul>
 * <li>channels-last: {@code Y[P x O] = X[P x C] . W[C x O]} over all {@code P = batch * spatial}
 * positions at once, X read in place;</li>
 * <li>channels-first: per image {@code Y[O x S] = W[O x C] . X[C x S]}, W read in place when it is
 * {@code [O, C]} (PyTorch), packed when it is {@code [C, O]} (TensorFlow).</li>
 * </ul>
 * The operand that every tile re-reads is packed strip by strip as the product goes, into scratch
 * that each thread keeps ({@link GemmScratch}): nothing is allocated per call once warm.
 */
final class PointwiseForward implements ForwardPath {
    private final int batch, spatial, c, k, groups, cg, kg, threads;
    private final boolean channelsLast, filterInOut;
    private final Activation activation;

    PointwiseForward(ConvSpec spec, int threads) {
        this.batch = spec.batch();
        this.c = spec.inChannels();
        this.k = spec.outChannels();
        this.groups = spec.groups();
        this.cg = c / groups;
        this.kg = k / groups;
        this.spatial = spec.outputLength() / batch / k;
        this.threads = threads;
        this.channelsLast = spec.layout() == Layout.CHANNELS_LAST;
        this.filterInOut = spec.filterLayout() == FilterLayout.SPATIAL_IN_OUT;
        this.activation = spec.activation();
    }

    /**
     * A 1x1 kernel with stride 1 and no padding of any kind, and not depthwise (that has its own
     * path). Needs the Vector API module (its scalar mode still runs here, through the scalar GEMM).
     */
    static boolean supports(ConvSpec spec) {
        if (!Simd.AVAILABLE || spec.isDepthwise()) {
            return false;
        }
        int[] kernel = spec.kernel();
        int[] stride = spec.stride();
        int[] before = spec.padBefore();
        int[] after = spec.padAfter();
        for (int a = 0; a < spec.rank(); a++) {
            if (kernel[a] != 1 || stride[a] != 1 || before[a] != 0 || after[a] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String name() {
        return "pw-gemm-" + (channelsLast ? "nhwc" : "nchw");
    }

    @Override
    public void forward(float[] x, float[] w, float[] bias, float[] y) {
        PwEpilogue epilogue = PwEpilogue.of(bias, 0, !channelsLast, activation);
        // filter element (input ci, output oj) of group g: w[g*wG + ci*wI + oj*wO]
        int wG = filterInOut ? kg : kg * cg;
        int wI = filterInOut ? k : 1;
        int wO = filterInOut ? 1 : cg;
        if (channelsLast) {
            // one product per group: Y_g[P x Kg] = X_g[P x Cg] . W_g[Cg x Kg]
            int rows = batch * spatial;
            split(threads, groups, rows, kg, (g, r0, r1, j0, j1, s) -> product(r1 - r0, j1 - j0, cg,
                    x, r0 * c + g * cg, c, 1, w, g * wG + j0 * wO, wI, wO, y, r0 * k + g * kg + j0, k, false, false,
                    s, epilogue, r0, g * kg + j0));
        } else {
            // one product per image and group: Y_ng[Kg x S] = W_g[Kg x Cg] . X_ng[Cg x S]
            split(threads, batch * groups, kg, spatial, (p, r0, r1, j0, j1, s) -> {
                int n = p / groups;
                int g = p % groups;
                product(r1 - r0, j1 - j0, cg, w, g * wG + r0 * wO, wO, wI,
                        x, (n * c + g * cg) * spatial + j0, spatial, 1,
                        y, (n * k + g * kg + r0) * spatial + j0, spatial, false, true, s, epilogue, g * kg + r0, j0);
            });
        }
    }

    /**
     * One region of one product ({@link Gemm#run}'s operands): the vector GEMM, or plain loops when
     * the vector bodies are off ({@code s} null).
     */
    static void product(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs,
                        float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate,
                        boolean channelRows, GemmScratch s, PwEpilogue epilogue, int row0, int col0) {
        if (s != null) {
            Gemm.run(rows, cols, depth, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, channelRows, s,
                    epilogue, row0, col0);
            return;
        }
        GemmScalar.gemm(rows, cols, depth, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate);
        if (epilogue != null) {
            epilogue.apply(c, cOff, ldc, rows, cols, row0, col0);
        }
    }

    /** A region of product {@code p}: rows {@code [r0, r1)}, columns {@code [j0, j1)}; scratch null when scalar. */
    @FunctionalInterface
    interface Region {
        void run(int p, int r0, int r1, int j0, int j1, GemmScratch s);
    }

    /**
     * Splits {@code products} products of {@code rows x cols} over threads along the longer side,
     * in whole register tiles (rows) or strips (columns): a thread re-reads the operand along the
     * side it shares with the others, so sharing the shorter one costs least (NHWC: the rows of X
     * are split and each thread packs the small W; NCHW: the pixels are split).
     */
    static void split(int threads, int products, int rows, int cols, Region region) {
        boolean vector = Simd.enabled();
        boolean byRows = rows >= cols;
        int unit = byRows ? Gemm8x2v.MR : vector ? Gemm8x2v.NR : 1;
        int per = ((byRows ? rows : cols) + unit - 1) / unit;
        Parallel.forRange(threads, products * per, (u0, u1) -> {
            GemmScratch s = vector ? GemmScratch.local() : null;
            for (int u = u0; u < u1; ) {
                int p = u / per;
                int first = u % per;
                int end = Math.min(per, first + u1 - u);
                int lo = first * unit;
                if (byRows) {
                    region.run(p, lo, Math.min(rows, end * unit), 0, cols, s);
                } else {
                    region.run(p, 0, rows, lo, Math.min(cols, end * unit), s);
                }
                u += end - first;
            }
        });
    }
}
