package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.kernel.Simd;
import dev.depthwise.kernel.VecSpecies;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Padding;
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
 * {@link DepthwiseBackwardNchw3x3s1} through {@link Conv} against the reference backward, around
 * its edges: widths and heights from 1 to past two vectors, every padding up to 2 a side (TF same,
 * same_lower, valid, explicit asymmetric), channel counts 1, 3 and 17, batch 1 and 2, both filter
 * layouts, bias or not, 1 and 3 threads, into NaN-filled outputs; and a non-finite output gradient
 * at a plane's corners, where the reference meets no padding. At every vector width (tag simd);
 * without the vector bodies the path steps aside.
 */
@Tag("simd")
class DepthwiseBackwardNchwTest {
    record Case(ConvSpec spec, boolean bias, int threads) {
        @Override
        public String toString() {
            return spec + (bias ? " +bias" : "") + " threads=" + threads;
        }
    }

    static List<Case> cases() {
        int lanes = VecSpecies.LEN;
        Padding[] pads = {Padding.same(), Padding.sameLower(), Padding.valid(),
                Padding.explicit(new int[] {2, 0}, new int[] {0, 2}), Padding.explicit(new int[] {1, 2}, new int[] {2, 1}),
                Padding.explicit(new int[] {2, 2}, new int[] {2, 2})};
        int[] widths = {1, 2, lanes - 1, lanes, lanes + 1, 2 * lanes + 3};
        int[] heights = {1, 2, 5};
        int[] channels = {1, 3, 17};
        List<Case> cases = new ArrayList<>();
        int i = 0;
        for (Padding pad : pads) {
            for (int w : widths) {
                for (int h : heights) {
                    if (pad == Padding.valid() || pad.toString().equals(Padding.valid().toString())) {
                        if (w < 3 || h < 3) {
                            continue;
                        }
                    }
                    int c = channels[i % channels.length];
                    int n = 1 + i % 2;
                    FilterLayout fl = i % 2 == 0 ? FilterLayout.OUT_IN_SPATIAL : FilterLayout.SPATIAL_IN_OUT;
                    ConvSpec spec = ConvSpec.builder(CHANNELS_FIRST, n, c, h, Math.max(1, w)).kernel(3, 3).depthwise(1)
                            .padding(pad).filterLayout(fl).build();
                    cases.add(new Case(spec, i % 3 != 0, 1 + 2 * (i % 2)));
                    i++;
                }
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchTheReference() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    static void check(Case c) {
        ConvSpec spec = c.spec;
        Conv conv = Conv.of(spec, c.threads);
        if (Simd.enabled()) {
            assertTrue(conv.paths().contains("DwBackwardNchw3x3s1"), conv.paths());
        }
        long seed = spec.toString().hashCode();
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = c.bias ? Tensors.random(seed + 2, spec.outChannels()) : null;
        float[] dy = Tensors.random(seed + 3, spec.outputLength());
        float[] dx = nans(spec.inputLength());
        float[] df = nans(spec.filterLength());
        float[] db = c.bias ? nans(spec.outChannels()) : null;
        conv.backward(x, f, b, dy, dx, df, db);
        ConvGradients want = RefPaths.backward(spec).backward(x, f, b, dy);
        ConvGradients scale = RefPaths.backward(spec).backward(DepthwiseBackwardKernelTest.abs(x),
                DepthwiseBackwardKernelTest.abs(f), b, DepthwiseBackwardKernelTest.abs(dy));
        DepthwiseBackwardTest.close(c + " dx", want.dx(), scale.dx(), dx);
        DepthwiseBackwardTest.close(c + " dfilter", want.dfilter(), scale.dfilter(), df);
        if (c.bias) {
            DepthwiseBackwardTest.close(c + " dbias", want.dbias(), scale.dbias(), db);
        } else {
            assertNull(want.dbias());
        }
    }

    @Test
    void anInfiniteGradientAtACornerMeetsNoPadding() {
        for (int s = 0; s < 2; s++) {
            ConvSpec spec = ConvSpec.builder(CHANNELS_FIRST, 1, 2, 5, VecSpecies.LEN + 3).kernel(3, 3).depthwise(1)
                    .padding(s == 0 ? Padding.same() : Padding.explicit(new int[] {2, 2}, new int[] {2, 2})).build();
            float[] x = Tensors.random(5, spec.inputLength());
            float[] f = Tensors.random(6, spec.filterLength());
            float[] dy = Tensors.random(7, spec.outputLength());
            int plane = spec.outputShape()[2] * spec.outputShape()[3];
            dy[0] = Float.POSITIVE_INFINITY;                   // first plane, top-left corner
            dy[2 * plane - 1] = Float.NEGATIVE_INFINITY;       // second plane, bottom-right corner
            ConvGradients want = RefPaths.backward(spec).backward(x, f, null, dy);
            ConvGradients got = Conv.of(spec, 2).backward(x, f, null, dy);
            for (float[][] pair : new float[][][] {{want.dx(), got.dx()}, {want.dfilter(), got.dfilter()}}) {
                for (int i = 0; i < pair[0].length; i++) {
                    float e = pair[0][i];
                    float g = pair[1][i];
                    boolean same = Float.isFinite(e) ? Math.abs(e - g) <= 1e-4 * Math.max(1, Math.abs(e)) : e == g
                            || Float.isNaN(e) && Float.isNaN(g);
                    assertTrue(same, spec + " element " + i + ": want " + e + ", got " + g);
                }
            }
        }
    }

    @Test
    void stepsAsideWhereItDoesNotApply() {
        ConvSpec.Builder base = ConvSpec.builder(CHANNELS_FIRST, 1, 4, 9, 9).kernel(3, 3);
        assertEquals(Simd.enabled(), DepthwiseBackwardNchw3x3s1.of(base.depthwise(1).build(), 1) != null);
        assertNull(DepthwiseBackwardNchw3x3s1.of(base.depthwise(2).build(), 1), "multiplier 2");
        assertNull(DepthwiseBackwardNchw3x3s1.of(base.depthwise(1).stride(2).build(), 1), "stride 2");
        assertNull(DepthwiseBackwardNchw3x3s1.of(base.stride(1).dilation(2).build(), 1), "dilation 2");
        assertNull(DepthwiseBackwardNchw3x3s1.of(base.dilation(1).padding(Padding.explicit(new int[] {3, 0},
                new int[] {0, 0})).build(), 1), "padding 3");
        assertNull(DepthwiseBackwardNchw3x3s1.of(ConvSpec.builder(dev.depthwise.spec.Layout.CHANNELS_LAST, 1, 9, 9, 4)
                .kernel(3, 3).depthwise(1).build(), 1), "channels-last");
    }

    private static float[] nans(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }
}
