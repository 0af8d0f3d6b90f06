package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The tile of {@link DwNchw3x3s1} for planes at most LEN/2 wide: two planes share each vector
 * (plane p in the lower half of the lanes, plane q in the upper half), so a narrow plane (7x7 with
 * 16 lanes) does not leave most lanes idle. A strip walks down both planes as {@link
 * DwNchw3x3s1w1} does; each shifted vector is two loads, one per plane, merged, and the columns
 * outside the input zeroed.
 */
final class DwNchw3x3s1p2 {
    private DwNchw3x3s1p2() {
    }

    /** True when a row of {@code outW} outputs fits half a vector. */
    static boolean fits(int outW) {
        return outW <= LEN / 2;
    }

    /**
     * Output rows {@code [rowFrom, rowTo)} of the planes at {@code yp} and {@code yq} (rows of outW)
     * from the input planes at {@code xp} and {@code xq} (inH rows of inW), weights of plane p at
     * {@code fp}, of plane q at {@code fq} (weight (j, l) at {@code + j*fH + l*fW}), biases
     * {@code bp}, {@code bq}; otherwise as {@link DwNchw3x3s1w1#rows}. The caller has checked that
     * every load and store stays inside x and y.
     */
    static void rows(float[] x, int xp, int xq, int inH, int inW, int padH, int padW, float[] zero, float[] f, int fp,
                     int fq, int fH, int fW, float bp, float bq, float lo, float hi, float[] y, int yp, int yq,
                     int outW, int rowFrom, int rowTo) {
        int half = LEN / 2;
        VectorMask<Float> upper = DwNchwStrips.inside(-half, LEN);
        VectorMask<Float> lower = upper.not();
        // the lanes to zero per tap column: those whose column lies outside the input, in either half
        VectorMask<Float> z0 = DwNchwStrips.inside(-padW, inW).and(lower).or(DwNchwStrips.inside(-padW - half, inW)
                .and(upper)).not();
        VectorMask<Float> z1 = DwNchwStrips.inside(1 - padW, inW).and(lower).or(DwNchwStrips.inside(1 - padW - half,
                inW).and(upper)).not();
        VectorMask<Float> z2 = DwNchwStrips.inside(2 - padW, inW).and(lower).or(DwNchwStrips.inside(2 - padW - half,
                inW).and(upper)).not();
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
        boolean clamp = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        // As in DwNchw3x3s1w1: a and b are output rows oh and oh + 1 while input row oh - padH + 2
        // goes in; the first two rounds only fill them, storing into row rowFrom.
        FloatVector a = vb, b = vb;
        for (int oh = rowFrom - 2; oh < rowTo; oh++) {
            int h = oh - padH + 2;
            boolean in = h >= 0 && h < inH;
            float[] s = in ? x : zero;
            int i = in ? xp + h * inW - padW : 0;
            int j = in ? xq + h * inW - padW - half : 0;
            FloatVector u = FloatVector.fromArray(F, s, i).blend(FloatVector.fromArray(F, s, j), upper).blend(0f, z0);
            FloatVector v = FloatVector.fromArray(F, s, i + 1).blend(FloatVector.fromArray(F, s, j + 1), upper)
                    .blend(0f, z1);
            FloatVector t = FloatVector.fromArray(F, s, i + 2).blend(FloatVector.fromArray(F, s, j + 2), upper)
                    .blend(0f, z2);
            a = t.fma(w8, v.fma(w7, u.fma(w6, a)));
            b = t.fma(w5, v.fma(w4, u.fma(w3, b)));
            FloatVector c = t.fma(w2, v.fma(w1, u.fma(w0, vb)));
            u = clamp ? a.blend(lo, a.compare(LT, lo)).blend(hi, a.compare(GT, hi)) : a;
            int r = Math.max(oh, rowFrom) * outW;
            u.intoArray(y, yp + r, po);
            u.intoArray(y, yq + r - half, qo);
            a = b;
            b = c;
        }
    }

    /** {@code p} in the lower lanes, {@code q} in the upper ones. */
    private static FloatVector both(float p, float q, VectorMask<Float> upper) {
        return FloatVector.broadcast(F, p).blend(q, upper);
    }
}
