package dev.depthwise.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM macro-kernel: one column strip of {@code C}, {@code rows x nr} ({@code nr} at most
 * {@code sw}, the strip's packed width: {@link Gemm8x2v#NR} or {@link Gemm8x1v#NR}), for one block
 * of k of depth {@code kb}, covered with register tiles that all stream past the same packed
 * strip of {@code B} ({@code kb x sw} floats, made by {@link GemmPack#b}, L1-resident). {@code A}
 * is read in place ({@link #direct}, row-major) or from {@link GemmPack#a}'s panels
 * ({@link #packed}).
 *
 * <p>With {@code accumulate} the strip is added to what {@code C} holds, else it overwrites it. A
 * non-null {@code epilogue} is split between the first block of k ({@code first}: the tiles start
 * from the bias; the caller must not also accumulate) and the last ({@code last}: the tiles clamp,
 * or the epilogue runs its activation over each finished tile while it is in L1). A tile that
 * sticks out of C (the last rows, or a strip narrower than its packed width) is computed whole into
 * {@code tile} and moved into place by {@link PwEpilogue#merge}, so the register tiles need no
 * masks and never read past an array. {@code row0}, {@code col0} place the strip in the whole
 * output. {@code tile} holds {@link #TILE} floats.
 */
public final class GemmBlock {
    /** Floats of scratch a call needs: a spill tile and a tile of per-row biases. */
    public static final int TILE = 2 * Gemm8x2v.MR * Gemm8x2v.NR;

    private static final int MR = Gemm8x2v.MR;
    private static final int NR = Gemm8x2v.NR;
    private static final int ROW_BIAS = MR * NR;
    private static final float NO_LO = Float.NEGATIVE_INFINITY;
    private static final float NO_HI = Float.POSITIVE_INFINITY;
    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int L = VecSpecies.LEN;

    private GemmBlock() {
    }

    /** {@code A(i, k) = a[aOff + i*lda + k]}. */
    public static void direct(int rows, int nr, int sw, int kb, float[] a, int aOff, int lda, float[] bs, int bsOff,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] tile,
                              PwEpilogue epilogue, boolean first, boolean last, int row0, int col0) {
        run(true, rows, nr, sw, kb, a, aOff, lda, bs, bsOff, c, cOff, ldc, accumulate, tile, false, epilogue, first,
                last, row0, col0);
    }

    /**
     * As {@link #direct} for one row tile ({@code rows <= 8}) whose per-row biases the caller has put in
     * {@code tile} already ({@link #rowBiases}, {@code ready}): a row tile sweeping many strips fills them once.
     */
    public static void direct(int rows, int nr, int sw, int kb, float[] a, int aOff, int lda, float[] bs, int bsOff,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] tile, boolean ready,
                              PwEpilogue epilogue, boolean first, boolean last, int row0, int col0) {
        run(true, rows, nr, sw, kb, a, aOff, lda, bs, bsOff, c, cOff, ldc, accumulate, tile, ready, epilogue, first,
                last, row0, col0);
    }

    /** {@code A} packed by {@link GemmPack#a} at {@code ap[apOff]} (its first panel is row 0 here). */
    public static void packed(int rows, int nr, int sw, int kb, float[] ap, int apOff, float[] bs, int bsOff,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] tile,
                              PwEpilogue epilogue, boolean first, boolean last, int row0, int col0) {
        run(false, rows, nr, sw, kb, ap, apOff, 0, bs, bsOff, c, cOff, ldc, accumulate, tile, false, epilogue, first,
                last, row0, col0);
    }

    /** As {@link #packed}, the per-row biases in {@code tile} already when {@code ready} (see {@link #direct}). */
    public static void packed(int rows, int nr, int sw, int kb, float[] ap, int apOff, float[] bs, int bsOff,
                              float[] c, int cOff, int ldc, boolean accumulate, float[] tile, boolean ready,
                              PwEpilogue epilogue, boolean first, boolean last, int row0, int col0) {
        run(false, rows, nr, sw, kb, ap, apOff, 0, bs, bsOff, c, cOff, ldc, accumulate, tile, ready, epilogue, first,
                last, row0, col0);
    }

    private static void run(boolean inPlace, int rows, int nr, int sw, int kb, float[] a, int aOff, int lda,
                            float[] bs, int bsOff, float[] c, int cOff, int ldc, boolean accumulate, float[] tile,
                            boolean ready, PwEpilogue epilogue, boolean first, boolean last, int row0, int col0) {
        boolean withBias = first && !accumulate && epilogue != null && epilogue.bias() != null;
        boolean perRow = withBias && epilogue.perRow();
        boolean clamp = last && epilogue != null && epilogue.clamps();
        boolean activate = last && epilogue != null && !clamp;
        float lo = clamp ? epilogue.lo() : NO_LO;
        float hi = clamp ? epilogue.hi() : NO_HI;
        for (int i = 0; i < rows; i += MR) {
            int mr = Math.min(MR, rows - i);
            int ct = cOff + i * ldc;
            int ai = inPlace ? aOff + i * lda : aOff + i * kb;
            if (mr == MR && nr == sw) {
                // a whole tile: straight into C, starting from C, the bias, or zero
                float[] init = null;
                int initOff = 0;
                int ldi = 0;
                if (accumulate) {
                    init = c;
                    initOff = ct;
                    ldi = ldc;
                } else if (perRow) {
                    init = tile;
                    initOff = ROW_BIAS;
                    ldi = NR;
                    if (!ready) {
                        rowBiases(epilogue.bias(), epilogue.biasOff() + row0 + i, tile);
                    }
                } else if (withBias) {
                    init = epilogue.bias();
                    initOff = epilogue.biasOff() + col0;
                }
                tile(inPlace, sw, kb, a, ai, lda, mr, bs, bsOff, init, initOff, ldi, lo, hi, c, ct, ldc);
                if (activate) {
                    epilogue.activate(c, ct, ldc, mr, nr);
                }
            } else {
                tile(inPlace, sw, kb, a, ai, lda, mr, bs, bsOff, null, 0, 0, NO_LO, NO_HI, tile, 0, sw);
                PwEpilogue.merge(epilogue, tile, sw, c, ct, ldc, mr, nr, accumulate, withBias, last, row0 + i, col0);
            }
        }
    }

    private static void tile(boolean inPlace, int sw, int kb, float[] a, int ai, int lda, int mr, float[] bs, int bsOff,
                             float[] init, int initOff, int ldi, float lo, float hi, float[] out, int o, int ldo) {
        if (sw == NR) {
            if (inPlace) {
                Gemm8x2v.direct(kb, a, ai, lda, mr, bs, bsOff, init, initOff, ldi, lo, hi, out, o, ldo);
            } else {
                Gemm8x2v.packed(kb, a, ai, bs, bsOff, init, initOff, ldi, lo, hi, out, o, ldo);
            }
        } else if (inPlace) {
            Gemm8x1v.direct(kb, a, ai, lda, mr, bs, bsOff, init, initOff, ldi, lo, hi, out, o, ldo);
        } else {
            Gemm8x1v.packed(kb, a, ai, bs, bsOff, init, initOff, ldi, lo, hi, out, o, ldo);
        }
    }

    /**
     * 8 rows of {@link #NR} floats, row r all {@code bias[at + r]}, into their place in {@code t} (a
     * {@link #TILE}): the start of a whole tile with one bias per row.
     */
    public static void rowBiases(float[] bias, int at, float[] t) {
        for (int r = 0; r < MR; r++) {
            int o = ROW_BIAS + r * NR;
            int j = 0;
            for (; j < VecSpecies.bound(NR); j += L) {
                FloatVector.broadcast(F, bias[at + r]).intoArray(t, o + j);
            }
            for (; j < NR; j++) {
                t[o + j] = bias[at + r];
            }
        }
    }
}
