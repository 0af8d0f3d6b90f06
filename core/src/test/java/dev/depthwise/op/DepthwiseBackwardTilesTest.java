package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.kernel.ConvRef;
import dev.depthwise.kernel.DwBackwardNhwc3x3s1;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The 3x3 stride-1 backward tile against {@link ConvRef} around its boundaries: planes 1 to 17 wide
 * and tall (odd and even, so rows with one, two and three dz rows and every end of a row occur),
 * every padding (TF same pads after, same_lower before, valid, explicit asymmetric up to 2 a side),
 * channel counts around the vector widths, batch 1 and 2. The kernel is called directly (filter and
 * bias gradients in several row ranges, then the filter gradient alone), reading at offsets and
 * writing into NaN-filled buffers; then through {@link Conv} on 1 and 2 threads, with and without
 * bias, into a NaN-filled dx. Run at every vector width and scalar (tag simd).
 */
@Tag("simd")
class DepthwiseBackwardTilesTest {
    private static final int OFF = 3;
    private static final int PAD = 29;
    private static final int[] CHANNELS = {1, 3, 16, 17, 33, 100};
    private static final Padding[] PADDINGS = {Padding.same(), Padding.sameLower(), Padding.valid(),
            Padding.explicit(new int[] {0, 2}, new int[] {2, 1}), Padding.explicit(new int[] {2, 1}, new int[] {1, 0})};

    static List<ConvSpec> tiles(int stride) {
        List<ConvSpec> s = new ArrayList<>();
        int n = 0;
        for (int h = 1; h <= 17; h++) {
            for (int pi = 0; pi < PADDINGS.length; pi++) {
                int w = 1 + (h * 7 + pi * 5) % 17;
                int c = CHANNELS[n % CHANNELS.length];
                int batch = 1 + n % 2;
                n++;
                Padding p = PADDINGS[pi];
                try {
                    s.add(ConvSpec.builder(CHANNELS_LAST, batch, h, w, c).kernel(3, 3).depthwise(1).stride(stride)
                            .padding(p).build());
                } catch (ShapeException tooSmall) {
                    // the padded plane is smaller than the kernel: no convolution to test
                }
            }
        }
        // every width at one height, so both ends of a row meet every residue
        for (int w = 1; w <= 12; w++) {
            try {
                s.add(ConvSpec.builder(CHANNELS_LAST, 1, 4, w, 17).kernel(3, 3).depthwise(1).stride(stride)
                        .padding(PADDINGS[w % 4]).build());
            } catch (ShapeException tooSmall) {
                // valid padding of a plane narrower than the kernel
            }
        }
        return s;
    }

    @TestFactory
    Stream<DynamicTest> tileMatchesReference() {
        return tiles(1).stream().map(spec -> DynamicTest.dynamicTest(spec.toString(), () -> {
            assertTrue(DwBackwardNhwc3x3s1.fits(spec.geometry()), spec.toString());
            if (Simd.AVAILABLE) {
                kernel(spec);
            }
        }));
    }

    /**
     * Through {@link Conv}: the tile's grid, thinned, and stride 2 (the general kernel) on the same
     * plane sizes and paddings.
     */
    @TestFactory
    Stream<DynamicTest> throughConv() {
        List<ConvSpec> specs = new ArrayList<>();
        for (int stride = 1; stride <= 2; stride++) {
            List<ConvSpec> all = tiles(stride);
            for (int i = stride; i < all.size(); i += 7) {
                specs.add(all.get(i));
            }
            specs.add(ConvSpec.builder(Layout.CHANNELS_FIRST, 2, 33, 11, 10).kernel(3, 3).depthwise(1).stride(stride)
                    .padding(Padding.same()).filterLayout(FilterLayout.OUT_IN_SPATIAL).build());
        }
        return specs.stream().flatMap(spec -> Stream.of(1, 2).map(threads ->
                DynamicTest.dynamicTest(spec + " threads=" + threads, () -> conv(spec, threads))));
    }

    @Test
    void tileFitsOnlyItsShape() {
        ConvSpec.Builder one = ConvSpec.builder(CHANNELS_LAST, 1, 9, 9, 8).kernel(3, 3).depthwise(1);
        assertTrue(DwBackwardNhwc3x3s1.fits(one.build().geometry()));
        assertEquals(false, DwBackwardNhwc3x3s1.fits(one.stride(2).build().geometry()));
        assertEquals(false, DwBackwardNhwc3x3s1.fits(one.stride(1).dilation(2).build().geometry()));
        assertEquals(false, DwBackwardNhwc3x3s1.fits(one.dilation(1).depthwise(3).build().geometry()));
        assertEquals(false, DwBackwardNhwc3x3s1.fits(ConvSpec.builder(CHANNELS_LAST, 1, 9, 9, 8).kernel(3, 5)
                .depthwise(1).build().geometry()));
        assertEquals(false, DwBackwardNhwc3x3s1.fits(ConvSpec.builder(CHANNELS_LAST, 1, 4, 9, 9, 8)
                .kernel(1, 3, 3).depthwise(1).build().geometry()));
        // more than 2 padding: outputs that meet no input
        for (int[][] p : new int[][][] {{{3, 0}, {0, 0}}, {{0, 3}, {0, 0}}, {{0, 0}, {3, 0}}, {{0, 0}, {0, 3}}}) {
            assertEquals(false, DwBackwardNhwc3x3s1.fits(ConvSpec.builder(CHANNELS_LAST, 1, 9, 9, 8).kernel(3, 3)
                    .depthwise(1).padding(Padding.explicit(p[0], p[1])).build().geometry()), Arrays.deepToString(p));
        }
    }

    private static void kernel(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        long seed = spec.toString().hashCode();
        float[] x0 = Tensors.random(seed, spec.inputLength());
        float[] dz0 = Tensors.random(seed + 1, spec.outputLength());
        float[] f = Tensors.random(seed + 2, spec.filterLength()); // HWCM with M = 1: the kernel's [kh][kw][c]
        double[] dx = new double[x0.length];
        ConvRef.backwardData(g, dz0, f, dx);
        double[] dxScale = new double[x0.length];
        ConvRef.backwardData(g, DepthwiseBackwardKernelTest.abs(dz0), DepthwiseBackwardKernelTest.abs(f), dxScale);
        float[] df = new float[f.length];
        ConvRef.backwardFilter(g, x0, dz0, df);
        float[] dfScale = new float[f.length];
        ConvRef.backwardFilter(g, DepthwiseBackwardKernelTest.abs(x0), DepthwiseBackwardKernelTest.abs(dz0), dfScale);
        float[] db = new float[g.k];
        ConvRef.backwardBias(g, dz0, db);
        float[] dbScale = new float[g.k];
        ConvRef.backwardBias(g, DepthwiseBackwardKernelTest.abs(dz0), dbScale);
        // the filter then the bias gradient, as the kernel sums them
        double[] dw = new double[f.length + g.k];
        double[] dwScale = new double[dw.length];
        for (int i = 0; i < dw.length; i++) {
            dw[i] = i < f.length ? df[i] : db[i - f.length];
            dwScale[i] = i < f.length ? dfScale[i] : dbScale[i - f.length];
        }

        float[] x = shifted(x0, OFF + 1);
        float[] dz = shifted(dz0, OFF + 2);
        float[] w = shifted(f, OFF + 4);
        float[] out = nan(OFF + dx.length + PAD);
        float[] acc = nan(OFF + dw.length + PAD);
        Arrays.fill(acc, OFF, OFF + dw.length, 0f);
        int rows = g.n * g.inH;
        int[] cuts = {0, rows / 3, rows / 3, rows - rows / 4, rows};
        for (int i = 0; i + 1 < cuts.length; i++) {
            DwBackwardNhwc3x3s1.rows(g, x, OFF + 1, dz, OFF + 2, w, OFF + 4, out, OFF, acc, OFF, OFF + f.length,
                    cuts[i], cuts[i + 1]);
        }
        DepthwiseBackwardKernelTest.compare(spec + " dx", dx, dxScale, out, OFF);
        DepthwiseBackwardKernelTest.compare(spec + " dfilter|dbias", dw, dwScale, acc, OFF);
        // without the bias: the filter sums alone, nothing written past them
        float[] acc2 = nan(OFF + f.length + PAD);
        Arrays.fill(acc2, OFF, OFF + f.length, 0f);
        DwBackwardNhwc3x3s1.rows(g, x, OFF + 1, dz, OFF + 2, w, OFF + 4, out, OFF, acc2, OFF, -1, 0, g.n * g.inH);
        DepthwiseBackwardKernelTest.compare(spec + " dfilter", toDouble(df), toDouble(dfScale), acc2, OFF);
    }

    private static void conv(ConvSpec spec, int threads) {
        Conv conv = Conv.of(spec, threads);
        if (Simd.AVAILABLE) {
            String path = DepthwiseBackwardNchw3x3s1.of(spec, threads) != null ? "DwBackwardNchw3x3s1"
                    : spec.geometry().sW == 1 ? "DwBackwardNhwc3x3s1" : "DwBackwardNhwc9t";
            assertTrue(conv.paths().contains(path), conv.paths());
        }
        long seed = spec.toString().hashCode();
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = Tensors.random(seed + 2, spec.outChannels());
        float[] dy = Tensors.random(seed + 3, spec.outputLength());
        for (boolean withBias : new boolean[] {true, false}) {
            float[] bias = withBias ? b : null;
            ConvGradients want = RefPaths.backward(spec).backward(x, f, bias, dy);
            ConvGradients scale = RefPaths.backward(spec).backward(DepthwiseBackwardKernelTest.abs(x),
                    DepthwiseBackwardKernelTest.abs(f), bias, DepthwiseBackwardKernelTest.abs(dy));
            float[] dx = nan(x.length);
            float[] dfilter = nan(f.length);
            float[] dbias = withBias ? nan(b.length) : null;
            conv.backward(x, f, bias, dy, dx, dfilter, dbias);
            String what = spec + " threads=" + threads + (withBias ? " +bias" : "");
            DepthwiseBackwardKernelTest.compare(what + " dx", toDouble(want.dx()), toDouble(scale.dx()), dx, 0);
            DepthwiseBackwardKernelTest.compare(what + " dfilter", toDouble(want.dfilter()),
                    toDouble(scale.dfilter()), dfilter, 0);
            if (withBias) {
                DepthwiseBackwardKernelTest.compare(what + " dbias", toDouble(want.dbias()), toDouble(scale.dbias()),
                        dbias, 0);
            }
            float[] dx2 = new float[x.length];
            float[] dfilter2 = new float[f.length];
            float[] dbias2 = withBias ? new float[b.length] : null;
            conv.backward(x, f, bias, dy, dx2, dfilter2, dbias2);
            assertArrayEquals(dx, dx2, what + ": dx differs between two runs");
            assertArrayEquals(dfilter, dfilter2, what + ": dfilter differs between two runs");
            if (withBias) {
                assertArrayEquals(dbias, dbias2, what + ": dbias differs between two runs");
            }
        }
    }

    private static double[] toDouble(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

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
}
