package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * How the channels-first 3x3 kernels cover a plane: strips of one vector of output columns (strip
 * {@code j} at column {@code j*LEN}, the last one partial) walked down the plane together, as many
 * as the tile of that width holds, so that memory moves row after row. A tile zeroes the columns
 * outside the input only in its first and last strip and masks only the last one's store, so its
 * middle strips must be inner ones (loads inside the input row, a full store: {@link #inner}). The
 * tiles load whole vectors, also across a row's ends, so the few rows whose loads would leave the
 * array (the tensor's first and last, with no room around them) run in scalar instead ({@link
 * #safeFrom}, {@link #safeTo}).
 */
final class DwNchwStrips {

    /** Lane i picks lane 2i (even) or 2i+1 (odd) of two vectors placed end to end: stride 2's split. */
    static final FloatVector EVEN = FloatVector.fromArray(F, lanes(0), 0);
    static final FloatVector ODD = FloatVector.fromArray(F, lanes(1), 0);

    private DwNchwStrips() {
    }

    private static float[] lanes(int first) {
        float[] v = new float[LEN];
        for (int i = 0; i < LEN; i++) {
            v[i] = first + 2 * i;
        }
        return v;
    }

    /**
     * The lanes {@code l} with {@code 0 <= from + l < limit}: from bits (one move), far lighter for the
     * JIT than a mask from vector compares, which counts in kernels that must stay within its
     * inlining budget.
     */
    static VectorMask<Float> inside(int from, int limit) {
        return VectorMask.fromLong(F, insideBits(from, limit));
    }

    /** The other lanes: those whose {@code from + l} lies outside {@code [0, limit)}. */
    static VectorMask<Float> outside(int from, int limit) {
        return VectorMask.fromLong(F, ~insideBits(from, limit));
    }

    private static long insideBits(int from, int limit) {
        int a = Math.max(0, -from);
        int b = Math.min(LEN, limit - from);
        return b <= a ? 0L : (1L << b) - (1L << a);
    }

    /** Strips of a row {@code outW} wide. */
    static int count(int outW) {
        return (outW + LEN - 1) / LEN;
    }

    /**
     * True when strips {@code [from, to)} are inner: every input column they load (a strip at output
     * column ow loads {@code stride*ow - padW} onwards, {@code span} columns) lies in {@code [0, inW)}
     * and their outputs end inside the row.
     */
    static boolean inner(int from, int to, int stride, int span, int padW, int inW, int outW) {
        return from >= to || (stride * from * LEN - padW >= 0 && stride * (to - 1) * LEN - padW + span <= inW
                && to * LEN <= outW);
    }

    /**
     * The first output row from which the tiles may run: rows of a plane at {@code xPlane} whose loads
     * (input row h from {@code padW} columns before its start) would start before x[0] are the
     * first input rows of the tensor's first plane when x has no room before it; the output rows
     * whose windows reach them, and any before, run in scalar.
     */
    static int safeFrom(int rowFrom, int stride, int padH, int inW, int padW, int xPlane) {
        int hLo = Math.max(0, Math.floorDiv(padW - xPlane + inW - 1, inW));
        return hLo == 0 ? rowFrom : Math.max(rowFrom, Math.floorDiv(hLo - 1 + padH, stride) + 1);
    }

    /**
     * One past the last output row the tiles may run: input rows whose loads (to {@code reach}
     * columns after {@code padW} before their start) would end past x's end are the last input rows
     * of the tensor's last plane when x has no room after it; the output rows whose windows reach
     * them, and any after, run in scalar.
     */
    static int safeTo(int rowTo, int stride, int padH, int inH, int inW, int padW, int reach, int xPlane,
                      int xLength) {
        int hHi = Math.min(inH - 1, Math.floorDiv(xLength - reach - xPlane + padW, inW));
        return hHi >= inH - 1 ? rowTo : Math.min(rowTo, Math.max(0, -Math.floorDiv(-(hHi - 1 + padH), stride)));
    }

}
