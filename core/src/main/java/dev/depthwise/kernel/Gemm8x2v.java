package dev.depthwise.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pointwise GEMM's register tile: 8 rows by 2 vectors of {@code C} (8x32 floats at AVX-512, 8x8
 * at 128 bits), {@code C = A . B} over {@code kc} steps of k. Its 16 accumulators, 2 to 4 vectors
 * of {@code B} and the broadcasts of {@code A} fit AVX-512's 32 registers, so nothing spills, and
 * each k step issues 16 FMAs against 2 vector loads and 8 broadcasts: the FMA ports set the pace.
 *
 * <p>{@code B} is always packed ({@link GemmPack#b}): {@code kc} rows of {@link #NR} floats, so its
 * loads advance by a constant and the JIT hoists their bounds checks. {@code A} comes two ways:
 * {@link #direct} reads it in place, row-major (an NHWC activation: no copy at all), and
 * {@link #packed} reads {@link GemmPack#a}'s panels, 8 values a k step side by side (a filter, or
 * an operand that is column-major in memory and so cheap to pack).
 *
 * <p>A call computes a whole tile: it starts from {@code init} (8 rows at row stride {@code ldi}:
 * the bias with {@code ldi == 0}, a tile of per-row biases, or C itself to accumulate; zero when
 * null), clamps to {@code [lo, hi]} (ReLU, ReLU6; infinities for none) and stores all 8 rows
 * (row stride {@code ldo}) with plain vector stores. {@link GemmBlock} points {@code out} at C for
 * whole tiles and at a scratch tile for those that stick out. The method is written out because a
 * vector handed to a call the JIT does not inline is boxed on the heap; and it is kept this plain
 * (no masks, no branches per row) because the C1 compiler of the JVM's first tiers gives up on a
 * larger vector method, which then stays interpreted for seconds before C2 takes it.
 */
public final class Gemm8x2v {
    /** Rows of the tile. */
    public static final int MR = 8;
    /** Columns of the tile: two vectors. */
    public static final int NR = 2 * VecSpecies.LEN;

    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int L = VecSpecies.LEN;

    private Gemm8x2v() {
    }

    /**
     * {@code A(r, k) = a[aOff + r*lda + k]}. Rows {@code mr..7} re-read row {@code mr-1} (always in
     * bounds); their results are garbage, for a scratch tile.
     */
    public static void direct(int kc, float[] a, int aOff, int lda, int mr, float[] b, int bOff,
                              float[] init, int initOff, int ldi, float lo, float hi,
                              float[] out, int outOff, int ldo) {
        int last = mr - 1;
        int a0 = aOff;
        int a1 = aOff + Math.min(1, last) * lda;
        int a2 = aOff + Math.min(2, last) * lda;
        int a3 = aOff + Math.min(3, last) * lda;
        int a4 = aOff + Math.min(4, last) * lda;
        int a5 = aOff + Math.min(5, last) * lda;
        int a6 = aOff + Math.min(6, last) * lda;
        int a7 = aOff + Math.min(7, last) * lda;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        FloatVector c40, c41, c50, c51, c60, c61, c70, c71;
        if (init == null) {
            c00 = FloatVector.zero(F);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
            c60 = c00;
            c61 = c00;
            c70 = c00;
            c71 = c00;
        } else {
            c00 = FloatVector.fromArray(F, init, initOff);
            c01 = FloatVector.fromArray(F, init, initOff + L);
            c10 = FloatVector.fromArray(F, init, initOff + ldi);
            c11 = FloatVector.fromArray(F, init, initOff + ldi + L);
            c20 = FloatVector.fromArray(F, init, initOff + 2 * ldi);
            c21 = FloatVector.fromArray(F, init, initOff + 2 * ldi + L);
            c30 = FloatVector.fromArray(F, init, initOff + 3 * ldi);
            c31 = FloatVector.fromArray(F, init, initOff + 3 * ldi + L);
            c40 = FloatVector.fromArray(F, init, initOff + 4 * ldi);
            c41 = FloatVector.fromArray(F, init, initOff + 4 * ldi + L);
            c50 = FloatVector.fromArray(F, init, initOff + 5 * ldi);
            c51 = FloatVector.fromArray(F, init, initOff + 5 * ldi + L);
            c60 = FloatVector.fromArray(F, init, initOff + 6 * ldi);
            c61 = FloatVector.fromArray(F, init, initOff + 6 * ldi + L);
            c70 = FloatVector.fromArray(F, init, initOff + 7 * ldi);
            c71 = FloatVector.fromArray(F, init, initOff + 7 * ldi + L);
        }
        // two steps of k a turn: one address per row serves both, which the JIT needs to keep pace
        int k = 0;
        for (; k < kc - 1; k += 2) {
            int bk = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bk);
            FloatVector b1 = FloatVector.fromArray(F, b, bk + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bk + NR);
            FloatVector b3 = FloatVector.fromArray(F, b, bk + NR + L);
            FloatVector x0 = FloatVector.broadcast(F, a[a0 + k]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            x0 = FloatVector.broadcast(F, a[a0 + k + 1]);
            c00 = x0.fma(b2, c00);
            c01 = x0.fma(b3, c01);
            FloatVector x1 = FloatVector.broadcast(F, a[a1 + k]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            x1 = FloatVector.broadcast(F, a[a1 + k + 1]);
            c10 = x1.fma(b2, c10);
            c11 = x1.fma(b3, c11);
            FloatVector x2 = FloatVector.broadcast(F, a[a2 + k]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            x2 = FloatVector.broadcast(F, a[a2 + k + 1]);
            c20 = x2.fma(b2, c20);
            c21 = x2.fma(b3, c21);
            FloatVector x3 = FloatVector.broadcast(F, a[a3 + k]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            x3 = FloatVector.broadcast(F, a[a3 + k + 1]);
            c30 = x3.fma(b2, c30);
            c31 = x3.fma(b3, c31);
            FloatVector x4 = FloatVector.broadcast(F, a[a4 + k]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            x4 = FloatVector.broadcast(F, a[a4 + k + 1]);
            c40 = x4.fma(b2, c40);
            c41 = x4.fma(b3, c41);
            FloatVector x5 = FloatVector.broadcast(F, a[a5 + k]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            x5 = FloatVector.broadcast(F, a[a5 + k + 1]);
            c50 = x5.fma(b2, c50);
            c51 = x5.fma(b3, c51);
            FloatVector x6 = FloatVector.broadcast(F, a[a6 + k]);
            c60 = x6.fma(b0, c60);
            c61 = x6.fma(b1, c61);
            x6 = FloatVector.broadcast(F, a[a6 + k + 1]);
            c60 = x6.fma(b2, c60);
            c61 = x6.fma(b3, c61);
            FloatVector x7 = FloatVector.broadcast(F, a[a7 + k]);
            c70 = x7.fma(b0, c70);
            c71 = x7.fma(b1, c71);
            x7 = FloatVector.broadcast(F, a[a7 + k + 1]);
            c70 = x7.fma(b2, c70);
            c71 = x7.fma(b3, c71);
        }
        if (k < kc) {
            int bk = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bk);
            FloatVector b1 = FloatVector.fromArray(F, b, bk + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + k]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[a1 + k]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[a2 + k]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[a3 + k]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[a4 + k]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[a5 + k]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(F, a[a6 + k]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(F, a[a7 + k]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY) {
            // max/min keep NaN (Math.max semantics), as the reference does
            c00 = c00.max(lo).min(hi);
            c01 = c01.max(lo).min(hi);
            c10 = c10.max(lo).min(hi);
            c11 = c11.max(lo).min(hi);
            c20 = c20.max(lo).min(hi);
            c21 = c21.max(lo).min(hi);
            c30 = c30.max(lo).min(hi);
            c31 = c31.max(lo).min(hi);
            c40 = c40.max(lo).min(hi);
            c41 = c41.max(lo).min(hi);
            c50 = c50.max(lo).min(hi);
            c51 = c51.max(lo).min(hi);
            c60 = c60.max(lo).min(hi);
            c61 = c61.max(lo).min(hi);
            c70 = c70.max(lo).min(hi);
            c71 = c71.max(lo).min(hi);
        }
        c00.intoArray(out, outOff);
        c01.intoArray(out, outOff + L);
        c10.intoArray(out, outOff + ldo);
        c11.intoArray(out, outOff + ldo + L);
        c20.intoArray(out, outOff + 2 * ldo);
        c21.intoArray(out, outOff + 2 * ldo + L);
        c30.intoArray(out, outOff + 3 * ldo);
        c31.intoArray(out, outOff + 3 * ldo + L);
        c40.intoArray(out, outOff + 4 * ldo);
        c41.intoArray(out, outOff + 4 * ldo + L);
        c50.intoArray(out, outOff + 5 * ldo);
        c51.intoArray(out, outOff + 5 * ldo + L);
        c60.intoArray(out, outOff + 6 * ldo);
        c61.intoArray(out, outOff + 6 * ldo + L);
        c70.intoArray(out, outOff + 7 * ldo);
        c71.intoArray(out, outOff + 7 * ldo + L);
    }

    /** {@code A(r, k) = a[aOff + k*8 + r]}: a panel of {@link GemmPack#a}. */
    public static void packed(int kc, float[] a, int aOff, float[] b, int bOff,
                              float[] init, int initOff, int ldi, float lo, float hi,
                              float[] out, int outOff, int ldo) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        FloatVector c40, c41, c50, c51, c60, c61, c70, c71;
        if (init == null) {
            c00 = FloatVector.zero(F);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
            c60 = c00;
            c61 = c00;
            c70 = c00;
            c71 = c00;
        } else {
            c00 = FloatVector.fromArray(F, init, initOff);
            c01 = FloatVector.fromArray(F, init, initOff + L);
            c10 = FloatVector.fromArray(F, init, initOff + ldi);
            c11 = FloatVector.fromArray(F, init, initOff + ldi + L);
            c20 = FloatVector.fromArray(F, init, initOff + 2 * ldi);
            c21 = FloatVector.fromArray(F, init, initOff + 2 * ldi + L);
            c30 = FloatVector.fromArray(F, init, initOff + 3 * ldi);
            c31 = FloatVector.fromArray(F, init, initOff + 3 * ldi + L);
            c40 = FloatVector.fromArray(F, init, initOff + 4 * ldi);
            c41 = FloatVector.fromArray(F, init, initOff + 4 * ldi + L);
            c50 = FloatVector.fromArray(F, init, initOff + 5 * ldi);
            c51 = FloatVector.fromArray(F, init, initOff + 5 * ldi + L);
            c60 = FloatVector.fromArray(F, init, initOff + 6 * ldi);
            c61 = FloatVector.fromArray(F, init, initOff + 6 * ldi + L);
            c70 = FloatVector.fromArray(F, init, initOff + 7 * ldi);
            c71 = FloatVector.fromArray(F, init, initOff + 7 * ldi + L);
        }
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(F, b, bk);
            FloatVector b1 = FloatVector.fromArray(F, b, bk + L);
            FloatVector x = FloatVector.broadcast(F, a[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(F, a[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(F, a[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY) {
            // max/min keep NaN (Math.max semantics), as the reference does
            c00 = c00.max(lo).min(hi);
            c01 = c01.max(lo).min(hi);
            c10 = c10.max(lo).min(hi);
            c11 = c11.max(lo).min(hi);
            c20 = c20.max(lo).min(hi);
            c21 = c21.max(lo).min(hi);
            c30 = c30.max(lo).min(hi);
            c31 = c31.max(lo).min(hi);
            c40 = c40.max(lo).min(hi);
            c41 = c41.max(lo).min(hi);
            c50 = c50.max(lo).min(hi);
            c51 = c51.max(lo).min(hi);
            c60 = c60.max(lo).min(hi);
            c61 = c61.max(lo).min(hi);
            c70 = c70.max(lo).min(hi);
            c71 = c71.max(lo).min(hi);
        }
        c00.intoArray(out, outOff);
        c01.intoArray(out, outOff + L);
        c10.intoArray(out, outOff + ldo);
        c11.intoArray(out, outOff + ldo + L);
        c20.intoArray(out, outOff + 2 * ldo);
        c21.intoArray(out, outOff + 2 * ldo + L);
        c30.intoArray(out, outOff + 3 * ldo);
        c31.intoArray(out, outOff + 3 * ldo + L);
        c40.intoArray(out, outOff + 4 * ldo);
        c41.intoArray(out, outOff + 4 * ldo + L);
        c50.intoArray(out, outOff + 5 * ldo);
        c51.intoArray(out, outOff + 5 * ldo + L);
        c60.intoArray(out, outOff + 6 * ldo);
        c61.intoArray(out, outOff + 6 * ldo + L);
        c70.intoArray(out, outOff + 7 * ldo);
        c71.intoArray(out, outOff + 7 * ldo + L);
    }
}
