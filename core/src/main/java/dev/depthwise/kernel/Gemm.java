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
     * each a long run of its own, written a tile of rows at a time ({@link #byRowTiles}).
     */
    public static void run(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs,
                           float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc, boolean accumulate,
                           boolean channelRows, GemmScratch s, PwEpilogue epilogue, int row0, int col0) {
        if (channelRows && cols > NR) {
            byRowTiles(rows, cols, depth, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc, accumulate, s,
                    epilogue, row0, col0);
            return;
        }
        int kc = GemmBlocking.depth(depth);
        int mc = GemmBlocking.rows(kc, cols);
        boolean inPlace = acs == 1;
        float[] strip = s.b(kc * NR);
        float[] panels = inPlace ? null : s.a(GemmPack.paddedRows(Math.min(mc, rows)) * kc);
        for (int i0 = 0; i0 < rows; i0 += mc) {
            int m = Math.min(mc, rows - i0);
            for (int k0 = 0; k0 < depth; k0 += kc) {
                int kb = Math.min(kc, depth - k0);
                boolean acc = accumulate || k0 > 0;
                boolean first = k0 == 0;
                boolean last = k0 + kb == depth;
                int ai = aOff + i0 * ars + k0 * acs;
                if (!inPlace) {
                    GemmPack.a(a, ai, ars, acs, m, kb, panels, 0);
                }
                for (int j = 0; j < cols; j += NR) {
                    int nr = Math.min(NR, cols - j);
                    int sw = GemmPack.stripWidth(cols - j);
                    GemmPack.b(b, bOff + k0 * brs + j * bcs, brs, bcs, kb, nr, strip, 0);
                    int ct = cOff + i0 * ldc + j;
                    if (inPlace) {
                        GemmBlock.direct(m, nr, sw, kb, a, ai, ars, strip, 0, c, ct, ldc, acc, s.tile, epilogue,
                                first, last, row0 + i0, col0 + j);
                    } else {
                        GemmBlock.packed(m, nr, sw, kb, panels, 0, strip, 0, c, ct, ldc, acc, s.tile, epilogue,
                                first, last, row0 + i0, col0 + j);
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
    private static void byRowTiles(int rows, int cols, int depth, float[] a, int aOff, int ars, int acs,
                                   float[] b, int bOff, int brs, int bcs, float[] c, int cOff, int ldc,
                                   boolean accumulate, GemmScratch s, PwEpilogue epilogue, int row0, int col0) {
        int kc = GemmBlocking.depth(depth);
        boolean inPlace = acs == 1;
        float[] block = s.b(kc * GemmPack.paddedWidth(Math.min(cols, WIDE)));
        float[] panel = inPlace ? null : s.a(MR * kc);
        for (int j0 = 0; j0 < cols; j0 += WIDE) {
            int n = Math.min(WIDE, cols - j0);
            for (int k0 = 0; k0 < depth; k0 += kc) {
                int kb = Math.min(kc, depth - k0);
                boolean acc = accumulate || k0 > 0;
                boolean first = k0 == 0;
                boolean last = k0 + kb == depth;
                GemmPack.b(b, bOff + k0 * brs + j0 * bcs, brs, bcs, kb, n, block, 0);
                for (int i = 0; i < rows; i += MR) {
                    int m = Math.min(MR, rows - i);
                    int ai = aOff + i * ars + k0 * acs;
                    if (!inPlace) {
                        GemmPack.a(a, ai, ars, acs, m, kb, panel, 0);
                    }
                    for (int j = 0; j < n; j += NR) {
                        int nr = Math.min(NR, n - j);
                        int sw = GemmPack.stripWidth(n - j);
                        int ct = cOff + i * ldc + j0 + j;
                        if (inPlace) {
                            GemmBlock.direct(m, nr, sw, kb, a, ai, ars, block, j * kb, c, ct, ldc, acc, s.tile,
                                    epilogue, first, last, row0 + i, col0 + j0 + j);
                        } else {
                            GemmBlock.packed(m, nr, sw, kb, panel, 0, block, j * kb, c, ct, ldc, acc, s.tile,
                                    epilogue, first, last, row0 + i, col0 + j0 + j);
                        }
                    }
                }
            }
        }
    }
}
