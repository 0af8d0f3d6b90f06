package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The tile of {@link DwNchw3x3s2} one column vector wide (LEN output columns): one strip walks down
 * the plane, two input rows per output row; the columns it loads outside the input are zeroed and
 * its store is masked to the output's, so it serves any strip, the only one of a narrow plane too.
 */
final class DwNchw3x3s2w1 {
    private DwNchw3x3s2w1() {
    }

    /**
     * Output rows {@code [rowFrom, rowTo)} of the strip starting at output column {@code o0} of the
     * plane at {@code yPlane} (rows of outW), from the input plane at {@code xPlane} (inH rows of inW):
     * tap column 0 of output column ow at input column 2*ow - padW, tap row 0 of output row oh at input
     * row 2*oh - padH; weight (j, l) at {@code f[fo + j*fH + l*fW]}; outputs clamped to {@code [lo,
     * hi]} (unless both are infinite). Rows of padding read {@code zero} (zeros, at least 2*o0 + 2*LEN
     * + 2 of them): the loop has no branch.
     */
    static void rows(float[] x, int xPlane, int inH, int inW, int padH, int padW, float[] zero, float[] f, int fo,
                     int fH, int fW, float b, float lo, float hi, float[] y, int yPlane, int outW, int o0, int rowFrom,
                     int rowTo) {
        VectorMask<Float> l0 = DwNchwStrips.outside(2 * o0 - padW, inW);
        VectorMask<Float> l1 = DwNchwStrips.outside(2 * o0 - padW + LEN, inW);
        VectorMask<Float> l2 = DwNchwStrips.outside(2 * o0 - padW + 2, inW);
        VectorMask<Float> l3 = DwNchwStrips.outside(2 * o0 - padW + 2 + LEN, inW);
        VectorMask<Float> ro = DwNchwStrips.inside(o0, outW);
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
        FloatVector even = DwNchwStrips.EVEN, odd = DwNchwStrips.ODD;
        // Per strip k, ak is output row oh while input rows 2*oh - padH + 1 (its tap row 1) and the one
        // below (tap row 2, and tap row 0 of output row oh + 1) go in. The first round only starts
        // row rowFrom: it reads zeros for the first row and stores into row rowFrom, which the next
        // round overwrites.
        FloatVector a0 = vb;
        FloatVector u, v, t, e, d, c;
        for (int oh = rowFrom - 1; oh < rowTo; oh++) {
            int h = 2 * oh - padH + 1;
            boolean in = oh >= rowFrom && h >= 0 && h < inH;
            boolean in2 = h + 1 >= 0 && h + 1 < inH;
            float[] s = in ? x : zero, s2 = in2 ? x : zero;
            int q = in ? xPlane + h * inW - padW : 0;
            int q2 = in2 ? xPlane + (h + 1) * inW - padW : 0;
            int yo = yPlane + Math.max(oh, rowFrom) * outW;
            u = FloatVector.fromArray(F, s, q + 2 * o0).blend(0f, l0);
            v = FloatVector.fromArray(F, s, q + 2 * o0 + LEN).blend(0f, l1);
            t = even.selectFrom(FloatVector.fromArray(F, s, q + 2 * o0 + 2).blend(0f, l2),
                    FloatVector.fromArray(F, s, q + 2 * o0 + 2 + LEN).blend(0f, l3));
            a0 = t.fma(w5, odd.selectFrom(u, v).fma(w4, even.selectFrom(u, v).fma(w3, a0)));
            u = FloatVector.fromArray(F, s2, q2 + 2 * o0).blend(0f, l0);
            v = FloatVector.fromArray(F, s2, q2 + 2 * o0 + LEN).blend(0f, l1);
            t = even.selectFrom(FloatVector.fromArray(F, s2, q2 + 2 * o0 + 2).blend(0f, l2),
                    FloatVector.fromArray(F, s2, q2 + 2 * o0 + 2 + LEN).blend(0f, l3));
            e = even.selectFrom(u, v);
            d = odd.selectFrom(u, v);
            a0 = t.fma(w8, d.fma(w7, e.fma(w6, a0)));
            c = t.fma(w2, d.fma(w1, e.fma(w0, vb)));
            u = clamp ? a0.blend(lo, a0.compare(LT, lo)).blend(hi, a0.compare(GT, hi)) : a0;
            u.intoArray(y, yo + o0, ro);
            a0 = c;
        }
    }
}
