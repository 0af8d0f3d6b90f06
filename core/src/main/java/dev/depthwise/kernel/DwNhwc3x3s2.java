package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;

/**
 * Depthwise 3x3, stride 2, dilation 1, channels-last: two vectors of channels (one when a single one
 * is left) walk along an output row two input columns per output. The last column of an output is
 * the first of the next, so each input vector is loaded once per output row, and the weight vectors
 * and biases stay in registers for the whole row. Columns outside the input read zeros and the
 * first step stores into column 0 before step 0 overwrites it, so the loop has no branch; as
 * {@link DwNhwc3x3s1} otherwise.
 */
public final class DwNhwc3x3s2 {
    private DwNhwc3x3s2() {
    }

    /** As {@link DwNhwcGeneral#rows}, for a geometry with a 3x3 kernel (kD 1), stride 2, dilation 1. */
    public static void rows(ConvGeometry g, float[] x, int xOff, float[] w, int act, float alpha,
                            float[] y, int yOff, int rowFrom, int rowTo, int cFrom, int cTo) {
        DwNhwc3x3.rows(g, x, xOff, w, act, alpha, y, yOff, rowFrom, rowTo, cFrom, cTo, 2);
    }

    /**
     * As {@link DwNhwc3x3s1#walk}, for stride 2: input columns {@code 2*ow - padW + 1} (tap column 1)
     * and {@code 2*ow - padW + 2} (tap column 2, and tap column 0 of output ow + 1) finish output ow.
     */
    static void walk(float[] x0, int o0, int s0, float[] x1, int o1, int s1, float[] x2, int o2, int s2,
                     int inW, int padW, int outW, int k, float[] z, float[] w, float lo, float hi, float[] y,
                     int yRow, int cFrom, int cTo) {
        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        for (int c = cFrom; c < cTo; c += LEN) {
            int p = DwWeightsPacked.tileStart(c, 9, LEN);
            FloatVector vb = FloatVector.fromArray(F, w, p);
            FloatVector w0 = FloatVector.fromArray(F, w, p + LEN), w1 = FloatVector.fromArray(F, w, p + 2 * LEN);
            FloatVector w2 = FloatVector.fromArray(F, w, p + 3 * LEN), w3 = FloatVector.fromArray(F, w, p + 4 * LEN);
            FloatVector w4 = FloatVector.fromArray(F, w, p + 5 * LEN), w5 = FloatVector.fromArray(F, w, p + 6 * LEN);
            FloatVector w6 = FloatVector.fromArray(F, w, p + 7 * LEN), w7 = FloatVector.fromArray(F, w, p + 8 * LEN);
            FloatVector w8 = FloatVector.fromArray(F, w, p + 9 * LEN);
            // a: output column ow while input columns q = 2*ow - padW + 1 and q + 1 go in
            FloatVector a = vb;
            int q = -padW - 1;
            for (int ow = -1; ow < outW; ow++, q += 2) {
                boolean in = ow >= 0 && q >= 0 && q < inW;
                FloatVector u = FloatVector.fromArray(F, in ? x0 : z, in ? o0 + q * s0 + c : c);
                FloatVector v = FloatVector.fromArray(F, in ? x1 : z, in ? o1 + q * s1 + c : c);
                FloatVector t = FloatVector.fromArray(F, in ? x2 : z, in ? o2 + q * s2 + c : c);
                a = t.fma(w7, v.fma(w4, u.fma(w1, a)));
                in = q + 1 >= 0 && q + 1 < inW;
                u = FloatVector.fromArray(F, in ? x0 : z, in ? o0 + (q + 1) * s0 + c : c);
                v = FloatVector.fromArray(F, in ? x1 : z, in ? o1 + (q + 1) * s1 + c : c);
                t = FloatVector.fromArray(F, in ? x2 : z, in ? o2 + (q + 1) * s2 + c : c);
                a = t.fma(w8, v.fma(w5, u.fma(w2, a)));
                FloatVector n = t.fma(w6, v.fma(w3, u.fma(w0, vb)));
                FloatVector o = clamp ? a.blend(lo, a.compare(LT, lo)).blend(hi, a.compare(GT, hi)) : a;
                o.intoArray(y, yRow + Math.max(ow, 0) * k + c);
                a = n;
            }
        }
    }

    /** As {@link #walk}, two channel vectors at a time: {@code cTo - cFrom} a multiple of 2*LEN. */
    static void walkPairs(float[] x0, int o0, int s0, float[] x1, int o1, int s1, float[] x2, int o2, int s2,
                          int inW, int padW, int outW, int k, float[] z, float[] w, float lo, float hi, float[] y,
                          int yRow, int cFrom, int cTo) {
        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        for (int c = cFrom; c < cTo; c += 2 * LEN) {
            int p = DwWeightsPacked.tileStart(c, 9, LEN), r = p + 10 * LEN;
            FloatVector vb = FloatVector.fromArray(F, w, p), vd = FloatVector.fromArray(F, w, r);
            FloatVector w0 = FloatVector.fromArray(F, w, p + LEN), w1 = FloatVector.fromArray(F, w, p + 2 * LEN);
            FloatVector w2 = FloatVector.fromArray(F, w, p + 3 * LEN), w3 = FloatVector.fromArray(F, w, p + 4 * LEN);
            FloatVector w4 = FloatVector.fromArray(F, w, p + 5 * LEN), w5 = FloatVector.fromArray(F, w, p + 6 * LEN);
            FloatVector w6 = FloatVector.fromArray(F, w, p + 7 * LEN), w7 = FloatVector.fromArray(F, w, p + 8 * LEN);
            FloatVector w8 = FloatVector.fromArray(F, w, p + 9 * LEN);
            FloatVector d0 = FloatVector.fromArray(F, w, r + LEN), d1 = FloatVector.fromArray(F, w, r + 2 * LEN);
            FloatVector d2 = FloatVector.fromArray(F, w, r + 3 * LEN), d3 = FloatVector.fromArray(F, w, r + 4 * LEN);
            FloatVector d4 = FloatVector.fromArray(F, w, r + 5 * LEN), d5 = FloatVector.fromArray(F, w, r + 6 * LEN);
            FloatVector d6 = FloatVector.fromArray(F, w, r + 7 * LEN), d7 = FloatVector.fromArray(F, w, r + 8 * LEN);
            FloatVector d8 = FloatVector.fromArray(F, w, r + 9 * LEN);
            // a (e for channels c + LEN): output column ow while input columns q = 2*ow - padW + 1
            // and q + 1 go in
            FloatVector a = vb, e = vd;
            int q = -padW - 1;
            for (int ow = -1; ow < outW; ow++, q += 2) {
                boolean in = ow >= 0 && q >= 0 && q < inW;
                float[] z0 = in ? x0 : z, z1 = in ? x1 : z, z2 = in ? x2 : z;
                int i0 = in ? o0 + q * s0 + c : c, i1 = in ? o1 + q * s1 + c : c, i2 = in ? o2 + q * s2 + c : c;
                FloatVector u = FloatVector.fromArray(F, z0, i0);
                FloatVector v = FloatVector.fromArray(F, z1, i1);
                FloatVector t = FloatVector.fromArray(F, z2, i2);
                a = t.fma(w7, v.fma(w4, u.fma(w1, a)));
                u = FloatVector.fromArray(F, z0, i0 + LEN);
                v = FloatVector.fromArray(F, z1, i1 + LEN);
                t = FloatVector.fromArray(F, z2, i2 + LEN);
                e = t.fma(d7, v.fma(d4, u.fma(d1, e)));
                in = q + 1 >= 0 && q + 1 < inW;
                z0 = in ? x0 : z;
                z1 = in ? x1 : z;
                z2 = in ? x2 : z;
                i0 = in ? o0 + (q + 1) * s0 + c : c;
                i1 = in ? o1 + (q + 1) * s1 + c : c;
                i2 = in ? o2 + (q + 1) * s2 + c : c;
                u = FloatVector.fromArray(F, z0, i0);
                v = FloatVector.fromArray(F, z1, i1);
                t = FloatVector.fromArray(F, z2, i2);
                a = t.fma(w8, v.fma(w5, u.fma(w2, a)));
                FloatVector n = t.fma(w6, v.fma(w3, u.fma(w0, vb)));
                FloatVector o = clamp ? a.blend(lo, a.compare(LT, lo)).blend(hi, a.compare(GT, hi)) : a;
                int yo = yRow + Math.max(ow, 0) * k + c;
                o.intoArray(y, yo);
                a = n;
                u = FloatVector.fromArray(F, z0, i0 + LEN);
                v = FloatVector.fromArray(F, z1, i1 + LEN);
                t = FloatVector.fromArray(F, z2, i2 + LEN);
                e = t.fma(d8, v.fma(d5, u.fma(d2, e)));
                n = t.fma(d6, v.fma(d3, u.fma(d0, vd)));
                o = clamp ? e.blend(lo, e.compare(LT, lo)).blend(hi, e.compare(GT, hi)) : e;
                o.intoArray(y, yo + LEN);
                e = n;
            }
        }
    }
}
