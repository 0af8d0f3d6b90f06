package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;

/**
 * Depthwise 3x3, stride 1, dilation 1, channels-last: the interior of each output row four pixels
 * at a time, so the six input columns under four outputs are loaded once per input row (not twelve
 * times) and each weight vector once per four outputs; four independent accumulators keep the FMA
 * units busy. A row whose window meets the top or bottom padding runs only its valid rows of taps;
 * the border pixels at the row's ends go to {@link DwNhwcGeneral}, which skips the padded taps.
 * Same layout contract as {@link DwNhwcGeneral#rows}.
 */
public final class DwNhwc3x3s1 {
    private static final int BLOCK = LEN * 10;

    private DwNhwc3x3s1() {
    }

    /** As {@link DwNhwcGeneral#rows}, for a geometry with a 3x3 kernel (kD 1), stride 1, dilation 1. */
    public static void rows(ConvGeometry g, float[] x, int xOff, float[] w, int act, float alpha,
                            float[] y, int yOff, int rowFrom, int rowTo, int cFrom, int cTo) {
        int k = g.k;
        int rowStride = g.inW * k;
        int image = g.inD * g.inH * rowStride;
        int owA = DwTaps.interiorFrom(g.padW, 1, g.outW);
        int owB = DwTaps.interiorTo(g.padW, 1, 3, g.inW, g.outW, owA);
        int owE = owA + (owB - owA) / 4 * 4;
        for (int r = rowFrom; r < rowTo; r++) {
            int oh = r % g.outH;
            int od = r / g.outH % g.outD;
            int n = r / g.outH / g.outD;
            int d0 = od * g.sD - g.padD;
            int h0 = oh - g.padH;
            int xImg = xOff + n * image;
            int yRow = yOff + r * g.outW * k;
            int i0 = DwTaps.first(d0, 1), i1 = DwTaps.end(d0, 1, 1, g.inD);
            int j0 = DwTaps.first(h0, 1), j1 = DwTaps.end(h0, 1, 3, g.inH);
            if (i1 <= i0 || j1 <= j0) {
                DwNhwcGeneral.pixels(g, x, xImg, w, act, alpha, y, yRow, d0, i0, i1, h0, j0, j1, 0, g.outW, cFrom, cTo);
                continue;
            }
            DwNhwcGeneral.pixels(g, x, xImg, w, act, alpha, y, yRow, d0, i0, i1, h0, j0, j1, 0, owA, cFrom, cTo);
            DwNhwcGeneral.pixels(g, x, xImg, w, act, alpha, y, yRow, d0, i0, i1, h0, j0, j1, owE, g.outW, cFrom, cTo);
            oneRow(k, x, xImg + (d0 * g.inH + h0) * rowStride, rowStride, j0, j1, g.padW, w, act, alpha, y, yRow,
                    owA, owE, cFrom, cTo);
        }
    }

    /**
     * Interior pixels {@code [owFrom, owTo)} (a multiple of 4 apart) of the output row at
     * {@code yRow} whose window's input row 0 starts at {@code xRow}, taking the rows of taps
     * {@code [j0, j1)} only (the others lie in the padding); {@code rs} floats between input rows.
     */
    static void oneRow(int k, float[] x, int xRow, int rs, int j0, int j1, int padW, float[] w, int act,
                       float alpha, float[] y, int yRow, int owFrom, int owTo, int cFrom, int cTo) {
        int vecEnd = cFrom + VecSpecies.bound(cTo - cFrom);
        for (int ow = owFrom; ow < owTo; ow += 4) {
            int xo = xRow + (ow - padW) * k;
            int yo = yRow + ow * k;
            for (int c = cFrom, p = c / LEN * BLOCK; c < vecEnd; c += LEN, p += BLOCK) {
                FloatVector a0 = FloatVector.fromArray(F, w, p);
                FloatVector a1 = a0, a2 = a0, a3 = a0;
                // A loop the JIT unrolls after inlining: unrolled by hand, the method outgrows the
                // JIT's inlining budget and the activation call would box its vectors.
                for (int j = j0, q = xo + c + j0 * rs, f = p + (1 + 3 * j0) * LEN; j < j1;
                        j++, q += rs, f += 3 * LEN) {
                    FloatVector f0 = FloatVector.fromArray(F, w, f);
                    FloatVector f1 = FloatVector.fromArray(F, w, f + LEN);
                    FloatVector f2 = FloatVector.fromArray(F, w, f + 2 * LEN);
                    FloatVector v = FloatVector.fromArray(F, x, q);
                    a0 = v.fma(f0, a0);
                    v = FloatVector.fromArray(F, x, q + k);
                    a0 = v.fma(f1, a0);
                    a1 = v.fma(f0, a1);
                    v = FloatVector.fromArray(F, x, q + 2 * k);
                    a0 = v.fma(f2, a0);
                    a1 = v.fma(f1, a1);
                    a2 = v.fma(f0, a2);
                    v = FloatVector.fromArray(F, x, q + 3 * k);
                    a1 = v.fma(f2, a1);
                    a2 = v.fma(f1, a2);
                    a3 = v.fma(f0, a3);
                    v = FloatVector.fromArray(F, x, q + 4 * k);
                    a2 = v.fma(f2, a2);
                    a3 = v.fma(f1, a3);
                    v = FloatVector.fromArray(F, x, q + 5 * k);
                    a3 = v.fma(f2, a3);
                }
                DwActivation.apply(a0, act, alpha).intoArray(y, yo + c);
                DwActivation.apply(a1, act, alpha).intoArray(y, yo + k + c);
                DwActivation.apply(a2, act, alpha).intoArray(y, yo + 2 * k + c);
                DwActivation.apply(a3, act, alpha).intoArray(y, yo + 3 * k + c);
            }
        }
        int c = vecEnd;
        for (; c < cTo; c++) {
            scalar(k, x, xRow, rs, j0, j1, padW, w, act, alpha, y, yRow, owFrom, owTo, c);
        }
    }

    /** Channel {@code c} of interior pixels {@code [owFrom, owTo)} of one output row. */
    private static void scalar(int k, float[] x, int xRow, int rs, int j0, int j1, int padW, float[] w,
                               int act, float alpha, float[] y, int yRow, int owFrom, int owTo, int c) {
        int p = c / LEN * BLOCK + c % LEN;
        for (int ow = owFrom; ow < owTo; ow++) {
            int q = xRow + (ow - padW) * k + c + j0 * rs;
            float acc = w[p];
            for (int j = j0; j < j1; j++, q += rs) {
                int f = p + (1 + 3 * j) * LEN;
                acc += x[q] * w[f] + x[q + k] * w[f + LEN] + x[q + 2 * k] * w[f + 2 * LEN];
            }
            y[yRow + ow * k + c] = DwActivation.apply(acc, act, alpha);
        }
    }
}
