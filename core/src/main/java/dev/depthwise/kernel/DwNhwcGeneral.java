package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;

/**
 * Depthwise convolution, channels-last, any kernel size, stride and dilation, 1-D to 3-D (the
 * geometry is canonical 3-D): one vector of output channels at a time, {@code [bias | taps]} weights
 * from {@link DwWeightsPacked}, bias and activation applied in registers before the store. Padding
 * costs no test per tap: each output row computes its valid depth and height taps once, each pixel
 * its valid width taps once, and the loops run over those ranges only.
 *
 * <p>x and y are dense channels-last with {@code g.k} channels a pixel: x holds one input channel per
 * output channel (with a multiplier above 1 the caller has repeated the input channels), image
 * {@code n} of x starts at {@code xOff + n*inD*inH*inW*k}, output row {@code r} (the flat index
 * {@code (n*outD + od)*outH + oh}) of y at {@code yOff + r*outW*k}.
 */
public final class DwNhwcGeneral {
    private DwNhwcGeneral() {
    }

    /**
     * Output rows {@code [rowFrom, rowTo)}, channels {@code [cFrom, cTo)} ({@code cFrom} a multiple of
     * {@link VecSpecies#LEN}); {@code act} is a {@link DwActivation} code.
     */
    public static void rows(ConvGeometry g, float[] x, int xOff, float[] w, int act, float alpha,
                            float[] y, int yOff, int rowFrom, int rowTo, int cFrom, int cTo) {
        int k = g.k;
        int image = g.inD * g.inH * g.inW * k;
        for (int r = rowFrom; r < rowTo; r++) {
            int oh = r % g.outH;
            int od = r / g.outH % g.outD;
            int n = r / g.outH / g.outD;
            int d0 = od * g.sD - g.padD;
            int h0 = oh * g.sH - g.padH;
            pixels(g, x, xOff + n * image, w, act, alpha, y, yOff + r * g.outW * k,
                    d0, DwTaps.first(d0, g.dD), DwTaps.end(d0, g.dD, g.kD, g.inD),
                    h0, DwTaps.first(h0, g.dH), DwTaps.end(h0, g.dH, g.kH, g.inH), 0, g.outW, cFrom, cTo);
        }
    }

    /**
     * Pixels {@code [owFrom, owTo)} of one output row whose window starts at input depth {@code d0}
     * and height {@code h0}, with valid depth taps {@code [i0, i1)} and height taps {@code [j0, j1)};
     * x image at {@code xImg}, output row at {@code yRow}.
     */
    public static void pixels(ConvGeometry g, float[] x, int xImg, float[] w, int act, float alpha,
                              float[] y, int yRow, int d0, int i0, int i1, int h0, int j0, int j1,
                              int owFrom, int owTo, int cFrom, int cTo) {
        int k = g.k;
        int xW = k, xH = g.inW * k, xD = g.inH * xH;
        int taps = g.kD * g.kH * g.kW;
        int block = LEN * (1 + taps);
        int vecEnd = cFrom + VecSpecies.bound(cTo - cFrom);
        int step = g.sW * xW;
        int wideFrom = Math.max(owFrom, DwTaps.interiorFrom(g.padW, g.sW, g.outW));
        int wideTo = Math.min(owTo, DwTaps.interiorTo(g.padW, g.sW, (g.kW - 1) * g.dW + 1, g.inW, g.outW, wideFrom));
        int ow = owFrom;
        if (wideFrom < wideTo) {
            single(g, x, xImg, w, act, alpha, y, yRow, d0, i0, i1, h0, j0, j1, ow, wideFrom, cFrom, cTo);
            ow = wideFrom;
            // Interior pixels share the full width range of taps: four at a time, four independent
            // accumulator chains, each weight vector loaded once for the four.
            for (; ow + 4 <= wideTo; ow += 4) {
                int w0 = ow * g.sW - g.padW;
                int yo = yRow + ow * k;
                int c = cFrom;
                for (int p = c / LEN * block; c < vecEnd; c += LEN, p += block) {
                    FloatVector a0 = FloatVector.fromArray(F, w, p);
                    FloatVector a1 = a0, a2 = a0, a3 = a0;
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0; j < j1; j++) {
                            int xo = xImg + (d0 + i * g.dD) * xD + (h0 + j * g.dH) * xH + w0 * xW + c;
                            int wo = p + (1 + (i * g.kH + j) * g.kW) * LEN;
                            for (int l = 0; l < g.kW; l++) {
                                FloatVector f = FloatVector.fromArray(F, w, wo + l * LEN);
                                int xl = xo + l * g.dW * xW;
                                a0 = FloatVector.fromArray(F, x, xl).fma(f, a0);
                                a1 = FloatVector.fromArray(F, x, xl + step).fma(f, a1);
                                a2 = FloatVector.fromArray(F, x, xl + 2 * step).fma(f, a2);
                                a3 = FloatVector.fromArray(F, x, xl + 3 * step).fma(f, a3);
                            }
                        }
                    }
                    DwActivation.apply(a0, act, alpha).intoArray(y, yo + c);
                    DwActivation.apply(a1, act, alpha).intoArray(y, yo + k + c);
                    DwActivation.apply(a2, act, alpha).intoArray(y, yo + 2 * k + c);
                    DwActivation.apply(a3, act, alpha).intoArray(y, yo + 3 * k + c);
                }
                if (c < cTo) {
                    single(g, x, xImg, w, act, alpha, y, yRow, d0, i0, i1, h0, j0, j1, ow, ow + 4, c, cTo);
                }
            }
        }
        single(g, x, xImg, w, act, alpha, y, yRow, d0, i0, i1, h0, j0, j1, ow, owTo, cFrom, cTo);
    }

    /** As {@link #pixels}, one pixel at a time. */
    private static void single(ConvGeometry g, float[] x, int xImg, float[] w, int act, float alpha,
                               float[] y, int yRow, int d0, int i0, int i1, int h0, int j0, int j1,
                               int owFrom, int owTo, int cFrom, int cTo) {
        int k = g.k;
        int xW = k, xH = g.inW * k, xD = g.inH * xH;
        int taps = g.kD * g.kH * g.kW;
        int block = LEN * (1 + taps);
        int vecEnd = cFrom + VecSpecies.bound(cTo - cFrom);
        for (int ow = owFrom; ow < owTo; ow++) {
            int w0 = ow * g.sW - g.padW;
            int l0 = DwTaps.first(w0, g.dW);
            int l1 = DwTaps.end(w0, g.dW, g.kW, g.inW);
            int yo = yRow + ow * k;
            int c = cFrom;
            for (int p = c / LEN * block; c < vecEnd; c += LEN, p += block) {
                FloatVector acc = FloatVector.fromArray(F, w, p);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        int xo = xImg + (d0 + i * g.dD) * xD + (h0 + j * g.dH) * xH + w0 * xW + c;
                        int wo = p + (1 + (i * g.kH + j) * g.kW) * LEN;
                        for (int l = l0; l < l1; l++) {
                            acc = FloatVector.fromArray(F, x, xo + l * g.dW * xW)
                                    .fma(FloatVector.fromArray(F, w, wo + l * LEN), acc);
                        }
                    }
                }
                DwActivation.apply(acc, act, alpha).intoArray(y, yo + c);
            }
            for (; c < cTo; c++) {
                int p = c / LEN * block + c % LEN;
                float acc = w[p];
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        int xo = xImg + (d0 + i * g.dD) * xD + (h0 + j * g.dH) * xH + w0 * xW + c;
                        int wo = p + (1 + (i * g.kH + j) * g.kW) * LEN;
                        for (int l = l0; l < l1; l++) {
                            acc += x[xo + l * g.dW * xW] * w[wo + l * LEN];
                        }
                    }
                }
                y[yo + c] = DwActivation.apply(acc, act, alpha);
            }
        }
    }
}
