package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The tile of {@link DwNchw3x3s2} for output rows of at most (LEN - 1)/2, whose input rows fit one
 * vector: two planes share each vector (plane p in the lower half of the lanes, plane q in the
 * upper half). One load per plane brings a whole input row, the columns outside the input zeroed,
 * and one two-vector permute per tap column picks plane p's columns for the lower half and plane
 * q's for the upper: the even ones (tap 0), the odd ones (tap 1), the even ones two on (tap 2).
 * Rows walk as in {@link DwNchw3x3s2w1}.
 */
final class DwNchw3x3s2p2 {
    /** Lane i picks lane 2i + 2 of two vectors end to end (the last lane, a spare, 2*LEN - 1). */
    private static final FloatVector EVEN2 = FloatVector.fromArray(F, lanes(), 0);

    private DwNchw3x3s2p2() {
    }

    private static float[] lanes() {
        float[] v = new float[LEN];
        for (int i = 0; i < LEN; i++) {
            v[i] = Math.min(2 * i + 2, 2 * LEN - 1);
        }
        return v;
    }

    /** True when a row of {@code outW} outputs and its input columns fit half a vector and a vector. */
    static boolean fits(int outW) {
        return 2 * outW + 1 <= LEN;
    }

    /** As {@link DwNchw3x3s1p2#rows}, for stride 2. */
    static void rows(float[] x, int xp, int xq, int inH, int inW, int padH, int padW, float[] zero, float[] f, int fp,
                     int fq, int fH, int fW, float bp, float bq, float lo, float hi, float[] y, int yp, int yq,
                     int outW, int rowFrom, int rowTo) {
        int half = LEN / 2;
        VectorMask<Float> upper = DwNchwStrips.inside(-half, LEN);
        VectorMask<Float> lower = upper.not();
        VectorMask<Float> out = DwNchwStrips.outside(-padW, inW);
        VectorMask<Float> po = DwNchwStrips.inside(0, outW).and(lower);
        VectorMask<Float> qo = DwNchwStrips.inside(-half, outW).and(upper);
        FloatVector w0 = both(f[fp], f[fq], upper);
        FloatVector w1 = both(f[fp + fW], f[fq + fW], upper);
        FloatVector w2 = both(f[fp + 2 * fW], f[fq + 2 * fW], upper);
        FloatVector w3 = both(f[fp + fH], f[fq + fH], upper);
        FloatVector w4 = both(f[fp + fH + fW], f[fq + fH + fW], upper);
        FloatVector w5 = both(f[fp + fH + 2 * fW], f[fq + fH + 2 * fW], upper);
        FloatVector w6 = both(f[fp + 2 * fH], f[fq + 2 * fH], upper);
        FloatVector w7 = both(f[fp + 2 * fH + fW], f[fq + 2 * fH + fW], upper);
        FloatVector w8 = both(f[fp + 2 * fH + 2 * fW], f[fq + 2 * fH + 2 * fW], upper);
        FloatVector vb = both(bp, bq, upper);
        FloatVector even = DwNchwStrips.EVEN, odd = DwNchwStrips.ODD, even2 = EVEN2;
        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        // As in DwNchw3x3s2w1: a is output row oh while input rows 2*oh - padH + 1 and the one below go in.
        FloatVector a = vb;
        for (int oh = rowFrom - 1; oh < rowTo; oh++) {
            int h = 2 * oh - padH + 1;
            boolean in = oh >= rowFrom && h >= 0 && h < inH;
            boolean in2 = h + 1 >= 0 && h + 1 < inH;
            float[] s = in ? x : zero, s2 = in2 ? x : zero;
            int i = in ? xp + h * inW - padW : 0, j = in ? xq + h * inW - padW : 0;
            int i2 = in2 ? xp + (h + 1) * inW - padW : 0, j2 = in2 ? xq + (h + 1) * inW - padW : 0;
            FloatVector u = FloatVector.fromArray(F, s, i).blend(0f, out);
            FloatVector v = FloatVector.fromArray(F, s, j).blend(0f, out);
            a = even2.selectFrom(u, v).fma(w5, odd.selectFrom(u, v).fma(w4, even.selectFrom(u, v).fma(w3, a)));
            u = FloatVector.fromArray(F, s2, i2).blend(0f, out);
            v = FloatVector.fromArray(F, s2, j2).blend(0f, out);
            FloatVector e = even.selectFrom(u, v), d = odd.selectFrom(u, v), t = even2.selectFrom(u, v);
            a = t.fma(w8, d.fma(w7, e.fma(w6, a)));
            FloatVector c = t.fma(w2, d.fma(w1, e.fma(w0, vb)));
            u = clamp ? a.blend(lo, a.compare(LT, lo)).blend(hi, a.compare(GT, hi)) : a;
            int r = Math.max(oh, rowFrom) * outW;
            u.intoArray(y, yp + r, po);
            u.intoArray(y, yq + r - half, qo);
            a = c;
        }
    }

    /** {@code p} in the lower lanes, {@code q} in the upper ones. */
    private static FloatVector both(float p, float q, VectorMask<Float> upper) {
        return FloatVector.broadcast(F, p).blend(q, upper);
    }
}
