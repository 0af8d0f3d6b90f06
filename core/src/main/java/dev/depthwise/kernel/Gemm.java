package dev.depthwise.kernel;

/**
 * The pointwise GEMM over one region of {@code C}, BLIS style: blocks of rows sized to stay in L2,
 * blocks of k ({@link GemmBlocking#depth}), and for each block one column strip of {@code B} at
 * a time packed into L1 ({@link GemmPack#b}) and swept by every row tile ({@link GemmBlock}).
 *
 * <p>{@code C(i, j) (+)= sum_k A(i, k) B(k, j)} for {@code i < rows, j < cols, k < depth}, with
 * {@code A(i, k) = a[aOff + i*ars + k*acs]}, {@code B(k, j) = b[bOff + k*brs + j*bcs]} and
 * {@code C(i, j) = c[cOff + i*ldc + j]}: the strides say which layout each operand has, so the
 * same loops serve both activation layouts, both filter layouts and the transposed products of the
 * backward pass. A row-major {@code A} ({@code acs == 1}: an NHWC activation, or a filter stored
 * that way) is read in place; any other is packed into panels per block of k. Without
 * {@code accumulate} C is overwritten. A non-null {@code epilogue} is applied to each finished tile;
 * {@code row0}, {@code col0} place the region in the whole output for its bias index.
 */
public final class Gemm {
    private static final int MR = Gemm8x2v.MR;
    private static final int NR = Gemm8x2v.NR;
    /** Columns of B packed at once when C is written a row tile at a time (with 256 of k: 512 KiB). */
    private static final int WIDE = 512;
    /**
     * A channels-first product (C's rows far apart) this shallow, over more columns than
     * {@link #FAR} and more than two row tiles, is written a row tile at a time: a tile's product is
     * then too short to hide writing 8 pieces of rows far apart, cold in memory. Others go strip by
     * strip, which keeps each strip of B in L1 across the row tiles instead of streaming the whole
     * block of B from L2 for every tile (measured on MobileNetV2's layers, outputs cold: 7x7 to
     * 56x56 of depth 96 and more, and 112x112 32>16, gain 5-12% strip by strip; 56x56 24>144 and
     * 112x112 16>96 lose 8-11%).
     */
    private static final int SHALLOW = 64;
    private static final int FAR = 256;

    private Gemm() {
    }

    public static void run(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs,
                           float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate,
                           GemmScratch s, PwEpilogue epilogue, int row0, int col0) {
        run(rows, cols, depth, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, false, s, epilogue,
                row0, col0);
    }

    /**
     * As above; {@code channelRows} says that C's rows are channels of a channels-first tensor,
     * each a long run of its own, written a tile of rows at a time ({@link #byRowTiles}) when the
     * product is shallow.
     */
    public static void run(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs,
                           float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate,
                           boolean channelRows, GemmScratch s, PwEpilogue epilogue, int row0, int col0) {
        dispatch(rows, cols, depth, a, aOff, ars, acs, false, b, bOff, brs, bcs, false, c, cOff, ldc, accumulate,
                channelRows, s, epilogue, row0, col0);
    }

    /**
     * As {@link #run(int, int, int, float[], int, int, int, float[], int, int, int, float[], int, int, boolean,
     * boolean, GemmScratch, PwEpilogue, int, int) run}, with {@code B} packed beforehand by
     * {@link GemmPack#bWhole} (constant weights packed once): the region's column 0 is column
     * {@code bCol} (a multiple of {@link Gemm8x2v#NR}) of the packed {@code depth x bWidth} matrix at
     * {@code bp[bpOff]}, {@code bWidth} being the packed matrix's {@link GemmPack#paddedWidth}. The
     * region ends at the packed matrix's last column or at a multiple of {@link Gemm8x2v#NR} (its
     * strips are the packed ones). Results equal {@code run}'s on the unpacked B bit for bit.
     */
    public static void runPackedB(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs,
                                  float[] bp, int bpOff, int bWidth, int bCol, float[] c, int cOff, int ldc,
                                  boolean accumulate, boolean channelRows, GemmScratch s, PwEpilogue epilogue,
                                  int row0, int col0) {
        dispatch(rows, cols, depth, a, aOff, ars, acs, false, bp, bpOff, bWidth, bCol, true, c, cOff, ldc, accumulate,
                channelRows, s, epilogue, row0, col0);
    }

    /**
     * As {@link #runPackedB} for {@code A}: packed beforehand by {@link GemmPack#aWhole}; the region's
     * row 0 is row {@code aRow} (a multiple of {@link Gemm8x2v#MR}) of the packed matrix at
     * {@code ap[apOff]}, whose rows padded to whole panels ({@link GemmPack#paddedRows}) are {@code aRows}.
     */
    public static void runPackedA(int rows, int cols, int depth, float[] ap, int apOff, int aRows, int aRow,
                                  float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc,
                                  boolean accumulate, boolean channelRows, GemmScratch s, PwEpilogue epilogue,
                                  int row0, int col0) {
        dispatch(rows, cols, depth, ap, apOff, aRows, aRow, true, b, bOff, brs, bcs, false, c, cOff, ldc, accumulate,
                channelRows, s, epilogue, row0, col0);
    }

    /** As {@link #runPackedA} with {@code B} packed beforehand too, as {@link #runPackedB} takes it. */
    public static void runPacked(int rows, int cols, int depth, float[] ap, int apOff, int aRows, int aRow,
                                 float[] bp, int bpOff, int bWidth, int bCol, float[] c, int cOff, int ldc,
                                 boolean accumulate, boolean channelRows, GemmScratch s, PwEpilogue epilogue,
                                 int row0, int col0) {
        dispatch(rows, cols, depth, ap, apOff, aRows, aRow, true, bp, bpOff, bWidth, bCol, true, c, cOff, ldc,
                accumulate, channelRows, s, epilogue, row0, col0);
    }

    /**
     * The common body. An operand is read from its source by strides unless it is prepacked
     * ({@code aPre}, {@code bPre}): then {@code (aOff, ars, acs)} mean (packed offset, padded rows, first row)
     * and {@code (bOff, brs, bcs)} (packed offset, padded width, first column) of a whole packed
     * matrix, whose k blocks follow one another ({@link GemmPack#aWhole}, {@link GemmPack#bWhole}).
     */
    private static void dispatch(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs,
                                 boolean aPre, float[] b, int bOff, int brs, int bcs, boolean bPre,
                                 float[] c, int cOff, int ldc, boolean accumulate, boolean channelRows, GemmScratch s,
                                 PwEpilogue epilogue, int row0, int col0) {
        if (channelRows && cols > FAR && depth <= SHALLOW && rows > 2 * MR) {
            byRowTiles(rows, cols, depth, a, aOff, ars, acs, aPre, b, bOff, brs, bcs, bPre,
                    c, cOff, ldc, accumulate, s, epilogue, row0, col0);
        } else {
            byStrips(rows, cols, depth, a, aOff, ars, acs, aPre, b, bOff, brs, bcs, bPre,
                    c, cOff, ldc, accumulate, s, epilogue, row0, col0);
        }
    }

    private static void byStrips(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs, boolean aPre,
                                 float[] b, int bOff, int brs, int bcs, boolean bPre, float[] c, int cOff, int ldc,
                                 boolean accumulate, GemmScratch s, PwEpilogue epilogue, int row0, int col0) {
        int kc = GemmBlocking.depth(depth);
        int mc = GemmBlocking.rows(kc, cols);
        boolean inPlace = !aPre && acs == 1;
        float[] strip = bPre ? b : s.b(kc * NR);
        float[] panels = aPre ? a : inPlace ? null : s.a(GemmPack.paddedRows(Math.min(mc, rows)) * kc);
        for (int i0 = 0; i0 < rows; i0 += mc) {
            int m = Math.min(mc, rows - i0);
            for (int k0 = 0; k0 < depth; k0 += kc) {
                int kb = Math.min(kc, depth - k0);
                boolean acc = accumulate || k0 > 0;
                boolean first = k0 == 0;
                boolean last = k0 + kb == depth;
                int ai = 0;
                int panelOff = 0;
                if (aPre) {
                    panelOff = aOff + k0 * ars + (acs + i0) * kb;
                } else if (inPlace) {
                    ai = aOff + i0 * ars + k0;
                } else {
                    GemmPack.a(a, aOff + i0 * ars + k0 * acs, ars, acs, m, kb, panels, 0);
                }
                for (int j = 0; j < cols; j += NR) {
                    int nr = Math.min(NR, cols - j);
                    int sw = GemmPack.stripWidth(cols - j);
                    int stripOff = 0;
                    if (bPre) {
                        stripOff = bOff + k0 * brs + (bcs + j) * kb;
                    } else {
                        GemmPack.b(b, bOff + k0 * brs + j * bcs, brs, bcs, kb, nr, strip, 0);
                    }
                    int ct = cOff + i0 * ldc + j;
                    if (inPlace) {
                        GemmBlock.direct(m, nr, sw, kb, a, ai, ars, strip, stripOff, c, ct, ldc, acc, s.tile,
                                epilogue, first, last, row0 + i0, col0 + j);
                    } else {
                        GemmBlock.packed(m, nr, sw, kb, panels, panelOff, strip, stripOff, c, ct, ldc, acc, s.tile,
                                epilogue, first, last, row0 + i0, col0 + j);
                    }
                }
            }
        }
    }

    /**
     * C's rows are channels (a channels-first output): strip by strip, a tile would write 8 short
     * pieces of rows far apart, every row of the block at once, more streams than the prefetchers follow.
     * Here a block of up to {@link #WIDE} columns of B is packed whole (it stays in L2) and each
     * tile of 8 rows sweeps across it, writing 8 long runs.
     */
    private static void byRowTiles(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs, boolean aPre,
                                   float[] b, int bOff, int brs, int bcs, boolean bPre, float[] c, int cOff, int ldc,
                                   boolean accumulate, GemmScratch s, PwEpilogue epilogue, int row0, int col0) {
        int kc = GemmBlocking.depth(depth);
        boolean inPlace = !aPre && acs == 1;
        float[] block = bPre ? b : s.b(kc * GemmPack.paddedWidth(Math.min(cols, WIDE)));
        float[] panel = aPre ? a : inPlace ? null : s.a(MR * kc);
        for (int j0 = 0; j0 < cols; j0 += WIDE) {
            int n = Math.min(WIDE, cols - j0);
            for (int k0 = 0; k0 < depth; k0 += kc) {
                int kb = Math.min(kc, depth - k0);
                boolean acc = accumulate || k0 > 0;
                boolean first = k0 == 0;
                boolean last = k0 + kb == depth;
                int blockOff = 0;
                if (bPre) {
                    blockOff = bOff + k0 * brs + (bcs + j0) * kb;
                } else {
                    GemmPack.b(b, bOff + k0 * brs + j0 * bcs, brs, bcs, kb, n, block, 0);
                }
                boolean rowBias = first && !accumulate && epilogue != null && epilogue.bias() != null
                        && epilogue.perRow();
                for (int i = 0; i < rows; i += MR) {
                    int m = Math.min(MR, rows - i);
                    // a whole row tile's biases, once for all its strips
                    boolean ready = rowBias && m == MR;
                    if (ready) {
                        GemmBlock.rowBiases(epilogue.bias(), epilogue.biasOff() + row0 + i, s.tile);
                    }
                    int ai = 0;
                    int panelOff = 0;
                    if (aPre) {
                        panelOff = aOff + k0 * ars + (acs + i) * kb;
                    } else if (inPlace) {
                        ai = aOff + i * ars + k0;
                    } else {
                        GemmPack.a(a, aOff + i * ars + k0 * acs, ars, acs, m, kb, panel, 0);
                    }
                    for (int j = 0; j < n; j += NR) {
                        int nr = Math.min(NR, n - j);
                        int sw = GemmPack.stripWidth(n - j);
                        int ct = cOff + i * ldc + j0 + j;
                        if (inPlace) {
                            GemmBlock.direct(m, nr, sw, kb, a, ai, ars, block, blockOff + j * kb, c, ct, ldc, acc,
                                    s.tile, ready, epilogue, first, last, row0 + i, col0 + j0 + j);
                        } else {
                            GemmBlock.packed(m, nr, sw, kb, panel, panelOff, block, blockOff + j * kb, c, ct, ldc,
                                    acc, s.tile, ready, epilogue, first, last, row0 + i, col0 + j0 + j);
                        }
                    }
                }
            }
        }
    }
}
