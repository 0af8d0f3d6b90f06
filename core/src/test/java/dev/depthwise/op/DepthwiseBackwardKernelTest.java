package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.ConvRef;
import dev.depthwise.kernel.DwBackwardBiasNhwc;
import dev.depthwise.kernel.DwBackwardLayout;
import dev.depthwise.kernel.DwBackwardNhwc9t;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The backward depthwise kernels, called directly, against {@link ConvRef} on the DESIGN grid:
 * every channel count around the vector widths, widths 1/3/5 and odd sizes, strides 1/2/3 and
 * unequal ones, dilation with and without stride, every padding, multipliers 1-3, 1-D to 3-D. Each
 * kernel reads its inputs at an offset and writes into a larger NaN-filled buffer at an offset, in
 * several row ranges, so a stray write, a missed element or a range that leaks shows up. Run at
 * every vector width and scalar (tag simd).
 */
@Tag("simd")
class DepthwiseBackwardKernelTest {
    private static final int[] CHANNELS = {1, 3, 7, 8, 13, 16, 17, 31, 33, 100};
    private static final int OFF = 5;
    private static final int PAD = 37;

    private static ConvSpec.Builder dw2d(int h, int w, int c, int m) {
        return ConvSpec.builder(CHANNELS_LAST, 2, h, w, c).kernel(3, 3).depthwise(m);
    }

    static List<ConvSpec> grid() {
        List<ConvSpec> s = new ArrayList<>();
        int[][] sizes = {{1, 1}, {3, 3}, {5, 5}, {7, 9}, {6, 11}, {4, 1}, {1, 5}};
        for (int i = 0; i < CHANNELS.length; i++) {
            int c = CHANNELS[i];
            int[] hw = sizes[i % sizes.length];
            s.add(dw2d(hw[0], hw[1], c, 1).padding(Padding.same()).build());
            s.add(dw2d(hw[0] + 2, hw[1] + 4, c, 1 + i % 3).padding(Padding.same()).stride(2).build());
        }
        Padding[] paddings = {Padding.valid(), Padding.same(), Padding.sameLower(),
                Padding.explicit(new int[] {0, 2}, new int[] {3, 1}),
                Padding.explicit(new int[] {4, 0}, new int[] {0, 4})};
        int[][] strides = {{1, 1}, {2, 2}, {3, 3}, {2, 1}, {1, 3}, {3, 2}};
        int n = 0;
        for (Padding p : paddings) {
            for (int[] st : strides) {
                int c = CHANNELS[n % CHANNELS.length];
                int m = 1 + n % 3;
                n++;
                s.add(dw2d(9, 11, c, m).padding(p).stride(st).build());
            }
        }
        for (int c : new int[] {3, 16, 17, 33}) {
            s.add(dw2d(9, 10, c, 1).padding(Padding.same()).dilation(2).build());
            s.add(dw2d(11, 9, c, 2).padding(Padding.same()).dilation(2).stride(2).build());
            s.add(dw2d(10, 13, c, 3).padding(Padding.valid()).dilation(2, 3).stride(3, 2).build());
        }
        // other kernel shapes: 1x1, 5x5, 2x3, a kernel wider than the input (padding makes up the rest)
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 6, 7, 17).kernel(1, 1).depthwise(2).stride(2).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 9, 8, 33).kernel(5, 5).depthwise(1).padding(Padding.same()).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 9, 8, 16).kernel(5, 5).depthwise(1).stride(2)
                .padding(Padding.same()).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 5, 6, 13).kernel(2, 3).depthwise(3).padding(Padding.sameLower())
                .build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 2, 3, 8).kernel(5, 7).depthwise(1).padding(Padding.same()).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 12, 13, 7).kernel(3, 3).depthwise(1).stride(4)
                .padding(Padding.explicit(new int[] {1, 2}, new int[] {0, 3})).build());
        // 1-D
        for (int c : new int[] {1, 8, 31}) {
            s.add(ConvSpec.builder(CHANNELS_LAST, 2, 13, c).kernel(3).depthwise(1).padding(Padding.causal()).build());
            s.add(ConvSpec.builder(CHANNELS_LAST, 2, 13, c).kernel(4).depthwise(2).dilation(2)
                    .padding(Padding.causal()).build());
            s.add(ConvSpec.builder(CHANNELS_LAST, 1, 17, c).kernel(5).depthwise(3).stride(3).padding(Padding.same())
                    .build());
        }
        // 3-D
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 4, 5, 6, 17).kernel(3, 3, 3).depthwise(1).padding(Padding.same())
                .build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 5, 4, 7, 16).kernel(2, 3, 3).depthwise(2).stride(2, 1, 2)
                .dilation(2, 1, 1).padding(Padding.same()).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 6, 3, 5, 3).kernel(3, 1, 2).depthwise(3).stride(3, 1, 1)
                .padding(Padding.valid()).build());
        return s;
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchReference() {
        return grid().stream().map(spec -> DynamicTest.dynamicTest(spec.toString(), () -> check(spec)));
    }

    /** Inputs of one case: x, dz and the filter in the reference's layouts and in the kernels'. */
    private record Case(ConvGeometry g, int taps, float[] x, float[] dz, float[] f, float[] dzPlanes,
                        float[] wPacked) {
        static Case of(ConvSpec spec) {
            ConvGeometry g = spec.geometry();
            int taps = g.kD * g.kH * g.kW;
            long seed = spec.toString().hashCode();
            float[] x = Tensors.random(seed, spec.inputLength());
            float[] dz = Tensors.random(seed + 1, spec.outputLength());
            float[] f = Tensors.random(seed + 2, spec.filterLength());
            int c = g.c;
            int m = g.kPerGroup;
            float[] dzPlanes = new float[dz.length];
            DwBackwardLayout.splitPlanes(dz, 0, dzPlanes, 0, c, m, 0, dz.length / g.k);
            float[] w = new float[f.length];
            for (int t = 0; t < taps; t++) {
                for (int p = 0; p < m; p++) {
                    for (int ch = 0; ch < c; ch++) {
                        w[(t * m + p) * c + ch] = f[t * g.k + ch * m + p]; // HWCM
                    }
                }
            }
            return new Case(g, taps, x, dz, f, dzPlanes, w);
        }
    }

    private static void check(ConvSpec spec) {
        Case k = Case.of(spec);
        ConvGeometry g = k.g;
        int c = g.c;
        int m = g.kPerGroup;
        double[] dx = new double[spec.inputLength()];
        ConvRef.backwardData(g, k.dz, k.f, dx);
        double[] dxScale = new double[spec.inputLength()];
        ConvRef.backwardData(g, abs(k.dz), abs(k.f), dxScale);
        float[] df = new float[spec.filterLength()];
        ConvRef.backwardFilter(g, k.x, k.dz, df);
        float[] dfScale = new float[df.length];
        ConvRef.backwardFilter(g, abs(k.x), abs(k.dz), dfScale);
        float[] db = new float[g.k];
        ConvRef.backwardBias(g, k.dz, db);
        float[] dbScale = new float[g.k];
        ConvRef.backwardBias(g, abs(k.dz), dbScale);
        // filter then bias gradient, in the kernels' [taps][m][c] and [m][c] order
        int len = k.taps * g.k + g.k;
        double[] dw = new double[len];
        double[] dwScale = new double[len];
        for (int t = 0; t <= k.taps; t++) {
            for (int p = 0; p < m; p++) {
                for (int ch = 0; ch < c; ch++) {
                    int at = (t * m + p) * c + ch;
                    int o = ch * m + p;
                    dw[at] = t < k.taps ? df[t * g.k + o] : db[o];
                    dwScale[at] = t < k.taps ? dfScale[t * g.k + o] : dbScale[o];
                }
            }
        }

        float[] x = shifted(k.x, OFF + 2);
        float[] dz = shifted(k.dzPlanes, OFF + 3);
        float[] w = shifted(k.wPacked, OFF + 4);
        float[] out = nan(OFF + dx.length + PAD);
        float[] acc = nan(OFF + len + PAD);
        Arrays.fill(acc, OFF, OFF + len, 0f);
        int[] scratch = new int[DwBackwardNhwc9t.scratchLength(g)];
        for (int[] r : ranges(g.n * g.inD * g.inH)) {
            DwBackwardNhwc9t.rows(g, x, OFF + 2, dz, OFF + 3, w, OFF + 4, out, OFF, acc, OFF, r[0], r[1], scratch);
        }
        int outPixels = g.n * g.outD * g.outH * g.outW;
        for (int[] r : ranges(outPixels)) {
            DwBackwardBiasNhwc.pixels(dz, OFF + 3, g.k, acc, OFF + k.taps * g.k, r[0], r[1]);
        }
        compare(spec + " dx", dx, dxScale, out, OFF);
        compare(spec + " dfilter|dbias", dw, dwScale, acc, OFF);
    }

    /** All rows, in three pieces and an empty one. */
    private static List<int[]> ranges(int rows) {
        int a = rows / 3;
        int b = rows - rows / 4;
        return List.of(new int[] {0, a}, new int[] {a, a}, new int[] {a, b}, new int[] {b, rows});
    }

    /** Every element within 1e-5 of the sum of its terms' magnitudes; NaN before and after the region. */
    static void compare(String what, double[] expected, double[] scale, float[] out, int off) {
        for (int i = 0; i < off; i++) {
            if (!Float.isNaN(out[i])) {
                fail(what + ": wrote " + out[i] + " at " + i + ", before the output region");
            }
        }
        for (int i = 0; i < expected.length; i++) {
            double got = out[off + i];
            if (!(Math.abs(got - expected[i]) <= 1e-5 * scale[i] + 1e-30)) {
                fail(what + ": element " + i + " is " + got + ", expected " + expected[i]);
            }
        }
        for (int i = off + expected.length; i < out.length; i++) {
            if (!Float.isNaN(out[i])) {
                fail(what + ": wrote " + out[i] + " at " + i + ", after the output region");
            }
        }
    }

    private static void compare(String what, double[] expected, float[] scale, float[] out, int off) {
        double[] s = new double[expected.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = scale[i];
        }
        compare(what, expected, s, out, off);
    }

    static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }

    /** {@code a} at offset {@code off} of a NaN-filled array (a kernel reading outside it sees NaN). */
    private static float[] shifted(float[] a, int off) {
        float[] r = nan(off + a.length + PAD);
        System.arraycopy(a, 0, r, off, a.length);
        return r;
    }

    private static float[] nan(int n) {
        float[] r = new float[n];
        Arrays.fill(r, Float.NaN);
        return r;
    }

    @org.junit.jupiter.api.Test
    void planesSplitTheMultiplier() {
        int c = 13;
        int m = 3;
        int pixels = 37;
        float[] a = Tensors.random(7, pixels * c * m);
        float[] planes = nan(OFF + a.length + PAD);
        DwBackwardLayout.splitPlanes(a, 0, planes, OFF, c, m, 0, 30);
        DwBackwardLayout.splitPlanes(a, 0, planes, OFF, c, m, 30, pixels);
        double[] expected = new double[a.length];
        for (int pos = 0; pos < pixels; pos++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < m; p++) {
                    expected[pos * c * m + p * c + ch] = a[pos * c * m + ch * m + p];
                }
            }
        }
        compare("planes", expected, new double[a.length], planes, OFF);
    }
}
