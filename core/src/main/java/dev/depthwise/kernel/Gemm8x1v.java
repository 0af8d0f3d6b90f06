package dev.depthwise.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm8x2v}'s narrow sibling: 8 rows by 1 vector of {@code C} (8x16 floats at AVX-512), for
 * the last column strip when at most one vector of columns is left (16 output channels, or the 16
 * past 128 of 144), where the wide tile would do twice the work. Same operands; its packed
 * {@code B} strip is {@code kc} rows of one vector ({@link GemmPack#b} packs it so).
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
public final class Gemm8x1v {
    /** Rows of the tile. */
    public static final int MR = 8;
    /** Columns of the tile: one vector. */
    public static final int NR = VecSpecies.LEN;

    private static final VectorSpecies<Float> F = VecSpecies.F;

    private Gemm8x1v() {
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
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        if (init == null) {
            c0 = FloatVector.zero(F);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
            c6 = c0;
            c7 = c0;
        } else {
            c0 = FloatVector.fromArray(F, init, initOff);
            c1 = FloatVector.fromArray(F, init, initOff + ldi);
            c2 = FloatVector.fromArray(F, init, initOff + 2 * ldi);
            c3 = FloatVector.fromArray(F, init, initOff + 3 * ldi);
            c4 = FloatVector.fromArray(F, init, initOff + 4 * ldi);
            c5 = FloatVector.fromArray(F, init, initOff + 5 * ldi);
            c6 = FloatVector.fromArray(F, init, initOff + 6 * ldi);
            c7 = FloatVector.fromArray(F, init, initOff + 7 * ldi);
        }
        // two steps of k a turn: one address per row serves both, which the JIT needs to keep pace
        int k = 0;
        for (; k < kc - 1; k += 2) {
            int bk = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bk);
            FloatVector b1 = FloatVector.fromArray(F, b, bk + NR);
            c0 = FloatVector.broadcast(F, a[a0 + k]).fma(b0, c0);
            c0 = FloatVector.broadcast(F, a[a0 + k + 1]).fma(b1, c0);
            c1 = FloatVector.broadcast(F, a[a1 + k]).fma(b0, c1);
            c1 = FloatVector.broadcast(F, a[a1 + k + 1]).fma(b1, c1);
            c2 = FloatVector.broadcast(F, a[a2 + k]).fma(b0, c2);
            c2 = FloatVector.broadcast(F, a[a2 + k + 1]).fma(b1, c2);
            c3 = FloatVector.broadcast(F, a[a3 + k]).fma(b0, c3);
            c3 = FloatVector.broadcast(F, a[a3 + k + 1]).fma(b1, c3);
            c4 = FloatVector.broadcast(F, a[a4 + k]).fma(b0, c4);
            c4 = FloatVector.broadcast(F, a[a4 + k + 1]).fma(b1, c4);
            c5 = FloatVector.broadcast(F, a[a5 + k]).fma(b0, c5);
            c5 = FloatVector.broadcast(F, a[a5 + k + 1]).fma(b1, c5);
            c6 = FloatVector.broadcast(F, a[a6 + k]).fma(b0, c6);
            c6 = FloatVector.broadcast(F, a[a6 + k + 1]).fma(b1, c6);
            c7 = FloatVector.broadcast(F, a[a7 + k]).fma(b0, c7);
            c7 = FloatVector.broadcast(F, a[a7 + k + 1]).fma(b1, c7);
        }
        if (k < kc) {
            int bk = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bk);
            c0 = FloatVector.broadcast(F, a[a0 + k]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[a1 + k]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[a2 + k]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[a3 + k]).fma(b0, c3);
            c4 = FloatVector.broadcast(F, a[a4 + k]).fma(b0, c4);
            c5 = FloatVector.broadcast(F, a[a5 + k]).fma(b0, c5);
            c6 = FloatVector.broadcast(F, a[a6 + k]).fma(b0, c6);
            c7 = FloatVector.broadcast(F, a[a7 + k]).fma(b0, c7);
        }
        if (lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY) {
            // max/min keep NaN (Math.max semantics), as the reference does
            c0 = c0.max(lo).min(hi);
            c1 = c1.max(lo).min(hi);
            c2 = c2.max(lo).min(hi);
            c3 = c3.max(lo).min(hi);
            c4 = c4.max(lo).min(hi);
            c5 = c5.max(lo).min(hi);
            c6 = c6.max(lo).min(hi);
            c7 = c7.max(lo).min(hi);
        }
        c0.intoArray(out, outOff);
        c1.intoArray(out, outOff + ldo);
        c2.intoArray(out, outOff + 2 * ldo);
        c3.intoArray(out, outOff + 3 * ldo);
        c4.intoArray(out, outOff + 4 * ldo);
        c5.intoArray(out, outOff + 5 * ldo);
        c6.intoArray(out, outOff + 6 * ldo);
        c7.intoArray(out, outOff + 7 * ldo);
    }

    /** {@code A(r, k) = a[aOff + k*8 + r]}: a panel of {@link GemmPack#a}. */
    public static void packed(int kc, float[] a, int aOff, float[] b, int bOff,
                              float[] init, int initOff, int ldi, float lo, float hi,
                              float[] out, int outOff, int ldo) {
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        if (init == null) {
            c0 = FloatVector.zero(F);
            c1 = c0;
            c2 = c0;
            c3 = c0;
            c4 = c0;
            c5 = c0;
            c6 = c0;
            c7 = c0;
        } else {
            c0 = FloatVector.fromArray(F, init, initOff);
            c1 = FloatVector.fromArray(F, init, initOff + ldi);
            c2 = FloatVector.fromArray(F, init, initOff + 2 * ldi);
            c3 = FloatVector.fromArray(F, init, initOff + 3 * ldi);
            c4 = FloatVector.fromArray(F, init, initOff + 4 * ldi);
            c5 = FloatVector.fromArray(F, init, initOff + 5 * ldi);
            c6 = FloatVector.fromArray(F, init, initOff + 6 * ldi);
            c7 = FloatVector.fromArray(F, init, initOff + 7 * ldi);
        }
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(F, b, bk);
            c0 = FloatVector.broadcast(F, a[ak]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[ak + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[ak + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[ak + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(F, a[ak + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(F, a[ak + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(F, a[ak + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(F, a[ak + 7]).fma(b0, c7);
        }
        if (lo != Float.NEGATIVE_INFINITY || hi != Float.POSITIVE_INFINITY) {
            // max/min keep NaN (Math.max semantics), as the reference does
            c0 = c0.max(lo).min(hi);
            c1 = c1.max(lo).min(hi);
            c2 = c2.max(lo).min(hi);
            c3 = c3.max(lo).min(hi);
            c4 = c4.max(lo).min(hi);
            c5 = c5.max(lo).min(hi);
            c6 = c6.max(lo).min(hi);
            c7 = c7.max(lo).min(hi);
        }
        c0.intoArray(out, outOff);
        c1.intoArray(out, outOff + ldo);
        c2.intoArray(out, outOff + 2 * ldo);
        c3.intoArray(out, outOff + 3 * ldo);
        c4.intoArray(out, outOff + 4 * ldo);
        c5.intoArray(out, outOff + 5 * ldo);
        c6.intoArray(out, outOff + 6 * ldo);
        c7.intoArray(out, outOff + 7 * ldo);
    }
}
