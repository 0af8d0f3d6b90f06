package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Input, filter and bias gradients of a 3x3 stride-1 depthwise convolution (dilation 1,
 * multiplier 1, 2-D, zero padding up to 2 a side), channels-last, vectorised over channels:
 * {@link DwBackwardNhwc9t}'s gather with the dz columns kept in registers along the row.
 *
 * <p>Along one axis, with {@code u = i + pad}, input i meets tap kw at output {@code u - kw}: the
 * next input needs one new dz column per dz row and the two before it, already loaded. So a pixel
 * of a full row (three dz rows) costs three dz loads, one x load, 18 FMAs and one dx store, where
 * the general kernel's 9-tap pass loads all nine dz vectors. Columns outside the output read as
 * zero vectors (the first two before the loop; the last pixels, whose newest column lies past the
 * last output, in a short second loop), so a row has no edge pixels; rows with two dz rows (a
 * padded plane's top and bottom) have a loop of their own. Rows with one dz row and the channels
 * past the last full vector take each tap with a bounds test ({@link #pixel}).
 *
 * <p>Every dx element of the rows given is written once; the filter gradient is added into
 * {@code acc}, as in {@link DwBackwardNhwc9t}. Layouts: x, dx and dz NHWC, w and acc
 * {@code [kh][kw][c]}.
 */
public final class DwBackwardNhwc3x3s1 {
    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int LEN = VecSpecies.LEN;

    private DwBackwardNhwc3x3s1() {
    }

    /**
     * A 2-D 3x3 depthwise convolution with stride 1, dilation 1, multiplier 1 and at most 2 padding on
     * each side (so every output meets an input, which the bias sum relies on).
     */
    public static boolean fits(ConvGeometry g) {
        return g.inD == 1 && g.kD == 1 && g.outD == 1 && g.kH == 3 && g.kW == 3 && g.sH == 1 && g.sW == 1
                && g.dH == 1 && g.dW == 1 && g.kPerGroup == 1 && g.cPerGroup == 1 && g.padH <= 2 && g.padW <= 2
                && g.outH <= g.inH + g.padH && g.outW <= g.inW + g.padW;
    }

    /**
     * Writes every element of the dx rows {@code [rowFrom, rowTo)} (row {@code n*inH + ih}:
     * {@code inW * C} floats from {@code dxOff + row * inW * C}) and adds those rows' filter
     * gradient terms to {@code acc}. With {@code biasOff >= 0} also adds the bias gradient of the dz
     * rows these input rows own to {@code acc[biasOff + c]}: input row ih owns dz row
     * {@code ih + padH} (the one its kernel row 0 meets), and an image's first input row also the
     * dz rows above it, so over all input rows every dz row is summed once, from the registers the
     * gather loaded it into.
     */
    public static void rows(ConvGeometry g, float[] x, int xOff, float[] dz, int dzOff, float[] w, int wOff,
                            float[] dx, int dxOff, float[] acc, int accOff, int biasOff, int rowFrom, int rowTo) {
        final int c = g.c, inW = g.inW, outW = g.outW, pad = g.padW;
        // pixels whose newest dz column u = i + pad exists
        int iHi = Math.max(0, Math.min(inW, outW - pad));
        int bound = VecSpecies.bound(c);
        for (int row = rowFrom; row < rowTo; row++) {
            int n = row / g.inH;
            int ih = row % g.inH;
            int uh = ih + g.padH;
            // padding up to 2 a side: every input row meets one to three dz rows
            int taps = 0;
            int first = 0;
            for (int kh = 2; kh >= 0; kh--) {
                int v = uh - kh;
                if (v >= 0 && v < g.outH) {
                    first = kh;
                    taps++;
                }
            }
            // kernel rows first..first+taps-1 meet dz rows uh - kh, consecutive
            int dzA = dzOff + (n * g.outH + uh - first) * outW * c;
            int dzB = dzA - outW * c;
            int dzC = dzA - 2 * outW * c;
            int wA = first * 3 * c;
            int xr = xOff + row * inW * c;
            int dxr = dxOff + row * inW * c;
            boolean ownA = biasOff >= 0 && (first == 0 || ih == 0);
            int from = 0;
            if (taps >= 2) {
                for (int ch = 0; ch < bound; ch += LEN) {
                    int b = ownA ? biasOff + ch : -1;
                    if (taps == 3) {
                        walk3(x, xr + ch, dz, dzA + ch, dzB + ch, dzC + ch, w, wOff + ch, dx, dxr + ch, acc,
                                accOff + ch, b, c, pad, outW, iHi, inW);
                    } else {
                        walk2(x, xr + ch, dz, dzA + ch, dzB + ch, w, wOff + wA + ch, dx, dxr + ch, acc,
                                accOff + wA + ch, b, c, pad, outW, iHi, inW);
                    }
                }
                from = bound;
            }
            if (from < c) {
                for (int i = 0; i < inW; i++) {
                    pixel(x, xr, dz, w, wOff, dx, dxr, acc, accOff, c, outW, pad, i, taps,
                            dzA, wA, dzB, wA + 3 * c, dzC, wA + 6 * c, from);
                }
            }
            // the owned dz rows' bias the walks did not sum: row A's other channels; rows B, C (first row)
            if (ownA) {
                rowSum(dz, dzA, outW, c, acc, biasOff, from);
            }
            if (biasOff >= 0 && ih == 0) {
                for (int r = 1; r < taps; r++) {
                    rowSum(dz, dzA - r * outW * c, outW, c, acc, biasOff, 0);
                }
            }
        }
    }

    /** {@code acc[biasOff + ch] += sum over the dz row at {@code at} of dz}, channels from {@code from}. */
    private static void rowSum(float[] dz, int at, int outW, int c, float[] acc, int biasOff, int from) {
        int bound = VecSpecies.bound(c);
        int ch = from;
        for (; ch < bound; ch += LEN) {
            FloatVector s = FloatVector.zero(F);
            for (int u = 0; u < outW; u++) {
                s = s.add(FloatVector.fromArray(F, dz, at + u * c + ch));
            }
            FloatVector.fromArray(F, acc, biasOff + ch).add(s).intoArray(acc, biasOff + ch);
        }
        for (; ch < c; ch++) {
            float s = 0;
            for (int u = 0; u < outW; u++) {
                s += dz[at + u * c + ch];
            }
            acc[biasOff + ch] += s;
        }
    }

    /**
     * Every pixel of the row (x and dx at {@code xr + i*c}) for one channel vector with three dz rows
     * (A, B, C: kernel rows 0, 1, 2): {@code dx = sum of dz * w}, {@code acc[tap] += sum of x * dz},
     * and with {@code bias >= 0} {@code acc[bias] +=} the sum of row A (each of its columns is
     * loaded once: the add is the only cost). Pixels from {@code iHi} (at most two) have no newest
     * column.
     */
    private static void walk3(float[] x, int xr, float[] dz, int a, int b, int cc, float[] w, int wc, float[] dx,
                              int dxr, float[] acc, int ac, int bias, int c, int pad, int outW, int iHi, int inW) {
        FloatVector w0 = FloatVector.fromArray(F, w, wc);
        FloatVector w1 = FloatVector.fromArray(F, w, wc + c);
        FloatVector w2 = FloatVector.fromArray(F, w, wc + 2 * c);
        FloatVector w3 = FloatVector.fromArray(F, w, wc + 3 * c);
        FloatVector w4 = FloatVector.fromArray(F, w, wc + 4 * c);
        FloatVector w5 = FloatVector.fromArray(F, w, wc + 5 * c);
        FloatVector w6 = FloatVector.fromArray(F, w, wc + 6 * c);
        FloatVector w7 = FloatVector.fromArray(F, w, wc + 7 * c);
        FloatVector w8 = FloatVector.fromArray(F, w, wc + 8 * c);
        FloatVector f0 = FloatVector.fromArray(F, acc, ac);
        FloatVector f1 = FloatVector.fromArray(F, acc, ac + c);
        FloatVector f2 = FloatVector.fromArray(F, acc, ac + 2 * c);
        FloatVector f3 = FloatVector.fromArray(F, acc, ac + 3 * c);
        FloatVector f4 = FloatVector.fromArray(F, acc, ac + 4 * c);
        FloatVector f5 = FloatVector.fromArray(F, acc, ac + 5 * c);
        FloatVector f6 = FloatVector.fromArray(F, acc, ac + 6 * c);
        FloatVector f7 = FloatVector.fromArray(F, acc, ac + 7 * c);
        FloatVector f8 = FloatVector.fromArray(F, acc, ac + 8 * c);
        // columns u - 1 and u - 2 for the first pixel (u = pad); zero outside [0, outW)
        FloatVector a1 = col(dz, a, pad - 1, c, outW), a2 = col(dz, a, pad - 2, c, outW);
        FloatVector b1 = col(dz, b, pad - 1, c, outW), b2 = col(dz, b, pad - 2, c, outW);
        FloatVector c1 = col(dz, cc, pad - 1, c, outW), c2 = col(dz, cc, pad - 2, c, outW);
        // row A's sum: columns pad - 2 and pad - 1 here, the rest as the loop loads them
        FloatVector sum = a1.add(a2);
        int i = 0;
        for (; i < iHi; i++) {
            int o = (i + pad) * c;
            FloatVector a0 = FloatVector.fromArray(F, dz, a + o);
            FloatVector b0 = FloatVector.fromArray(F, dz, b + o);
            FloatVector c0 = FloatVector.fromArray(F, dz, cc + o);
            FloatVector xv = FloatVector.fromArray(F, x, xr + i * c);
            f0 = a0.fma(xv, f0);
            f1 = a1.fma(xv, f1);
            f2 = a2.fma(xv, f2);
            f3 = b0.fma(xv, f3);
            f4 = b1.fma(xv, f4);
            f5 = b2.fma(xv, f5);
            f6 = c0.fma(xv, f6);
            f7 = c1.fma(xv, f7);
            f8 = c2.fma(xv, f8);
            a0.fma(w0, a1.fma(w1, a2.mul(w2))).add(b0.fma(w3, b1.fma(w4, b2.mul(w5))))
                    .add(c0.fma(w6, c1.fma(w7, c2.mul(w8)))).intoArray(dx, dxr + i * c);
            sum = sum.add(a0);
            a2 = a1;
            a1 = a0;
            b2 = b1;
            b1 = b0;
            c2 = c1;
            c1 = c0;
        }
        for (; i < inW; i++) {
            FloatVector xv = FloatVector.fromArray(F, x, xr + i * c);
            f1 = a1.fma(xv, f1);
            f2 = a2.fma(xv, f2);
            f4 = b1.fma(xv, f4);
            f5 = b2.fma(xv, f5);
            f7 = c1.fma(xv, f7);
            f8 = c2.fma(xv, f8);
            a1.fma(w1, a2.mul(w2)).add(b1.fma(w4, b2.mul(w5))).add(c1.fma(w7, c2.mul(w8)))
                    .intoArray(dx, dxr + i * c);
            a2 = a1;
            a1 = FloatVector.zero(F);
            b2 = b1;
            b1 = a1;
            c2 = c1;
            c1 = a1;
        }
        f0.intoArray(acc, ac);
        f1.intoArray(acc, ac + c);
        f2.intoArray(acc, ac + 2 * c);
        f3.intoArray(acc, ac + 3 * c);
        f4.intoArray(acc, ac + 4 * c);
        f5.intoArray(acc, ac + 5 * c);
        f6.intoArray(acc, ac + 6 * c);
        f7.intoArray(acc, ac + 7 * c);
        f8.intoArray(acc, ac + 8 * c);
        if (bias >= 0) {
            FloatVector.fromArray(F, acc, bias).add(sum).intoArray(acc, bias);
        }
    }

    /**
     * {@link #walk3} with two dz rows (A, B: the kernel rows from {@code w} and {@code acc} on):
     * the top and bottom rows of a padded plane.
     */
    private static void walk2(float[] x, int xr, float[] dz, int a, int b, float[] w, int wc, float[] dx, int dxr,
                              float[] acc, int ac, int bias, int c, int pad, int outW, int iHi, int inW) {
        FloatVector w0 = FloatVector.fromArray(F, w, wc);
        FloatVector w1 = FloatVector.fromArray(F, w, wc + c);
        FloatVector w2 = FloatVector.fromArray(F, w, wc + 2 * c);
        FloatVector w3 = FloatVector.fromArray(F, w, wc + 3 * c);
        FloatVector w4 = FloatVector.fromArray(F, w, wc + 4 * c);
        FloatVector w5 = FloatVector.fromArray(F, w, wc + 5 * c);
        FloatVector f0 = FloatVector.fromArray(F, acc, ac);
        FloatVector f1 = FloatVector.fromArray(F, acc, ac + c);
        FloatVector f2 = FloatVector.fromArray(F, acc, ac + 2 * c);
        FloatVector f3 = FloatVector.fromArray(F, acc, ac + 3 * c);
        FloatVector f4 = FloatVector.fromArray(F, acc, ac + 4 * c);
        FloatVector f5 = FloatVector.fromArray(F, acc, ac + 5 * c);
        FloatVector a1 = col(dz, a, pad - 1, c, outW), a2 = col(dz, a, pad - 2, c, outW);
        FloatVector b1 = col(dz, b, pad - 1, c, outW), b2 = col(dz, b, pad - 2, c, outW);
        FloatVector sum = a1.add(a2);
        int i = 0;
        for (; i < iHi; i++) {
            int o = (i + pad) * c;
            FloatVector a0 = FloatVector.fromArray(F, dz, a + o);
            FloatVector b0 = FloatVector.fromArray(F, dz, b + o);
            FloatVector xv = FloatVector.fromArray(F, x, xr + i * c);
            f0 = a0.fma(xv, f0);
            f1 = a1.fma(xv, f1);
            f2 = a2.fma(xv, f2);
            f3 = b0.fma(xv, f3);
            f4 = b1.fma(xv, f4);
            f5 = b2.fma(xv, f5);
            a0.fma(w0, a1.fma(w1, a2.mul(w2))).add(b0.fma(w3, b1.fma(w4, b2.mul(w5)))).intoArray(dx, dxr + i * c);
            sum = sum.add(a0);
            a2 = a1;
            a1 = a0;
            b2 = b1;
            b1 = b0;
        }
        for (; i < inW; i++) {
            FloatVector xv = FloatVector.fromArray(F, x, xr + i * c);
            f1 = a1.fma(xv, f1);
            f2 = a2.fma(xv, f2);
            f4 = b1.fma(xv, f4);
            f5 = b2.fma(xv, f5);
            a1.fma(w1, a2.mul(w2)).add(b1.fma(w4, b2.mul(w5))).intoArray(dx, dxr + i * c);
            a2 = a1;
            a1 = FloatVector.zero(F);
            b2 = b1;
            b1 = a1;
        }
        f0.intoArray(acc, ac);
        f1.intoArray(acc, ac + c);
        f2.intoArray(acc, ac + 2 * c);
        f3.intoArray(acc, ac + 3 * c);
        f4.intoArray(acc, ac + 4 * c);
        f5.intoArray(acc, ac + 5 * c);
        if (bias >= 0) {
            FloatVector.fromArray(F, acc, bias).add(sum).intoArray(acc, bias);
        }
    }

    /** dz column {@code u} of the row at {@code at}, or zero outside {@code [0, outW)}. */
    private static FloatVector col(float[] dz, int at, int u, int c, int outW) {
        return u >= 0 && u < outW ? FloatVector.fromArray(F, dz, at + u * c) : FloatVector.zero(F);
    }

    /**
     * Input pixel {@code i} of the row at {@code xr} / {@code dxr}, channels from {@code from}:
     * {@code dx = sum of dz * w} and {@code acc[tap] += x * dz} over the {@code rows} dz rows (at
     * {@code dz0..dz2}, their kernel rows at {@code w0..w2} into w and acc) and the kernel columns kw
     * whose output {@code i + pad - kw} exists. For rows with one dz row and the channels past the
     * last full vector: the tests and the filter sums kept in memory cost little there.
     */
    private static void pixel(float[] x, int xr, float[] dz, float[] w, int wOff, float[] dx, int dxr, float[] acc,
                      int accOff, int c, int outW, int pad, int i, int rows, int dz0, int w0, int dz1,
                      int w1, int dz2, int w2, int from) {
        int bound = VecSpecies.bound(c);
        int xi = xr + i * c;
        int dxi = dxr + i * c;
        int ch = from;
        for (; ch < bound; ch += LEN) {
            FloatVector xv = FloatVector.fromArray(F, x, xi + ch);
            FloatVector s = FloatVector.zero(F);
            for (int r = 0; r < rows; r++) {
                int dzRow = (r == 0 ? dz0 : r == 1 ? dz1 : dz2) + ch;
                int wRow = r == 0 ? w0 : r == 1 ? w1 : w2;
                for (int kw = 0; kw < 3; kw++) {
                    int v = i + pad - kw;
                    if (v < 0 || v >= outW) {
                        continue;
                    }
                    FloatVector d = FloatVector.fromArray(F, dz, dzRow + v * c);
                    int t = wRow + kw * c + ch;
                    s = d.fma(FloatVector.fromArray(F, w, wOff + t), s);
                    d.fma(xv, FloatVector.fromArray(F, acc, accOff + t)).intoArray(acc, accOff + t);
                }
            }
            s.intoArray(dx, dxi + ch);
        }
        for (; ch < c; ch++) {
            float xv = x[xi + ch];
            float s = 0;
            for (int r = 0; r < rows; r++) {
                int dzRow = (r == 0 ? dz0 : r == 1 ? dz1 : dz2) + ch;
                int wRow = r == 0 ? w0 : r == 1 ? w1 : w2;
                for (int kw = 0; kw < 3; kw++) {
                    int v = i + pad - kw;
                    if (v < 0 || v >= outW) {
                        continue;
                    }
                    float d = dz[dzRow + v * c];
                    int t = wRow + kw * c + ch;
                    s = Math.fma(d, w[wOff + t], s);
                    acc[accOff + t] = Math.fma(xv, d, acc[accOff + t]);
                }
            }
            dx[dxi + ch] = s;
        }
    }
}
