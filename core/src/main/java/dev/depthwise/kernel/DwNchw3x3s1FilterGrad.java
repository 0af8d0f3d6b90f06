package dev.depthwise.kernel;

import static dev.depthwise.kernel.VecSpecies.F;
import static dev.depthwise.kernel.VecSpecies.LEN;

import dev.depthwise.spec.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Filter and bias gradients of a depthwise 3x3, stride-1, dilation-1 layer with multiplier 1,
 * channels-first (2-D), vectorised along the output rows: for each vector of output gradients dz,
 * the nine input vectors under its taps (shifted by the tap's row and column) are multiplied into
 * nine accumulators, so each channel's plane is read once, in row order, with no layout copy. A tap
 * over the padding is skipped (a row) or masked (the columns beside the row's ends; the dz lanes
 * there are zeroed too, so that a non-finite dz meets no padding, as in the reference). Each
 * channel sums all its images in one set of accumulators, so a channel's result does not depend on
 * how channels are shared among threads.
 */
public final class DwNchw3x3s1FilterGrad {
    /** Floats {@link #channels} writes per channel: nine taps, then the bias gradient. */
    public static final int PER_CHANNEL = 10;

    private DwNchw3x3s1FilterGrad() {
    }

    /**
     * Channels {@code [cFrom, cTo)}: tap {@code j*3 + l} of channel {@code c} (the sum over images and
     * output pixels of dz times the input under that tap) into {@code sums[c*10 + j*3 + l]}, the sum
     * of its dz into {@code sums[c*10 + 9]}. x and dz are dense channels-first (g's input and output).
     */
    public static void channels(ConvGeometry g, float[] x, float[] dz, float[] sums, int cFrom, int cTo) {
        for (int c = cFrom; c < cTo; c++) {
            channel(g, x, dz, sums, c);
        }
    }

    /** One channel, every image: see {@link #channels}. Each plane in a method of its own (see {@link #plane}). */
    private static void channel(ConvGeometry g, float[] x, float[] dz, float[] sums, int c) {
        int s = c * PER_CHANNEL;
        java.util.Arrays.fill(sums, s, s + PER_CHANNEL, 0f);
        for (int n = 0; n < g.n; n++) {
            plane(g, x, (n * g.c + c) * g.inH * g.inW, dz, (n * g.k + c) * g.outH * g.outW, sums, s);
        }
    }

    /**
     * Adds one plane's ten sums to {@code sums[s ..]}. Every vector of a row takes the same masked
     * path (the masks are whole inside the row): a method with a second, unmasked loop for the
     * inside was too large for C1's register allocator, which gave up and left it unoptimised.
     */
    private static void plane(ConvGeometry g, float[] x, int xp, float[] dz, int dp, float[] sums, int s) {
        int inH = g.inH, inW = g.inW, outH = g.outH, outW = g.outW, padH = g.padH, padW = g.padW;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, ab = a0;
        for (int oh = 0; oh < outH; oh++) {
            int h = oh - padH;
            boolean r0 = h >= 0 && h < inH, r1 = h + 1 >= 0 && h + 1 < inH, r2 = h + 2 >= 0 && h + 2 < inH;
            int x0 = xp + h * inW - padW, x1 = x0 + inW, x2 = x1 + inW;
            int d = dp + oh * outW;
            for (int ow = 0; ow < outW; ow += LEN) {
                long live = lanes(ow, outW);
                // tap column l reads input columns ow - padW + l onwards: the lanes inside the row
                VectorMask<Float> m0 = VectorMask.fromLong(F, live & lanes(ow - padW, inW));
                VectorMask<Float> m1 = VectorMask.fromLong(F, live & lanes(ow - padW + 1, inW));
                VectorMask<Float> m2 = VectorMask.fromLong(F, live & lanes(ow - padW + 2, inW));
                FloatVector dv = FloatVector.fromArray(F, dz, d + ow, VectorMask.fromLong(F, live));
                ab = ab.add(dv);
                FloatVector e0 = dv.blend(0f, m0.not()), e1 = dv.blend(0f, m1.not()), e2 = dv.blend(0f, m2.not());
                if (r0) {
                    a0 = FloatVector.fromArray(F, x, x0 + ow, m0).fma(e0, a0);
                    a1 = FloatVector.fromArray(F, x, x0 + ow + 1, m1).fma(e1, a1);
                    a2 = FloatVector.fromArray(F, x, x0 + ow + 2, m2).fma(e2, a2);
                }
                if (r1) {
                    a3 = FloatVector.fromArray(F, x, x1 + ow, m0).fma(e0, a3);
                    a4 = FloatVector.fromArray(F, x, x1 + ow + 1, m1).fma(e1, a4);
                    a5 = FloatVector.fromArray(F, x, x1 + ow + 2, m2).fma(e2, a5);
                }
                if (r2) {
                    a6 = FloatVector.fromArray(F, x, x2 + ow, m0).fma(e0, a6);
                    a7 = FloatVector.fromArray(F, x, x2 + ow + 1, m1).fma(e1, a7);
                    a8 = FloatVector.fromArray(F, x, x2 + ow + 2, m2).fma(e2, a8);
                }
            }
        }
        sums[s] += a0.reduceLanes(VectorOperators.ADD);
        sums[s + 1] += a1.reduceLanes(VectorOperators.ADD);
        sums[s + 2] += a2.reduceLanes(VectorOperators.ADD);
        sums[s + 3] += a3.reduceLanes(VectorOperators.ADD);
        sums[s + 4] += a4.reduceLanes(VectorOperators.ADD);
        sums[s + 5] += a5.reduceLanes(VectorOperators.ADD);
        sums[s + 6] += a6.reduceLanes(VectorOperators.ADD);
        sums[s + 7] += a7.reduceLanes(VectorOperators.ADD);
        sums[s + 8] += a8.reduceLanes(VectorOperators.ADD);
        sums[s + 9] += ab.reduceLanes(VectorOperators.ADD);
    }

    /** The lanes {@code l} with {@code 0 <= from + l < limit}, as bits. */
    private static long lanes(int from, int limit) {
        int a = Math.max(0, -from);
        int b = Math.min(LEN, limit - from);
        return b <= a ? 0L : (1L << b) - (1L << a);
    }
}
