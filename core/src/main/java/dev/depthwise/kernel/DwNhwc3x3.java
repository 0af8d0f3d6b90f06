package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.LEN;

import dev.depthwise.spec.ConvGeometry;

/**
 * The row loop shared by the channels-last 3x3 kernels {@link DwNhwc3x3s1} and {@link DwNhwc3x3s2}:
 * per output row it points at the three tap rows (a tap row in the padding reads shared zeros with
 * a column stride of 0, {@link DwZeros}, so the kernels run the same for every row), hands the
 * channel vectors to the kernel's row walk, the leftover channels to {@link DwNhwcGeneral}, and
 * runs what the in-register clamp leaves of the activation ({@link DwActivation#finish}). Weights
 * with a non-finite value run {@link DwNhwcGeneral} throughout: zero times Inf is NaN where the
 * reference skips the padded tap.
 */
final class DwNhwc3x3 {
    private DwNhwc3x3() {
    }

    /** As {@link DwNhwcGeneral#rows}, for a geometry with a 3x3 kernel (kD 1), dilation 1 and stride 1 or 2. */
    static void rows(ConvGeometry g, float[] x, int xOff, float[] w, int act, float alpha, float[] y, int yOff,
                     int rowFrom, int rowTo, int cFrom, int cTo, int stride) {
        int vecEnd = cFrom + VecSpecies.bound(cTo - cFrom);
        int pairEnd = cFrom + (vecEnd - cFrom) / (2 * LEN) * (2 * LEN);
        if (vecEnd == cFrom || !DwWeightsPacked.finite(w, g.k, 9, LEN)) {
            DwNhwcGeneral.rows(g, x, xOff, w, act, alpha, y, yOff, rowFrom, rowTo, cFrom, cTo);
            return;
        }
        float lo = DwActivation.low(act), hi = DwActivation.high(act);
        int k = g.k, rowStride = g.inW * k;
        float[] z = DwZeros.atLeast(vecEnd);
        for (int r = rowFrom; r < rowTo; r++) {
            int oh = r % g.outH;
            int od = r / g.outH % g.outD;
            int n = r / g.outH / g.outD;
            int d = od * g.sD - g.padD;
            if (d < 0 || d >= g.inD) {
                DwNhwcGeneral.rows(g, x, xOff, w, act, alpha, y, yOff, r, r + 1, cFrom, cTo);
                continue;
            }
            int yRow = yOff + r * g.outW * k;
            int h = oh * stride - g.padH;
            int base = xOff + (n * g.inD + d) * g.inH * rowStride;
            boolean in0 = h >= 0 && h < g.inH, in1 = h + 1 >= 0 && h + 1 < g.inH, in2 = h + 2 >= 0 && h + 2 < g.inH;
            float[] x0 = in0 ? x : z, x1 = in1 ? x : z, x2 = in2 ? x : z;
            int o0 = in0 ? base + h * rowStride : 0, s0 = in0 ? k : 0;
            int o1 = in1 ? base + (h + 1) * rowStride : 0, s1 = in1 ? k : 0;
            int o2 = in2 ? base + (h + 2) * rowStride : 0, s2 = in2 ? k : 0;
            // pairs of channel vectors, then the odd one: separate methods, compiled on their own, so that
            // a layer with an odd vector count does not undo the compiled code of the pairs
            if (stride == 1) {
                DwNhwc3x3s1.walkPairs(x0, o0, s0, x1, o1, s1, x2, o2, s2, g.inW, g.padW, g.outW, k, z, w, lo, hi, y,
                        yRow, cFrom, pairEnd);
                DwNhwc3x3s1.walk(x0, o0, s0, x1, o1, s1, x2, o2, s2, g.inW, g.padW, g.outW, k, z, w, lo, hi, y, yRow,
                        pairEnd, vecEnd);
            } else {
                DwNhwc3x3s2.walkPairs(x0, o0, s0, x1, o1, s1, x2, o2, s2, g.inW, g.padW, g.outW, k, z, w, lo, hi, y,
                        yRow, cFrom, pairEnd);
                DwNhwc3x3s2.walk(x0, o0, s0, x1, o1, s1, x2, o2, s2, g.inW, g.padW, g.outW, k, z, w, lo, hi, y, yRow,
                        pairEnd, vecEnd);
            }
            if (vecEnd < cTo) {
                DwNhwcGeneral.rows(g, x, xOff, w, act, alpha, y, yOff, r, r + 1, vecEnd, cTo);
            }
            DwActivation.finish(y, yRow, g.outW, k, cFrom, vecEnd, act, alpha);
        }
    }
}
