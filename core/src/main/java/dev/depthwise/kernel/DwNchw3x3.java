package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.LEN;

import dev.depthwise.spec.ConvGeometry;

/**
 * The plane loop shared by the channels-first 3x3 kernels {@link DwNchw3x3s1} and {@link
 * DwNchw3x3s2}: per plane it reads the nine weights through the geometry's strides (no packing),
 * hands the strips of a row to the tiles ({@link DwNchwStrips}) a block of {@link #BLOCK} output
 * rows at a time, two narrow planes at once to the two-plane tiles, the few rows whose loads would
 * leave x to {@link DwNchwExact}, and runs what the in-register clamp leaves of the activation
 * ({@link DwActivation#finish}) over the rows just written. Weights with a non-finite value send
 * their plane to {@link DwNchwExact}: the tiles read zeros for the padding, and zero times Inf is
 * NaN where the reference skips the padded tap.
 */
final class DwNchw3x3 {
    /**
     * Output rows a tile walks at a time: each walk costs two extra input rows (stride 1) or one
     * (stride 2), but the tiles are called often enough for the JIT to compile them within the first
     * calls (whole-plane walks, few calls with long loops, kept them boxing every vector in
     * unoptimised code for a second or more).
     */
    static final int BLOCK = 16;

    private DwNchw3x3() {
    }

    /**
     * As {@link DwNchw3x3s1#planes}, for stride 1 or 2: output planes {@code [planeFrom, planeTo)},
     * rows {@code [rowFrom, rowTo)} of each.
     */
    static void planes(ConvGeometry g, float[] x, int xOff, float[] f, float[] bias, int act, float alpha, float[] y,
                       int yOff, int planeFrom, int planeTo, int rowFrom, int rowTo, int stride) {
        int strips = DwNchwStrips.count(g.outW);
        int lastStrip = (strips - 1) * LEN;
        // how far past padW columns before a row's start the tiles load
        int reach = stride == 1 ? lastStrip + 2 + LEN : 2 * lastStrip + 2 + 2 * LEN;
        float[] zero = DwZeros.atLeast(reach + LEN);
        float lo = DwActivation.low(act), hi = DwActivation.high(act);
        boolean finite = Simd.enabled() && DwNchwExact.allFinite(f);
        boolean pairs = finite && (stride == 1 ? DwNchw3x3s1p2.fits(g.outW) : DwNchw3x3s2p2.fits(g.outW));
        for (int plane = planeFrom; plane < planeTo; plane++) {
            if (pairs && plane + 1 < planeTo
                    && pair(g, x, xOff, f, bias, act, alpha, lo, hi, zero, y, yOff, plane, rowFrom, rowTo, stride)) {
                plane++;
                continue;
            }
            int k = plane % g.k;
            int xPlane = xOff + (plane / g.k * g.c + k / g.kPerGroup) * g.inH * g.inW;
            int yPlane = yOff + plane * g.outH * g.outW;
            if (!finite && !(Simd.enabled() && DwNchwExact.finite(g, f, k))) {
                DwNchwExact.rows(g, x, xPlane, f, bias, k, act, alpha, y, yPlane, rowFrom, rowTo);
                continue;
            }
            int a = Math.min(rowTo, DwNchwStrips.safeFrom(rowFrom, stride, g.padH, g.inW, g.padW, xPlane));
            int e = Math.max(a, DwNchwStrips.safeTo(rowTo, stride, g.padH, g.inH, g.inW, g.padW, reach, xPlane,
                    x.length));
            DwNchwExact.rows(g, x, xPlane, f, bias, k, act, alpha, y, yPlane, rowFrom, a);
            DwNchwExact.rows(g, x, xPlane, f, bias, k, act, alpha, y, yPlane, e, rowTo);
            float b = bias == null ? 0f : bias[k];
            int widest = stride == 1 ? 8 : 2;
            for (int r0 = a; r0 < e; r0 += BLOCK) {
                int r1 = Math.min(e, r0 + BLOCK);
                for (int s0 = 0; s0 < strips; s0 += widest) {
                    int m = Math.min(widest, strips - s0);
                    if (m > 2 && !DwNchwStrips.inner(s0 + 1, s0 + m - 1, stride, stride == 1 ? LEN + 2 : 2 * LEN + 2,
                            g.padW, g.inW, g.outW)) {
                        // padding so wide that a middle strip meets it: every strip alone
                        for (int s = s0; s < s0 + m; s++) {
                            tile(g, x, xPlane, zero, f, k * g.fO, b, lo, hi, y, yPlane, s * LEN, 1, r0, r1, stride);
                        }
                    } else {
                        tile(g, x, xPlane, zero, f, k * g.fO, b, lo, hi, y, yPlane, s0 * LEN, m, r0, r1, stride);
                    }
                }
            }
            DwActivation.finish(y, yPlane + a * g.outW, yPlane + e * g.outW, act, alpha);
        }
    }

    /**
     * Planes {@code plane} and {@code plane + 1} together by the two-plane tile, unless a load or
     * store of theirs would leave x or y (the tensor's first or last planes, with no room around
     * them): then false, and nothing is done.
     */
    private static boolean pair(ConvGeometry g, float[] x, int xOff, float[] f, float[] bias, int act, float alpha,
                                float lo, float hi, float[] zero, float[] y, int yOff, int plane, int rowFrom,
                                int rowTo, int stride) {
        int half = LEN / 2;
        int p = plane % g.k, q = (plane + 1) % g.k;
        int xp = xOff + (plane / g.k * g.c + p / g.kPerGroup) * g.inH * g.inW;
        int xq = xOff + ((plane + 1) / g.k * g.c + q / g.kPerGroup) * g.inH * g.inW;
        int yp = yOff + plane * g.outH * g.outW, yq = yp + g.outH * g.outW;
        // stride 1 loads plane q from half a vector before its columns, stride 2 from them
        int shift = stride == 1 ? half : 0;
        int lastIn = (g.inH - 1) * g.inW - g.padW + 2 + LEN;
        int lastOut = (g.outH - 1) * g.outW + LEN;
        if (xp - g.padW < 0 || xq - g.padW - shift < 0 || xp + lastIn > x.length || xq - shift + lastIn > x.length
                || yq - half < 0 || yp + lastOut > y.length || yq - half + lastOut > y.length) {
            return false;
        }
        float bp = bias == null ? 0f : bias[p], bq = bias == null ? 0f : bias[q];
        if (stride == 1) {
            DwNchw3x3s1p2.rows(x, xp, xq, g.inH, g.inW, g.padH, g.padW, zero, f, p * g.fO, q * g.fO, g.fH, g.fW, bp,
                    bq, lo, hi, y, yp, yq, g.outW, rowFrom, rowTo);
        } else {
            DwNchw3x3s2p2.rows(x, xp, xq, g.inH, g.inW, g.padH, g.padW, zero, f, p * g.fO, q * g.fO, g.fH, g.fW, bp,
                    bq, lo, hi, y, yp, yq, g.outW, rowFrom, rowTo);
        }
        DwActivation.finish(y, yp + rowFrom * g.outW, yp + rowTo * g.outW, act, alpha);
        DwActivation.finish(y, yq + rowFrom * g.outW, yq + rowTo * g.outW, act, alpha);
        return true;
    }

    /** The {@code m} strips from output column {@code o} on, by the tile of their width. */
    private static void tile(ConvGeometry g, float[] x, int xPlane, float[] zero, float[] f, int fo, float b,
                             float lo, float hi, float[] y, int yPlane, int o, int m, int rowFrom, int rowTo,
                             int stride) {
        int inH = g.inH, inW = g.inW, padH = g.padH, padW = g.padW, fH = g.fH, fW = g.fW, outW = g.outW;
        int o1 = o + LEN, o2 = o1 + LEN, o3 = o2 + LEN, o4 = o3 + LEN, o5 = o4 + LEN, o6 = o5 + LEN, o7 = o6 + LEN;
        if (stride == 2) {
            if (m == 1) {
                DwNchw3x3s2w1.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane, outW,
                        o, rowFrom, rowTo);
            } else {
                DwNchw3x3s2w2.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane, outW,
                        o, o1, rowFrom, rowTo);
            }
            return;
        }
        switch (m) {
            case 1 -> DwNchw3x3s1w1.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, rowFrom, rowTo);
            case 2 -> DwNchw3x3s1w2.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, o1, rowFrom, rowTo);
            case 3 -> DwNchw3x3s1w3.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, o1, o2, rowFrom, rowTo);
            case 4 -> DwNchw3x3s1w4.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, o1, o2, o3, rowFrom, rowTo);
            case 5 -> DwNchw3x3s1w5.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, o1, o2, o3, o4, rowFrom, rowTo);
            case 6 -> DwNchw3x3s1w6.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, o1, o2, o3, o4, o5, rowFrom, rowTo);
            case 7 -> DwNchw3x3s1w7.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, o1, o2, o3, o4, o5, o6, rowFrom, rowTo);
            default -> DwNchw3x3s1w8.rows(x, xPlane, inH, inW, padH, padW, zero, f, fo, fH, fW, b, lo, hi, y, yPlane,
                    outW, o, o1, o2, o3, o4, o5, o6, o7, rowFrom, rowTo);
        }
    }
}
