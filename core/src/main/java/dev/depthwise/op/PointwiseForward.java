package dev.depthwise.op;

import dev.depthwise.kernel.Gemm;
import dev.depthwise.kernel.Gemm8x2v;
import dev.depthwise.kernel.GemmPack;
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
 * {@code [O, C]} (PyTorch), packed when it is {@code [C, O]} (TensorFlow); a batch of small images
 * (7x7, whose 49 pixels would fill 64 columns of tiles) as one product with the images side by side.</li>
 * </ul>
 * The operand that every tile re-reads is packed strip by strip as the product goes, into scratch
 * that each thread keeps ({@link GemmScratch}): nothing is allocated per call once warm. Prepared
 * weights ({@link #prepare}) are packed once, W's per-call packing gone, in the panels of whichever
 * operand W is, so the tiles read W from contiguous panels in either layout.
 */
final class PointwiseForward implements ForwardPath {
    private final int batch, spatial, c, k, groups, cg, kg, threads;
    private final boolean channelsLast, filterInOut;
    private final Activation activation;
    /** Rows of a folded product computed and copied out at a time (whole row tiles; 196 KiB at batch 8 of 7x7). */
    private static final int FOLDED_ROWS = 128;

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
        forward(x, w, null, bias, y);
    }

    /**
     * The weights packed once into the GEMM's panels ({@link GemmPack#bWhole} for channels-last,
     * where W is the right operand, {@link GemmPack#aWhole} for channels-first, where it is the
     * left one), a group after another; the plain snapshot when the vector bodies are off.
     */
    @Override
    public Prepared prepare(float[] filter, float[] bias) {
        float[] b = bias == null ? null : bias.clone();
        if (!Simd.enabled()) {
            float[] f = filter.clone();
            return (x, y) -> forward(x, f, null, b, y);
        }
        float[] packed = new float[groups * packedGroup()];
        for (int g = 0; g < groups; g++) {
            int at = g * packedGroup();
            if (channelsLast) {
                GemmPack.bWhole(filter, g * wG(), wI(), wO(), cg, kg, packed, at);
            } else {
                GemmPack.aWhole(filter, g * wG(), wO(), wI(), kg, cg, packed, at);
            }
        }
        return (x, y) -> forward(x, null, packed, b, y);
    }

    /** Floats of one group's packed weights. */
    private int packedGroup() {
        return channelsLast ? GemmPack.wholeBLength(cg, kg) : GemmPack.wholeALength(kg, cg);
    }

    // filter element (input ci, output oj) of group g: w[g*wG + ci*wI + oj*wO]
    private int wG() {
        return filterInOut ? kg : kg * cg;
    }

    private int wI() {
        return filterInOut ? k : 1;
    }

    private int wO() {
        return filterInOut ? 1 : cg;
    }

    /** With {@code packed} non-null the weights are read from it ({@link #prepare}) and {@code w} is unused. */
    private void forward(float[] x, float[] w, float[] packed, float[] bias, float[] y) {
        PwEpilogue epilogue = PwEpilogue.of(bias, 0, !channelsLast, activation);
        int wG = wG();
        int wI = wI();
        int wO = wO();
        int pg = packed == null ? 0 : packedGroup();
        if (channelsLast) {
            // one product per group: Y_g[P x Kg] = X_g[P x Cg] . W_g[Cg x Kg]
            int rows = batch * spatial;
            int width = GemmPack.paddedWidth(kg);
            split(threads, groups, rows, kg, (g, r0, r1, j0, j1, s) -> {
                if (packed != null) {
                    Gemm.runPackedB(r1 - r0, j1 - j0, cg, x, r0 * c + g * cg, c, 1, packed, g * pg, width, j0,
                            y, r0 * k + g * kg + j0, k, false, false, s, epilogue, r0, g * kg + j0);
                } else {
                    product(r1 - r0, j1 - j0, cg, x, r0 * c + g * cg, c, 1, w, g * wG + j0 * wO, wI, wO,
                            y, r0 * k + g * kg + j0, k, false, false, s, epilogue, r0, g * kg + j0);
                }
            });
        } else if (foldsImages()) {
            forwardFolded(x, w, packed, y, epilogue);
        } else {
            // one product per image and group: Y_ng[Kg x S] = W_g[Kg x Cg] . X_ng[Cg x S]
            int padded = GemmPack.paddedRows(kg);
            split(threads, batch * groups, kg, spatial, (p, r0, r1, j0, j1, s) -> {
                int n = p / groups;
                int g = p % groups;
                int xAt = (n * c + g * cg) * spatial + j0;
                int yAt = (n * k + g * kg + r0) * spatial + j0;
                if (packed != null) {
                    Gemm.runPackedA(r1 - r0, j1 - j0, cg, packed, g * pg, padded, r0, x, xAt, spatial, 1,
                            y, yAt, spatial, false, true, s, epilogue, g * kg + r0, j0);
                } else {
                    product(r1 - r0, j1 - j0, cg, w, g * wG + r0 * wO, wO, wI, x, xAt, spatial, 1,
                            y, yAt, spatial, false, true, s, epilogue, g * kg + r0, j0);
                }
            });
        }
    }

    /**
     * Channels-first with small images (7x7: 49 pixels, padded to 64 columns of tiles) and several of
     * them: the images' pixels side by side make one product per group, whose columns waste only the
     * last strip's padding.
     */
    private boolean foldsImages() {
        return batch > 1 && Simd.enabled() && GemmPack.paddedWidth(spatial) * 8 > spatial * 9;
    }

    /**
     * {@code Y_g[Kg x N*S] = W_g[Kg x Cg] . X_g[Cg x N*S]} per group: X_g gathered into this thread's
     * scratch (the images' planes side by side) and packed whole once ({@link GemmPack#bWhole}), which
     * every region shares; each region computed {@link #FOLDED_ROWS} rows at a time into its thread's
     * staging (kept in L2) and copied out to its images' planes (the bias and activation are in already).
     */
    private void forwardFolded(float[] x, float[] w, float[] packed, float[] y, PwEpilogue epilogue) {
        int cols = batch * spatial;
        int width = GemmPack.paddedWidth(cols);
        int bp = cg * cols;
        float[] buf = GemmScratch.local().extra(bp + GemmPack.wholeBLength(cg, cols));
        int padded = GemmPack.paddedRows(kg);
        int pg = packed == null ? 0 : packedGroup();
        int strips = (cols + Gemm8x2v.NR - 1) / Gemm8x2v.NR;
        for (int g = 0; g < groups; g++) {
            int gg = g;
            // gathered and packed by column strips over the threads: one thread doing it all was a third
            // of the time at 2 threads (7x7, 960 channels, batch 8)
            Parallel.forRange(threads, strips, (q0, q1) -> {
                int j0 = q0 * Gemm8x2v.NR;
                int j1 = Math.min(cols, q1 * Gemm8x2v.NR);
                for (int ci = 0; ci < cg; ci++) {
                    for (int j = j0; j < j1; ) {
                        int n = j / spatial;
                        int at = j - n * spatial;
                        int len = Math.min(j1 - j, spatial - at);
                        System.arraycopy(x, (n * c + gg * cg + ci) * spatial + at, buf, ci * cols + j, len);
                        j += len;
                    }
                }
                GemmPack.bWholeColumns(buf, 0, cols, 1, cg, cols, j0, j1, buf, bp);
            });
            split(threads, 1, kg, cols, (p, r0, r1, j0, j1, s) -> {
                int n0 = j1 - j0;
                float[] ys = s.staged(Math.min(FOLDED_ROWS, r1 - r0) * n0);
                for (int i0 = r0; i0 < r1; i0 += FOLDED_ROWS) {
                    int i1 = Math.min(r1, i0 + FOLDED_ROWS);
                    if (packed != null) {
                        Gemm.runPacked(i1 - i0, n0, cg, packed, gg * pg, padded, i0, buf, bp, width, j0,
                                ys, 0, n0, false, true, s, epilogue, gg * kg + i0, j0);
                    } else {
                        Gemm.runPackedB(i1 - i0, n0, cg, w, gg * wG() + i0 * wO(), wO(), wI(), buf, bp, width, j0,
                                ys, 0, n0, false, true, s, epilogue, gg * kg + i0, j0);
                    }
                    for (int o = i0; o < i1; o++) {
                        for (int j = j0; j < j1; ) {
                            int n = j / spatial;
                            int at = j - n * spatial;
                            int len = Math.min(j1 - j, spatial - at);
                            System.arraycopy(ys, (o - i0) * n0 + j - j0, y, (n * k + gg * kg + o) * spatial + at, len);
                            j += len;
                        }
                    }
                }
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
