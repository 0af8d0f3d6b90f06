package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The tile of {@link DwNchw3x3s1} 3 column vectors wide (3*LEN output columns): 3 strips walk down
 * the plane together, one input row at a time, so memory is read and written row after row. The
 * first strip is the row's left edge and the last its right edge (the columns they load outside the
 * input are zeroed, the last one's store is masked to the output's); the strips between lie inside
 * the input and load and store plainly. Written by DwNchwTileSource (test sources) from the
 * template of w2 to w8: change that, not this file.
 */
final class DwNchw3x3s1w3 {
    private DwNchw3x3s1w3() {
    }

    /**
     * Output rows {@code [rowFrom, rowTo)} of the strips starting at output columns {@code o0..o2} of
     * the plane at {@code yPlane} (rows of outW), from the input plane at {@code xPlane} (inH rows of
     * inW): tap column 0 of output column ow at input column ow - padW, tap row 0 of output row oh at
     * input row oh - padH; weight (j, l) at {@code f[fo + j*fH + l*fW]}; outputs clamped to {@code [lo,
     * hi]} (unless both are infinite). Rows of padding read {@code zero} (zeros, at least o2 + LEN + 2
     * of them): the loop has no branch.
     */
    static void rows(float[] x, int xPlane, int inH, int inW, int padH, int padW, float[] zero, float[] f, int fo,
                     int fH, int fW, float b, float lo, float hi, float[] y, int yPlane, int outW, int o0, int o1,
                     int o2, int rowFrom, int rowTo) {
        VectorMask<Float> l0 = DwNchwStrips.outside(o0 - padW, inW), l1 = DwNchwStrips.outside(o0 - padW + 1, inW);
        VectorMask<Float> l2 = DwNchwStrips.outside(o0 - padW + 2, inW);
        VectorMask<Float> r0 = DwNchwStrips.outside(o2 - padW, inW);
        VectorMask<Float> r1 = DwNchwStrips.outside(o2 - padW + 1, inW);
        VectorMask<Float> r2 = DwNchwStrips.outside(o2 - padW + 2, inW);
        VectorMask<Float> ro = DwNchwStrips.inside(o2, outW);
        FloatVector w0 = FloatVector.broadcast(F, f[fo]);
        FloatVector w1 = FloatVector.broadcast(F, f[fo + fW]);
        FloatVector w2 = FloatVector.broadcast(F, f[fo + 2 * fW]);
        FloatVector w3 = FloatVector.broadcast(F, f[fo + fH]);
        FloatVector w4 = FloatVector.broadcast(F, f[fo + fH + fW]);
        FloatVector w5 = FloatVector.broadcast(F, f[fo + fH + 2 * fW]);
        FloatVector w6 = FloatVector.broadcast(F, f[fo + 2 * fH]);
        FloatVector w7 = FloatVector.broadcast(F, f[fo + 2 * fH + fW]);
        FloatVector w8 = FloatVector.broadcast(F, f[fo + 2 * fH + 2 * fW]);
        FloatVector vb = FloatVector.broadcast(F, b);
        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        // Per strip k, ak and bk are output rows oh and oh + 1 while input row oh - padH + 2 goes in
        // (their tap rows 2 and 1); the row's tap row 0 starts output row oh + 2. The first two rounds
        // only fill ak and bk: they store into row rowFrom, which round rowFrom then overwrites.
        FloatVector a0 = vb, b0 = vb, a1 = vb, b1 = vb, a2 = vb, b2 = vb;
        FloatVector u, v, t, c;
        for (int oh = rowFrom - 2; oh < rowTo; oh++) {
            int h = oh - padH + 2;
            boolean in = h >= 0 && h < inH;
            float[] s = in ? x : zero;
            int q = in ? xPlane + h * inW - padW : 0;
            int yo = yPlane + Math.max(oh, rowFrom) * outW;
            u = FloatVector.fromArray(F, s, q + o0).blend(0f, l0);
            v = FloatVector.fromArray(F, s, q + o0 + 1).blend(0f, l1);
            t = FloatVector.fromArray(F, s, q + o0 + 2).blend(0f, l2);
            a0 = t.fma(w8, v.fma(w7, u.fma(w6, a0)));
            b0 = t.fma(w5, v.fma(w4, u.fma(w3, b0)));
            c = t.fma(w2, v.fma(w1, u.fma(w0, vb)));
            u = clamp ? a0.blend(lo, a0.compare(LT, lo)).blend(hi, a0.compare(GT, hi)) : a0;
            u.intoArray(y, yo + o0);
            a0 = b0;
            b0 = c;
            u = FloatVector.fromArray(F, s, q + o1);
            v = FloatVector.fromArray(F, s, q + o1 + 1);
            t = FloatVector.fromArray(F, s, q + o1 + 2);
            a1 = t.fma(w8, v.fma(w7, u.fma(w6, a1)));
            b1 = t.fma(w5, v.fma(w4, u.fma(w3, b1)));
            c = t.fma(w2, v.fma(w1, u.fma(w0, vb)));
            u = clamp ? a1.blend(lo, a1.compare(LT, lo)).blend(hi, a1.compare(GT, hi)) : a1;
            u.intoArray(y, yo + o1);
            a1 = b1;
            b1 = c;
            u = FloatVector.fromArray(F, s, q + o2).blend(0f, r0);
            v = FloatVector.fromArray(F, s, q + o2 + 1).blend(0f, r1);
            t = FloatVector.fromArray(F, s, q + o2 + 2).blend(0f, r2);
            a2 = t.fma(w8, v.fma(w7, u.fma(w6, a2)));
            b2 = t.fma(w5, v.fma(w4, u.fma(w3, b2)));
            c = t.fma(w2, v.fma(w1, u.fma(w0, vb)));
            u = clamp ? a2.blend(lo, a2.compare(LT, lo)).blend(hi, a2.compare(GT, hi)) : a2;
            u.intoArray(y, yo + o2, ro);
            a2 = b2;
            b2 = c;
        }
    }
}
