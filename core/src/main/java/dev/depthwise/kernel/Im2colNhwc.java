package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The im2col step of a full or grouped convolution over a channels-last input: the receptive fields
 * of a run of output pixels copied into the rows of a matrix, so that the convolution becomes one
 * GEMM per group ({@code Y[pixels x O] = cols . W}). Row {@code r} holds pixel {@code q0 + r}
 * (pixels numbered over the whole batch, {@code q = n*outPixels + p}); its columns are the taps in
 * filter order (d, h, w) and, within a tap, the group's channels: {@code (tap*cg + ci)}, which for
 * the {@code [k..., C/g, O]} filter layout is exactly the filter's row order. Taps in the zero
 * padding are written as zeros, so the GEMM needs no padding logic at all. The valid taps of a
 * kernel row are found once per row (not a branch per tap), and with stride-1 taps of an ungrouped
 * input a kernel row is one contiguous run of the input.
 */
public final class Im2colNhwc {
    private static final VectorSpecies<Float> F = VecSpecies.F;
    private static final int L = VecSpecies.LEN;

    private Im2colNhwc() {
    }

    /**
     * Rows {@code [0, q1 - q0)} of the column matrix, at {@code cols[colsOff + r*ld + col]}
     * ({@code ld >= taps*cg}), from the {@code cg} channels starting at channel {@code c0} of
     * {@code x} (channels-last, geometry {@code g}; {@code xOff} is where x starts).
     */
    public static void copy(ConvGeometry g, float[] x, int xOff, int c0, int cg, int q0, int q1,
                            float[] cols, int colsOff, int ld) {
        int outPixels = g.outD * g.outH * g.outW;
        int rowW = g.kW * cg;
        // one copy per kernel row when its taps are adjacent in x: stride-1 taps over all channels
        boolean runs = g.dW == 1 && cg == g.c;
        for (int q = q0; q < q1; q++) {
            int n = q / outPixels;
            int p = q - n * outPixels;
            int od = p / (g.outH * g.outW);
            int oh = p / g.outW - od * g.outH;
            int ow = p - (od * g.outH + oh) * g.outW;
            int row = colsOff + (q - q0) * ld;
            int wBase = ow * g.sW - g.padW;
            int l0 = firstTap(wBase, g.dW, g.kW);
            int l1 = Math.max(l0, endTap(wBase, g.dW, g.inW, g.kW));
            int image = xOff + n * g.xN + c0;
            for (int i = 0; i < g.kD; i++) {
                int id = od * g.sD - g.padD + i * g.dD;
                if (id < 0 || id >= g.inD) {
                    zero(cols, row + i * g.kH * rowW, g.kH * rowW);
                    continue;
                }
                for (int j = 0; j < g.kH; j++) {
                    int ih = oh * g.sH - g.padH + j * g.dH;
                    int dst = row + (i * g.kH + j) * rowW;
                    if (ih < 0 || ih >= g.inH) {
                        zero(cols, dst, rowW);
                        continue;
                    }
                    zero(cols, dst, l0 * cg);
                    int src = image + id * g.xD + ih * g.xH + wBase * g.xW;
                    if (runs) {
                        move(x, src + l0 * g.xW, cols, dst + l0 * cg, (l1 - l0) * cg);
                    } else {
                        for (int l = l0; l < l1; l++) {
                            move(x, src + l * g.dW * g.xW, cols, dst + l * cg, cg);
                        }
                    }
                    zero(cols, dst + l1 * cg, (g.kW - l1) * cg);
                }
            }
        }
    }

    /** The first tap {@code l} with {@code base + l*dil >= 0}, at most {@code k}. */
    public static int firstTap(int base, int dil, int k) {
        return base >= 0 ? 0 : Math.min(k, (-base + dil - 1) / dil);
    }

    /** One past the last tap {@code l < k} with {@code base + l*dil < size} (0 when none). */
    public static int endTap(int base, int dil, int size, int k) {
        return base >= size ? 0 : Math.min(k, (size - base + dil - 1) / dil);
    }

    private static void move(float[] src, int so, float[] dst, int dOff, int len) {
        int c = 0;
        for (; c < VecSpecies.bound(len); c += L) {
            FloatVector.fromArray(F, src, so + c).intoArray(dst, dOff + c);
        }
        for (; c < len; c++) {
            dst[dOff + c] = src[so + c];
        }
    }

    private static void zero(float[] dst, int off, int len) {
        int c = 0;
        for (; c < VecSpecies.bound(len); c += L) {
            FloatVector.zero(F).intoArray(dst, off + c);
        }
        for (; c < len; c++) {
            dst[off + c] = 0f;
        }
    }
}
