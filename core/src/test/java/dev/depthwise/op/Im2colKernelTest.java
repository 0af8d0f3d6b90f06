package dev.depthwise.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.Col2imNhwc;
import dev.depthwise.kernel.Im2colFilterOrder;
import dev.depthwise.kernel.Im2colNhwc;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.Tensors;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The im2col kernels called directly, against obvious loops: a column matrix written at an offset
 * with a row stride wider than its rows into a NaN-filled buffer (nothing outside it may change),
 * from an input at an offset, for a group's channels and a run of pixels that crosses images;
 * col2im adding onto a dx region inside a NaN-filled buffer; the filter reorder and its inverse.
 * Every vector width (simd tag).
 */
@Tag("simd")
class Im2colKernelTest {
    private static final int X_OFF = 7, COLS_OFF = 5, EXTRA = 3;

    private static List<ConvSpec> specs() {
        return List.of(
                Im2colForwardTest.conv(Im2colForwardTest.a(2, 7, 9, 17), Im2colForwardTest.a(3, 3),
                        Im2colForwardTest.a(1), Im2colForwardTest.a(1), Padding.same(), 8, 1),
                Im2colForwardTest.conv(Im2colForwardTest.a(3, 9, 8, 34), Im2colForwardTest.a(3, 3),
                        Im2colForwardTest.a(2), Im2colForwardTest.a(2), Padding.same(), 4, 2),
                Im2colForwardTest.conv(Im2colForwardTest.a(2, 5, 11, 12), Im2colForwardTest.a(1, 5),
                        Im2colForwardTest.a(1, 3), Im2colForwardTest.a(1), Padding.explicit(new int[] {1, 6},
                                new int[] {0, 2}), 8, 4),
                Im2colForwardTest.conv(Im2colForwardTest.a(2, 4, 5, 6, 3), Im2colForwardTest.a(2, 3, 3),
                        Im2colForwardTest.a(1, 2, 1), Im2colForwardTest.a(1), Padding.same(), 8, 1));
    }

    /** Column matrix entry (pixel q, column tap*cg + ci) for the group starting at channel c0; 0 in the padding. */
    private static int source(ConvGeometry g, int q, int col, int c0, int cg) {
        int outPixels = g.outD * g.outH * g.outW;
        int n = q / outPixels;
        int p = q % outPixels;
        int od = p / (g.outH * g.outW);
        int oh = p / g.outW % g.outH;
        int ow = p % g.outW;
        int tap = col / cg;
        int ci = col % cg;
        int i = tap / (g.kH * g.kW);
        int j = tap / g.kW % g.kH;
        int l = tap % g.kW;
        int id = od * g.sD - g.padD + i * g.dD;
        int ih = oh * g.sH - g.padH + j * g.dH;
        int iw = ow * g.sW - g.padW + l * g.dW;
        if (id < 0 || id >= g.inD || ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) {
            return -1;
        }
        return n * g.xN + id * g.xD + ih * g.xH + iw * g.xW + c0 + ci;
    }

    @Test
    void im2colWritesItsRegionOnly() {
        for (ConvSpec spec : specs()) {
            ConvGeometry g = spec.geometry();
            int cg = g.cPerGroup;
            int width = g.kD * g.kH * g.kW * cg;
            int ld = width + EXTRA;
            int pixels = g.n * g.outD * g.outH * g.outW;
            float[] x = Tensors.random(spec.hashCode(), X_OFF + spec.inputLength());
            for (int gi = 0; gi < g.groups; gi++) {
                // a run of pixels from inside the first image to inside the last
                int q0 = 3;
                int q1 = pixels - 2;
                float[] cols = new float[COLS_OFF + (q1 - q0) * ld + 11];
                Arrays.fill(cols, Float.NaN);
                Im2colNhwc.copy(g, x, X_OFF, gi * cg, cg, q0, q1, cols, COLS_OFF, ld);
                for (int i = 0; i < cols.length; i++) {
                    int r = (i - COLS_OFF) / ld;
                    int col = (i - COLS_OFF) % ld;
                    boolean inside = i >= COLS_OFF && r < q1 - q0 && col < width;
                    if (!inside) {
                        if (!Float.isNaN(cols[i])) {
                            fail(spec + " group " + gi + ": stray write at " + i);
                        }
                        continue;
                    }
                    int s = source(g, q0 + r, col, gi * cg, cg);
                    float want = s < 0 ? 0f : x[X_OFF + s];
                    if (cols[i] != want) {
                        fail(spec + " group " + gi + ": cols[" + r + "][" + col + "] = " + cols[i] + ", want " + want);
                    }
                }
            }
        }
    }

    @Test
    void col2imAddsOntoItsRegionOnly() {
        for (ConvSpec spec : specs()) {
            ConvGeometry g = spec.geometry();
            int cg = g.cPerGroup;
            int width = g.kD * g.kH * g.kW * cg;
            int ld = width + EXTRA;
            int pixels = g.n * g.outD * g.outH * g.outW;
            int q0 = 2;
            int q1 = pixels - 1;
            float[] dcols = Tensors.random(spec.hashCode() + 1, COLS_OFF + (q1 - q0) * ld);
            for (int gi = 0; gi < g.groups; gi++) {
                int c0 = gi * cg;
                float[] start = Tensors.random(spec.hashCode() + 2, spec.inputLength());
                float[] dx = new float[X_OFF + spec.inputLength() + 9];
                Arrays.fill(dx, Float.NaN);
                double[] want = new double[spec.inputLength()];
                for (int i = 0; i < start.length; i++) {
                    // the group's channels hold values to add onto; the others must not be touched
                    boolean mine = i % g.c >= c0 && i % g.c < c0 + cg;
                    dx[X_OFF + i] = mine ? start[i] : Float.NaN;
                    want[i] = mine ? start[i] : Double.NaN;
                }
                for (int q = q0; q < q1; q++) {
                    for (int col = 0; col < width; col++) {
                        int s = source(g, q, col, c0, cg);
                        if (s >= 0) {
                            want[s] += dcols[COLS_OFF + (q - q0) * ld + col];
                        }
                    }
                }
                Col2imNhwc.add(g, dcols, COLS_OFF, ld, q0, q1, dx, X_OFF, c0, cg);
                for (int i = 0; i < dx.length; i++) {
                    int e = i - X_OFF;
                    if (e < 0 || e >= want.length || Double.isNaN(want[e])) {
                        assertTrue(Float.isNaN(dx[i]), spec + " group " + gi + ": stray write at " + i);
                    } else if (Math.abs(dx[i] - want[e]) > 1e-5 * (1 + Math.abs(want[e]))) {
                        fail(spec + " group " + gi + ": dx[" + e + "] = " + dx[i] + ", want " + want[e]);
                    }
                }
            }
        }
    }

    @Test
    void filterReorderRoundTrips() {
        int k = 6, cg = 5, taps = 9;
        float[] f = Tensors.random(9, k * cg * taps);
        float[] inOut = new float[f.length];
        Im2colFilterOrder.toTapsInOut(f, k, cg, taps, inOut);
        assertEquals(f[(4 * cg + 3) * taps + 7], inOut[(7 * cg + 3) * k + 4]);
        float[] back = new float[f.length];
        Im2colFilterOrder.toOutInTaps(inOut, k, cg, taps, back);
        assertTrue(Arrays.equals(f, back));
    }
}
