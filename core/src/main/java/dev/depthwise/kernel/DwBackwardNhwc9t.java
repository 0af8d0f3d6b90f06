package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Input and filter gradients of a zero-padded depthwise convolution in one pass, channels-last,
 * vectorised over channels, up to 9 taps a pass (then 4, 2, 1).
 *
 * <p>Every term of both gradients is one triple (input i, output o, tap k) with
 * {@code i = o*s - pad + k*d}: {@code dx[i] += dz[o] * w[k]} and {@code dw[k] += x[i] * dz[o]}. The
 * kernel walks the triples input by input, as a gather (a transposed convolution): each input
 * element sums the output gradients it contributed to, so every {@code dx} element is written
 * exactly once, by the thread that owns its row, with no scatter races and no zeroing pass; and
 * each {@code dz} load serves both gradients. Along one axis the inputs {@code i = r + s*j} of one
 * residue {@code r} all meet the same taps (those with {@code (r + pad - k*d) % s == 0}) at outputs
 * {@code o = j + q_k}, a stride-1 pattern: so per input row and residue one table of
 * (dz offset, tap offset) pairs serves every interior pixel, and the hot loop tests no tap against
 * the borders.
 * Pixels near the row ends, where some of those outputs do not exist, get a table of their own.
 * The table is walked 9 pairs a pass (a 3x3 filter at stride 1 in one), else 4, 2, 1: along the
 * pixels of a pass its weights and filter sums stay in registers, so each pixel costs one x load,
 * one dz load per tap, two FMAs per tap, and one dx store (plus a dx load after the first pass).
 *
 * <p>The filter gradient is added into {@code acc} (never overwritten), so threads that split the
 * input rows each get their own {@code acc}, and the op sums them in a fixed order: the result
 * depends on the thread count, not on timing.
 *
 * <p>Layouts: x and dx NDHWC; dz {@code [n][od][oh][ow][m][c]} (output channel {@code c*M + m} split
 * into M planes of C channels; for M = 1 plain NDHWC); w and acc {@code [kd][kh][kw][m][c]}. Sizes,
 * strides, dilations and padding come from the geometry; its element strides are not read (the op
 * has brought the data to these layouts).
 */
public final class DwBackwardNhwc9t {
    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int LEN = VecSpecies.LEN;

    private DwBackwardNhwc9t() {
    }

    /** Length of the {@code scratch} ints {@link #rows} needs. */
    public static int scratchLength(ConvGeometry g) {
        int taps = g.kD * g.kH * g.kW;
        return 2 * g.kD * g.kH + 2 * g.kW + 4 * taps * g.kPerGroup;
    }

    /**
     * Writes every element of the {@code dx} rows {@code [rowFrom, rowTo)} (a row being one
     * {@code (n, id, ih)}: {@code inW * C} floats from {@code dxOff + row * inW * C}) and adds the
     * filter gradient terms of those input rows to {@code acc}.
     */
    public static void rows(ConvGeometry g, float[] x, int xOff, float[] dz, int dzOff, float[] w, int wOff,
                            float[] dx, int dxOff, float[] acc, int accOff, int rowFrom, int rowTo, int[] scratch) {
        final int c = g.c, k = g.k, m = g.kPerGroup, kW = g.kW, sW = g.sW;
        final int colTaps = 2 * g.kD * g.kH;             // rowTaps first: pairs (dz row offset, first tap)
        final int inner = colTaps + 2 * kW;              // colTaps: pairs (kw, q)
        final int edge = inner + 2 * g.kD * g.kH * kW * m; // tables: pairs (dz offset at j = 0, tap offset)
        for (int row = rowFrom; row < rowTo; row++) {
            int ih = row % g.inH;
            int id = row / g.inH % g.inD;
            int n = row / g.inH / g.inD;
            int nRow = 0;
            for (int kd = 0; kd < g.kD; kd++) {
                int od = outIndex(id, g.padD, kd, g.dD, g.sD, g.outD);
                if (od < 0) {
                    continue;
                }
                for (int kh = 0; kh < g.kH; kh++) {
                    int oh = outIndex(ih, g.padH, kh, g.dH, g.sH, g.outH);
                    if (oh < 0) {
                        continue;
                    }
                    scratch[2 * nRow] = dzOff + ((n * g.outD + od) * g.outH + oh) * g.outW * k;
                    scratch[2 * nRow + 1] = (kd * g.kH + kh) * kW;
                    nRow++;
                }
            }
            int rowStart = row * g.inW * c;
            for (int r = 0; r < sW && r < g.inW; r++) {
                int pixels = (g.inW - r + sW - 1) / sW;
                int nCol = 0;
                int jLo = 0;
                int jHi = pixels;
                for (int kw = 0; kw < kW; kw++) {
                    int p = r + g.padW - kw * g.dW;
                    if (Math.floorMod(p, sW) != 0) {
                        continue;
                    }
                    int q = Math.floorDiv(p, sW);
                    scratch[colTaps + 2 * nCol] = kw;
                    scratch[colTaps + 2 * nCol + 1] = q;
                    nCol++;
                    jLo = Math.max(jLo, -q);
                    jHi = Math.min(jHi, g.outW - q);
                }
                jLo = Math.min(jLo, pixels);
                jHi = Math.max(jHi, jLo);
                int entries = table(scratch, inner, nRow, nCol, colTaps, -1, g.outW, k, c, m);
                int at = rowStart + r * c;
                gather(x, xOff + at, dz, w, wOff, dx, dxOff + at, sW * c, k, acc, accOff, scratch, inner, entries,
                        jLo, jHi, c);
                for (int j = jLo == 0 ? jHi : 0; j < pixels; j = j + 1 == jLo ? jHi : j + 1) {
                    int e = table(scratch, edge, nRow, nCol, colTaps, j, g.outW, k, c, m);
                    gather(x, xOff + at, dz, w, wOff, dx, dxOff + at, sW * c, k, acc, accOff, scratch, edge, e, j,
                            j + 1, c);
                }
            }
        }
    }

    /**
     * The output index that input {@code i} meets through tap {@code t} on one axis, or -1 when the
     * stride skips it or it lies outside {@code [0, out)}.
     */
    private static int outIndex(int i, int pad, int t, int dil, int stride, int out) {
        int p = i + pad - t * dil;
        if (p < 0 || p % stride != 0) {
            return -1;
        }
        int o = p / stride;
        return o < out ? o : -1;
    }

    /**
     * Fills pairs (dz offset at pixel j = 0, tap offset into w and acc) at {@code at} for every row
     * tap, column tap and plane; with {@code j >= 0} only the column taps whose output
     * {@code j + q} exists. Returns the number of pairs.
     */
    private static int table(int[] s, int at, int nRow, int nCol, int colTaps, int j, int outW, int k, int c,
                             int m) {
        int e = 0;
        for (int a = 0; a < nRow; a++) {
            int dzRow = s[2 * a];
            int tap0 = s[2 * a + 1];
            for (int b = 0; b < nCol; b++) {
                int kw = s[colTaps + 2 * b];
                int q = s[colTaps + 2 * b + 1];
                if (j >= 0 && (j + q < 0 || j + q >= outW)) {
                    continue;
                }
                for (int p = 0; p < m; p++) {
                    s[at + 2 * e] = dzRow + q * k + p * c;
                    s[at + 2 * e + 1] = (tap0 + kw) * k + p * c;
                    e++;
                }
            }
        }
        return e;
    }

    /**
     * For pixels {@code j} in {@code [j0, j1)} (x and dx at {@code base + j*step}, dz at
     * {@code off + j*dzStep} for each table pair): {@code dx = sum over the table of dz * w[tap]}
     * and {@code acc[tap] += sum over j of x * dz}. The table is taken 9, 4, 2 or 1 pairs a pass, their
     * weights and filter sums held in registers along the pixels; dx collects the passes.
     */
    private static void gather(float[] x, int xBase, float[] dz, float[] w, int wOff, float[] dx, int dxBase,
                               int step, int dzStep, float[] acc, int accOff, int[] tab, int at, int entries, int j0,
                               int j1, int channels) {
        if (j0 >= j1) {
            return;
        }
        int end = at + 2 * entries;
        int bound = VecSpecies.bound(channels);
        int c = 0;
        for (; c < bound; c += LEN) {
            int xc = xBase + c;
            int dxc = dxBase + c;
            int wc = wOff + c;
            int ac = accOff + c;
            int e = at;
            boolean first = true;
            for (; e + 18 <= end; e += 18) {
                pass9(tab, e, c, x, xc, dz, w, wc, dx, dxc, acc, ac, step, dzStep, j0, j1, first);
                first = false;
            }
            for (; e + 8 <= end; e += 8) {
                pass4(tab, e, c, x, xc, dz, w, wc, dx, dxc, acc, ac, step, dzStep, j0, j1, first);
                first = false;
            }
            if (e + 4 <= end) {
                pass2(tab, e, c, x, xc, dz, w, wc, dx, dxc, acc, ac, step, dzStep, j0, j1, first);
                first = false;
                e += 4;
            }
            if (e < end) {
                pass1(tab, e, c, x, xc, dz, w, wc, dx, dxc, acc, ac, step, dzStep, j0, j1, first);
                first = false;
            }
            if (first) {
                FloatVector zero = FloatVector.zero(F);
                for (int j = j0; j < j1; j++) {
                    zero.intoArray(dx, dxBase + c + j * step);
                }
            }
        }
        for (; c < channels; c++) {
            for (int j = j0; j < j1; j++) {
                float xv = x[xBase + c + j * step];
                float s = 0;
                for (int e = at; e < end; e += 2) {
                    float d = dz[tab[e] + j * dzStep + c];
                    int t = tab[e + 1] + c;
                    s = Math.fma(d, w[wOff + t], s);
                    acc[accOff + t] = Math.fma(xv, d, acc[accOff + t]);
                }
                dx[dxBase + c + j * step] = s;
            }
        }
    }

    /**
     * One pass of the channel vector at {@code c} over pixels {@code [j0, j1)} with the table pairs
     * from {@code e}: {@code dx = (first ? 0 : dx) + sum of dz * w} and {@code acc[tap] += sum over
     * the pixels of x * dz}. The four variants differ only in how many pairs they hold (9, 4, 2, 1):
     * a loop over the pairs would keep its vectors in memory, not in registers. The filter sums start
     * from {@code acc} and are stored back, not added at the end: the add calls pushed pass9 over C2's
     * inlining node budget, and its last vectors were then boxed (heap allocation on every pass).
     */
    private static void pass9(int[] tab, int e, int c, float[] x, int xc, float[] dz, float[] w, int wc, float[] dx,
                              int dxc, float[] acc, int accC, int step, int dzStep, int j0, int j1, boolean first) {
        int o0 = tab[e] + c;
        int o1 = tab[e + 2] + c;
        int o2 = tab[e + 4] + c;
        int o3 = tab[e + 6] + c;
        int o4 = tab[e + 8] + c;
        int o5 = tab[e + 10] + c;
        int o6 = tab[e + 12] + c;
        int o7 = tab[e + 14] + c;
        int o8 = tab[e + 16] + c;
        FloatVector w0 = FloatVector.fromArray(F, w, tab[e + 1] + wc);
        FloatVector w1 = FloatVector.fromArray(F, w, tab[e + 3] + wc);
        FloatVector w2 = FloatVector.fromArray(F, w, tab[e + 5] + wc);
        FloatVector w3 = FloatVector.fromArray(F, w, tab[e + 7] + wc);
        FloatVector w4 = FloatVector.fromArray(F, w, tab[e + 9] + wc);
        FloatVector w5 = FloatVector.fromArray(F, w, tab[e + 11] + wc);
        FloatVector w6 = FloatVector.fromArray(F, w, tab[e + 13] + wc);
        FloatVector w7 = FloatVector.fromArray(F, w, tab[e + 15] + wc);
        FloatVector w8 = FloatVector.fromArray(F, w, tab[e + 17] + wc);
        FloatVector f0 = FloatVector.fromArray(F, acc, accC + tab[e + 1]);
        FloatVector f1 = FloatVector.fromArray(F, acc, accC + tab[e + 3]);
        FloatVector f2 = FloatVector.fromArray(F, acc, accC + tab[e + 5]);
        FloatVector f3 = FloatVector.fromArray(F, acc, accC + tab[e + 7]);
        FloatVector f4 = FloatVector.fromArray(F, acc, accC + tab[e + 9]);
        FloatVector f5 = FloatVector.fromArray(F, acc, accC + tab[e + 11]);
        FloatVector f6 = FloatVector.fromArray(F, acc, accC + tab[e + 13]);
        FloatVector f7 = FloatVector.fromArray(F, acc, accC + tab[e + 15]);
        FloatVector f8 = FloatVector.fromArray(F, acc, accC + tab[e + 17]);
        for (int j = j0; j < j1; j++) {
            int o = j * dzStep;
            int i = j * step;
            FloatVector xv = FloatVector.fromArray(F, x, xc + i);
            FloatVector d0 = FloatVector.fromArray(F, dz, o0 + o);
            FloatVector d1 = FloatVector.fromArray(F, dz, o1 + o);
            FloatVector d2 = FloatVector.fromArray(F, dz, o2 + o);
            FloatVector d3 = FloatVector.fromArray(F, dz, o3 + o);
            FloatVector d4 = FloatVector.fromArray(F, dz, o4 + o);
            FloatVector d5 = FloatVector.fromArray(F, dz, o5 + o);
            FloatVector d6 = FloatVector.fromArray(F, dz, o6 + o);
            FloatVector d7 = FloatVector.fromArray(F, dz, o7 + o);
            FloatVector d8 = FloatVector.fromArray(F, dz, o8 + o);
            f0 = d0.fma(xv, f0);
            f1 = d1.fma(xv, f1);
            f2 = d2.fma(xv, f2);
            f3 = d3.fma(xv, f3);
            f4 = d4.fma(xv, f4);
            f5 = d5.fma(xv, f5);
            f6 = d6.fma(xv, f6);
            f7 = d7.fma(xv, f7);
            f8 = d8.fma(xv, f8);
            FloatVector s = d0.fma(w0, d1.mul(w1)).add(d2.fma(w2, d3.mul(w3)))
                    .add(d4.fma(w4, d5.mul(w5)).add(d6.fma(w6, d7.fma(w7, d8.mul(w8)))));
            if (!first) {
                s = s.add(FloatVector.fromArray(F, dx, dxc + i));
            }
            s.intoArray(dx, dxc + i);
        }
        f0.intoArray(acc, accC + tab[e + 1]);
        f1.intoArray(acc, accC + tab[e + 3]);
        f2.intoArray(acc, accC + tab[e + 5]);
        f3.intoArray(acc, accC + tab[e + 7]);
        f4.intoArray(acc, accC + tab[e + 9]);
        f5.intoArray(acc, accC + tab[e + 11]);
        f6.intoArray(acc, accC + tab[e + 13]);
        f7.intoArray(acc, accC + tab[e + 15]);
        f8.intoArray(acc, accC + tab[e + 17]);
    }

    private static void pass4(int[] tab, int e, int c, float[] x, int xc, float[] dz, float[] w, int wc, float[] dx,
                              int dxc, float[] acc, int accC, int step, int dzStep, int j0, int j1, boolean first) {
        int o0 = tab[e] + c;
        int o1 = tab[e + 2] + c;
        int o2 = tab[e + 4] + c;
        int o3 = tab[e + 6] + c;
        FloatVector w0 = FloatVector.fromArray(F, w, tab[e + 1] + wc);
        FloatVector w1 = FloatVector.fromArray(F, w, tab[e + 3] + wc);
        FloatVector w2 = FloatVector.fromArray(F, w, tab[e + 5] + wc);
        FloatVector w3 = FloatVector.fromArray(F, w, tab[e + 7] + wc);
        FloatVector f0 = FloatVector.fromArray(F, acc, accC + tab[e + 1]);
        FloatVector f1 = FloatVector.fromArray(F, acc, accC + tab[e + 3]);
        FloatVector f2 = FloatVector.fromArray(F, acc, accC + tab[e + 5]);
        FloatVector f3 = FloatVector.fromArray(F, acc, accC + tab[e + 7]);
        for (int j = j0; j < j1; j++) {
            int o = j * dzStep;
            int i = j * step;
            FloatVector xv = FloatVector.fromArray(F, x, xc + i);
            FloatVector d0 = FloatVector.fromArray(F, dz, o0 + o);
            FloatVector d1 = FloatVector.fromArray(F, dz, o1 + o);
            FloatVector d2 = FloatVector.fromArray(F, dz, o2 + o);
            FloatVector d3 = FloatVector.fromArray(F, dz, o3 + o);
            f0 = d0.fma(xv, f0);
            f1 = d1.fma(xv, f1);
            f2 = d2.fma(xv, f2);
            f3 = d3.fma(xv, f3);
            FloatVector s = d0.fma(w0, d1.mul(w1)).add(d2.fma(w2, d3.mul(w3)));
            if (!first) {
                s = s.add(FloatVector.fromArray(F, dx, dxc + i));
            }
            s.intoArray(dx, dxc + i);
        }
        f0.intoArray(acc, accC + tab[e + 1]);
        f1.intoArray(acc, accC + tab[e + 3]);
        f2.intoArray(acc, accC + tab[e + 5]);
        f3.intoArray(acc, accC + tab[e + 7]);
    }

    private static void pass2(int[] tab, int e, int c, float[] x, int xc, float[] dz, float[] w, int wc, float[] dx,
                              int dxc, float[] acc, int accC, int step, int dzStep, int j0, int j1, boolean first) {
        int o0 = tab[e] + c;
        int o1 = tab[e + 2] + c;
        FloatVector w0 = FloatVector.fromArray(F, w, tab[e + 1] + wc);
        FloatVector w1 = FloatVector.fromArray(F, w, tab[e + 3] + wc);
        FloatVector f0 = FloatVector.fromArray(F, acc, accC + tab[e + 1]);
        FloatVector f1 = FloatVector.fromArray(F, acc, accC + tab[e + 3]);
        for (int j = j0; j < j1; j++) {
            int o = j * dzStep;
            int i = j * step;
            FloatVector xv = FloatVector.fromArray(F, x, xc + i);
            FloatVector d0 = FloatVector.fromArray(F, dz, o0 + o);
            FloatVector d1 = FloatVector.fromArray(F, dz, o1 + o);
            f0 = d0.fma(xv, f0);
            f1 = d1.fma(xv, f1);
            FloatVector s = d0.fma(w0, d1.mul(w1));
            if (!first) {
                s = s.add(FloatVector.fromArray(F, dx, dxc + i));
            }
            s.intoArray(dx, dxc + i);
        }
        f0.intoArray(acc, accC + tab[e + 1]);
        f1.intoArray(acc, accC + tab[e + 3]);
    }

    private static void pass1(int[] tab, int e, int c, float[] x, int xc, float[] dz, float[] w, int wc, float[] dx,
                              int dxc, float[] acc, int accC, int step, int dzStep, int j0, int j1, boolean first) {
        int o0 = tab[e] + c;
        FloatVector w0 = FloatVector.fromArray(F, w, tab[e + 1] + wc);
        FloatVector f0 = FloatVector.fromArray(F, acc, accC + tab[e + 1]);
        for (int j = j0; j < j1; j++) {
            int o = j * dzStep;
            int i = j * step;
            FloatVector xv = FloatVector.fromArray(F, x, xc + i);
            FloatVector d0 = FloatVector.fromArray(F, dz, o0 + o);
            f0 = d0.fma(xv, f0);
            FloatVector s = d0.mul(w0);
            if (!first) {
                s = s.add(FloatVector.fromArray(F, dx, dxc + i));
            }
            s.intoArray(dx, dxc + i);
        }
        f0.intoArray(acc, accC + tab[e + 1]);
    }
}
