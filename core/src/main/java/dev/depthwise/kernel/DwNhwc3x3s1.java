package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;

/**
 * Depthwise 3x3, stride 1, dilation 1, channels-last: two vectors of channels (one when a single one
 * is left) walk along an output row one input column at a time. The column's three pixels (one per
 * tap row) feed the three outputs that use them, the oldest of which is then complete and stored:
 * every input vector is loaded once per output row (three times in all, not nine), and the weight
 * vectors and biases stay in registers for the whole row. Two vectors make the walk read 2*LEN
 * contiguous channels a pixel, which streams far better than one (with 32 channels, the whole
 * pixel). Columns outside the input read zeros, and the first two steps, which only fill the
 * accumulators, store into column 0 before step 0 overwrites it, so the loop has no branch. Rows,
 * activation and non-finite weights as in {@link DwNhwc3x3}; same layout contract as {@link
 * DwNhwcGeneral#rows}.
 */
public final class DwNhwc3x3s1 {
    private DwNhwc3x3s1() {
    }

    /** As {@link DwNhwcGeneral#rows}, for a geometry with a 3x3 kernel (kD 1), stride 1, dilation 1. */
    public static void rows(ConvGeometry g, float[] x, int xOff, float[] w, int act, float alpha,
                            float[] y, int yOff, int rowFrom, int rowTo, int cFrom, int cTo) {
        DwNhwc3x3.rows(g, x, xOff, w, act, alpha, y, yOff, rowFrom, rowTo, cFrom, cTo, 1);
    }

    /**
     * Channel vectors {@code [cFrom, cTo)} of the output row at {@code yRow} ({@code outW} pixels of
     * {@code k} channels): tap row j's pixel at input column q, channel c, is {@code xj[oj + q*sj + c]};
     * input column q feeds output columns {@code q + padW - 2 .. q + padW}; {@code z} holds zeros
     * (at least cTo); outputs clamped to {@code [lo, hi]} (unless both are infinite).
     */
    static void walk(float[] x0, int o0, int s0, float[] x1, int o1, int s1, float[] x2, int o2, int s2,
                     int inW, int padW, int outW, int k, float[] z, float[] w, float lo, float hi, float[] y,
                     int yRow, int cFrom, int cTo) {
        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        // input columns q walked: [first, end); those in the input: [lo0, hi0)
        int first = -padW, end = first + outW + 2;
        int lo0 = Math.min(end, Math.max(first, 0)), hi0 = Math.max(lo0, Math.min(end, inW));
        for (int c = cFrom; c < cTo; c += LEN) {
            int p = DwWeightsPacked.tileStart(c, 9, LEN);
            FloatVector vb = FloatVector.fromArray(F, w, p);
            FloatVector w0 = FloatVector.fromArray(F, w, p + LEN), w1 = FloatVector.fromArray(F, w, p + 2 * LEN);
            FloatVector w2 = FloatVector.fromArray(F, w, p + 3 * LEN), w3 = FloatVector.fromArray(F, w, p + 4 * LEN);
            FloatVector w4 = FloatVector.fromArray(F, w, p + 5 * LEN), w5 = FloatVector.fromArray(F, w, p + 6 * LEN);
            FloatVector w6 = FloatVector.fromArray(F, w, p + 7 * LEN), w7 = FloatVector.fromArray(F, w, p + 8 * LEN);
            FloatVector w8 = FloatVector.fromArray(F, w, p + 9 * LEN);
            // a, b: output columns ow and ow + 1 while input column q = ow - padW + 2 goes in (their tap
            // columns 2 and 1); its tap column 0 starts output column ow + 2
            FloatVector a = vb, b = vb;
            int ow = -2;
            for (int phase = 0; phase < 3; phase++) {
                // the columns left of the input, in it, right of it: the padding reads zeros (stride 0),
                // and within a phase the arrays are fixed, so the loop's range checks are hoisted
                boolean real = phase == 1;
                float[] r0 = real ? x0 : z, r1 = real ? x1 : z, r2 = real ? x2 : z;
                int p0 = real ? o0 + c : c, p1 = real ? o1 + c : c, p2 = real ? o2 + c : c;
                int t0 = real ? s0 : 0, t1 = real ? s1 : 0, t2 = real ? s2 : 0;
                int qa = phase == 0 ? first : phase == 1 ? lo0 : hi0;
                int qb = phase == 0 ? lo0 : phase == 1 ? hi0 : end;
                for (int q = qa; q < qb; q++, ow++) {
                    FloatVector u = FloatVector.fromArray(F, r0, p0 + q * t0);
                    FloatVector v = FloatVector.fromArray(F, r1, p1 + q * t1);
                    FloatVector t = FloatVector.fromArray(F, r2, p2 + q * t2);
                    a = t.fma(w8, v.fma(w5, u.fma(w2, a)));
                    b = t.fma(w7, v.fma(w4, u.fma(w1, b)));
                    FloatVector n = t.fma(w6, v.fma(w3, u.fma(w0, vb)));
                    FloatVector o = clamp ? a.blend(lo, a.compare(LT, lo)).blend(hi, a.compare(GT, hi)) : a;
                    o.intoArray(y, yRow + Math.max(ow, 0) * k + c);
                    a = b;
                    b = n;
                }
            }
        }
    }

    /** As {@link #walk}, two channel vectors at a time: {@code cTo - cFrom} a multiple of 2*LEN. */
    static void walkPairs(float[] x0, int o0, int s0, float[] x1, int o1, int s1, float[] x2, int o2, int s2,
                          int inW, int padW, int outW, int k, float[] z, float[] w, float lo, float hi, float[] y,
                          int yRow, int cFrom, int cTo) {
        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        int first = -padW, end = first + outW + 2;
        int lo0 = Math.min(end, Math.max(first, 0)), hi0 = Math.max(lo0, Math.min(end, inW));
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
            // a, b (e, f for channels c + LEN): output columns ow and ow + 1 while input column
            // q = ow - padW + 2 goes in (their tap columns 2 and 1); its tap column 0 starts ow + 2
            FloatVector a = vb, b = vb, e = vd, f = vd;
            int ow = -2;
            for (int phase = 0; phase < 3; phase++) {
                // as in walk: padding, input, padding
                boolean real = phase == 1;
                float[] r0 = real ? x0 : z, r1 = real ? x1 : z, r2 = real ? x2 : z;
                int p0 = real ? o0 + c : c, p1 = real ? o1 + c : c, p2 = real ? o2 + c : c;
                int t0 = real ? s0 : 0, t1 = real ? s1 : 0, t2 = real ? s2 : 0;
                int qa = phase == 0 ? first : phase == 1 ? lo0 : hi0;
                int qb = phase == 0 ? lo0 : phase == 1 ? hi0 : end;
                for (int q = qa; q < qb; q++, ow++) {
                    int i0 = p0 + q * t0, i1 = p1 + q * t1, i2 = p2 + q * t2;
                    FloatVector u = FloatVector.fromArray(F, r0, i0);
                    FloatVector v = FloatVector.fromArray(F, r1, i1);
                    FloatVector t = FloatVector.fromArray(F, r2, i2);
                    a = t.fma(w8, v.fma(w5, u.fma(w2, a)));
                    b = t.fma(w7, v.fma(w4, u.fma(w1, b)));
                    FloatVector n = t.fma(w6, v.fma(w3, u.fma(w0, vb)));
                    FloatVector o = clamp ? a.blend(lo, a.compare(LT, lo)).blend(hi, a.compare(GT, hi)) : a;
                    int yo = yRow + Math.max(ow, 0) * k + c;
                    o.intoArray(y, yo);
                    a = b;
                    b = n;
                    u = FloatVector.fromArray(F, r0, i0 + LEN);
                    v = FloatVector.fromArray(F, r1, i1 + LEN);
                    t = FloatVector.fromArray(F, r2, i2 + LEN);
                    e = t.fma(d8, v.fma(d5, u.fma(d2, e)));
                    f = t.fma(d7, v.fma(d4, u.fma(d1, f)));
                    n = t.fma(d6, v.fma(d3, u.fma(d0, vd)));
                    o = clamp ? e.blend(lo, e.compare(LT, lo)).blend(hi, e.compare(GT, hi)) : e;
                    o.intoArray(y, yo + LEN);
                    e = f;
                    f = n;
                }
            }
        }
    }
}
