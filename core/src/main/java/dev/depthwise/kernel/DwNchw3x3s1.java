package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;

/**
 * Depthwise 3x3, stride 1, dilation 1, channels-first (2-D), vectorised along the width: one vector
 * of adjacent outputs of a row at a time, each tap an unaligned load shifted by the tap's column,
 * so a channels-first caller pays no layout conversion. The nine weights of a plane sit in
 * registers as broadcast vectors. Rows of taps in the top or bottom padding are skipped per output
 * row; each plane's rows are first copied between zero columns ({@link DwNchwPadded}), so the
 * vectors at a row's ends load plainly too (a plane with a non-finite weight has the few outputs
 * whose window meets the left or right padding recomputed in scalar, skipping the padded taps as
 * the reference does: Inf times a zero column would be NaN). x and y are dense channels-first,
 * plane {@code (n, c)} of x at {@code xOff + (n*C + c)*inH*inW}, plane {@code (n, o)} of y at
 * {@code yOff + (n*K + o)*outH*outW}; output plane {@code o} reads input plane {@code o / M}. The
 * filter is read through the geometry's strides and needs no packing: a plane uses its nine weights
 * as broadcast scalars.
 */
public final class DwNchw3x3s1 {
    private DwNchw3x3s1() {
    }

    /**
     * Output planes {@code [planeFrom, planeTo)} (plane {@code n*K + o}), rows {@code [rowFrom, rowTo)}
     * of each; {@code scratch} holds {@link DwNchwPadded#length} floats of this thread's own.
     */
    public static void planes(ConvGeometry g, float[] x, int xOff, float[] f, float[] bias, int act, float alpha,
                              float[] y, int yOff, int planeFrom, int planeTo, int rowFrom, int rowTo,
                              float[] scratch) {
        int inPlane = g.inH * g.inW;
        int outPlane = g.outH * g.outW;
        int rs = DwNchwPadded.rowLength(g, LEN);
        int tail = g.inH * rs;
        // Outputs whose window starts left of the input or ends right of it.
        int owA = DwTaps.interiorFrom(g.padW, 1, g.outW);
        int owB = DwTaps.interiorTo(g.padW, 1, 3, g.inW, g.outW, owA);
        int vecEnd = Simd.enabled() ? g.outW : 0;
        DwNchwPadded.clearMargins(g, LEN, scratch);
        for (int plane = planeFrom; plane < planeTo; plane++) {
            int n = plane / g.k;
            int o = plane % g.k;
            int xPlane = xOff + (n * g.c + o / g.kPerGroup) * inPlane;
            int yPlane = yOff + plane * outPlane;
            int fo = o * g.fO;
            float b = bias == null ? 0f : bias[o];
            float w0 = f[fo], w1 = f[fo + g.fW], w2 = f[fo + 2 * g.fW];
            float w3 = f[fo + g.fH], w4 = f[fo + g.fH + g.fW], w5 = f[fo + g.fH + 2 * g.fW];
            float w6 = f[fo + 2 * g.fH], w7 = f[fo + 2 * g.fH + g.fW], w8 = f[fo + 2 * g.fH + 2 * g.fW];
            // With finite weights a zero column adds exactly 0: only a non-finite weight (Inf * 0 is
            // NaN) needs the border outputs redone with the padded taps skipped.
            boolean finite = Float.isFinite(w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8)
                    || allFinite(w0, w1, w2, w3, w4, w5, w6, w7, w8);
            FloatVector vb = FloatVector.broadcast(F, b);
            FloatVector v0 = FloatVector.broadcast(F, w0), v1 = FloatVector.broadcast(F, w1);
            FloatVector v2 = FloatVector.broadcast(F, w2), v3 = FloatVector.broadcast(F, w3);
            FloatVector v4 = FloatVector.broadcast(F, w4), v5 = FloatVector.broadcast(F, w5);
            FloatVector v6 = FloatVector.broadcast(F, w6), v7 = FloatVector.broadcast(F, w7);
            FloatVector v8 = FloatVector.broadcast(F, w8);
            DwNchwPadded.copyRows(g, LEN, x, xPlane, Math.max(0, rowFrom - g.padH),
                    Math.min(g.inH, (rowTo - 1) - g.padH + 3), scratch);
            for (int oh = rowFrom; oh < rowTo; oh++) {
                int h0 = oh - g.padH;
                int j0 = DwTaps.first(h0, 1), j1 = DwTaps.end(h0, 1, 3, g.inH);
                boolean r0 = j0 <= 0 && 0 < j1, r1 = j0 <= 1 && 1 < j1, r2 = j0 <= 2 && 2 < j1;
                int xr = h0 * rs + DwNchwPadded.LEFT;
                int yr = yPlane + oh * g.outW;
                int ow = 0;
                for (; ow < vecEnd; ow += LEN) {
                    int c0 = ow - g.padW;
                    FloatVector acc = vb;
                    int q = xr + c0;
                    if (r0) {
                        acc = FloatVector.fromArray(F, scratch, q).fma(v0, acc);
                        acc = FloatVector.fromArray(F, scratch, q + 1).fma(v1, acc);
                        acc = FloatVector.fromArray(F, scratch, q + 2).fma(v2, acc);
                    }
                    q += rs;
                    if (r1) {
                        acc = FloatVector.fromArray(F, scratch, q).fma(v3, acc);
                        acc = FloatVector.fromArray(F, scratch, q + 1).fma(v4, acc);
                        acc = FloatVector.fromArray(F, scratch, q + 2).fma(v5, acc);
                    }
                    q += rs;
                    if (r2) {
                        acc = FloatVector.fromArray(F, scratch, q).fma(v6, acc);
                        acc = FloatVector.fromArray(F, scratch, q + 1).fma(v7, acc);
                        acc = FloatVector.fromArray(F, scratch, q + 2).fma(v8, acc);
                    }
                    acc = DwActivation.apply(acc, act, alpha);
                    if (ow + LEN <= g.outW) {
                        acc.intoArray(y, yr + ow);
                    } else {
                        acc.intoArray(scratch, tail);
                        System.arraycopy(scratch, tail, y, yr + ow, g.outW - ow);
                    }
                }
                if (vecEnd > 0 && !finite) {
                    DwNchwPadded.scalarRow(g, x, xPlane, f, fo, b, act, alpha, y, yr, oh, 0, owA);
                    DwNchwPadded.scalarRow(g, x, xPlane, f, fo, b, act, alpha, y, yr, oh, owB, g.outW);
                } else if (vecEnd == 0) {
                    DwNchwPadded.scalarRow(g, x, xPlane, f, fo, b, act, alpha, y, yr, oh, 0, g.outW);
                }
            }
        }
    }

    private static boolean allFinite(float... w) {
        for (float v : w) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
