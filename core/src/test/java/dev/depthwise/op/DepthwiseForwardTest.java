package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.ConvRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast depthwise forward path against the reference on the DESIGN grid: every kernel that
 * applies to a spec (the one {@link DepthwiseForward#choose} picks and the general one) runs it,
 * per call and prepared (the same floats, bit for bit).
 * Tagged simd, so Surefire reruns it at 128 bits and scalar (every vector body and every tail).
 */
@Tag("simd")
class DepthwiseForwardTest {
    private static final int[] CHANNELS = {1, 3, 7, 8, 13, 16, 17, 31, 33, 100};
    private static final Activation[] ACTS = {Activation.NONE, Activation.RELU, Activation.RELU6,
            Activation.leakyRelu(0.1f), Activation.SIGMOID, Activation.HARD_SWISH};

    /** One case of the grid: a spec, and whether it carries a bias. */
    record Case(ConvSpec spec, boolean bias) {
        @Override
        public String toString() {
            return spec + (bias ? " +bias" : "") + " " + spec.filterLayout();
        }
    }

    static Stream<Case> grid() {
        List<Case> cases = new ArrayList<>();
        // 3x3 stride 1 and 2 (the specialised kernels) at every channel count, both layouts, odd
        // sizes, every padding; a rotation through the other settings keeps the list short.
        Padding[] pads = {Padding.same(), Padding.valid(), Padding.sameLower(),
                Padding.explicit(new int[] {2, 0}, new int[] {1, 2})};
        int[][] sizes = {{7, 9}, {5, 3}, {1, 1}, {3, 5}, {11, 6}, {2, 13}, {9, 4}};
        int i = 0;
        for (int c : CHANNELS) {
            for (int s = 1; s <= 2; s++, i++) {
                int[] hw = sizes[i % sizes.length];
                Padding pad = pads[i % pads.length];
                if (pad instanceof Padding.Valid && (hw[0] < 3 || hw[1] < 3)) {
                    pad = Padding.same();
                }
                Layout layout = i % 3 == 0 ? CHANNELS_FIRST : CHANNELS_LAST;
                cases.add(new Case(builder(layout, 1 + i % 2, hw, c).kernel(3, 3).depthwise(1).stride(s)
                        .padding(pad).activation(ACTS[i % ACTS.length])
                        .filterLayout(i % 4 == 1 ? FilterLayout.OUT_IN_SPATIAL : FilterLayout.SPATIAL_IN_OUT)
                        .build(), i % 2 == 0));
            }
        }
        // The general kernel: kernel sizes, unequal strides, dilation (also with stride 2), multipliers.
        int[][] kernels = {{1, 1}, {2, 3}, {5, 5}, {3, 1}, {1, 4}, {3, 3}};
        int[][] strides = {{1, 1}, {2, 1}, {3, 2}, {1, 3}, {2, 2}, {3, 3}};
        int[][] dilations = {{1, 1}, {2, 2}, {1, 2}, {2, 1}, {2, 2}};
        for (int j = 0; j < 30; j++) {
            int c = CHANNELS[j % CHANNELS.length];
            int[] hw = {6 + j % 5, 9 + j % 4};
            Layout layout = j % 2 == 0 ? CHANNELS_LAST : CHANNELS_FIRST;
            cases.add(new Case(builder(layout, 1 + j % 2, hw, c).kernel(kernels[j % kernels.length])
                    .depthwise(1 + j % 3).stride(strides[j % strides.length])
                    .dilation(dilations[j % dilations.length]).padding(pads[j % pads.length])
                    .activation(ACTS[j % ACTS.length])
                    .filterLayout(j % 3 == 0 ? FilterLayout.OUT_IN_SPATIAL : FilterLayout.SPATIAL_IN_OUT)
                    .build(), j % 3 != 1));
        }
        // 1-D (causal too) and 3-D.
        for (int j = 0; j < 6; j++) {
            int c = CHANNELS[(3 * j + 1) % CHANNELS.length];
            Layout layout = j % 2 == 0 ? CHANNELS_LAST : CHANNELS_FIRST;
            int[] shape = layout == CHANNELS_LAST ? new int[] {2, 11 + j, c} : new int[] {2, c, 11 + j};
            cases.add(new Case(ConvSpec.builder(layout, shape).kernel(1 + 2 * (j % 3)).depthwise(1 + j % 2)
                    .stride(1 + j % 2).dilation(1 + j / 3)
                    .padding(j % 3 == 0 ? Padding.causal() : pads[j % pads.length])
                    .activation(ACTS[(j + 2) % ACTS.length]).build(), j % 2 == 0));
            int[] shape3 = layout == CHANNELS_LAST ? new int[] {1, 4, 5, 3 + j, c} : new int[] {1, c, 4, 5, 3 + j};
            cases.add(new Case(ConvSpec.builder(layout, shape3).kernel(3, j % 2 == 0 ? 3 : 2, 3).depthwise(1 + j % 3)
                    .stride(1 + j % 2, 1, 1 + j / 3).padding(j % 2 == 0 ? Padding.same() : Padding.valid())
                    .activation(ACTS[(j + 4) % ACTS.length]).build(), j % 2 == 1));
        }
        // The MobileNet layer shapes the kernels were tuned on, shrunk in space.
        cases.add(new Case(builder(CHANNELS_LAST, 1, new int[] {14, 14}, 32).kernel(3, 3).depthwise(1).stride(1)
                .padding(Padding.same()).activation(Activation.RELU6).build(), true));
        cases.add(new Case(builder(CHANNELS_FIRST, 1, new int[] {16, 16}, 48).kernel(3, 3).depthwise(1).stride(2)
                .padding(Padding.same()).build(), false));
        return cases.stream();
    }

    private static ConvSpec.Builder builder(Layout layout, int n, int[] hw, int c) {
        return layout == CHANNELS_LAST ? ConvSpec.builder(layout, n, hw[0], hw[1], c)
                : ConvSpec.builder(layout, n, c, hw[0], hw[1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grid")
    void everyKernelMatchesTheReference(Case t) {
        ConvSpec spec = t.spec();
        float[] x = Tensors.random(1, spec.inputLength());
        float[] f = Tensors.random(2, spec.filterLength());
        float[] b = t.bias() ? Tensors.random(3, spec.outChannels()) : null;
        float[] want = reference(spec, x, f, b);
        double[] tol = tolerance(spec, x, f, b);
        for (DepthwiseForward.Kernel kernel : kernels(spec)) {
            for (int threads : new int[] {1, 3}) {
                float[] y = new float[spec.outputLength()];
                DepthwiseForward path = new DepthwiseForward(spec, threads, kernel);
                path.forward(x, f, b, y);
                assertClose(want, y, tol, kernel.label + " with " + threads + " threads on " + t);
                // prepared (weights packed once): the same floats, bit for bit
                float[] prepared = new float[spec.outputLength()];
                Arrays.fill(prepared, Float.NaN);
                path.prepare(f, b).forward(x, prepared);
                PreparedConvTest.assertSame(y, prepared, kernel.label + " prepared, " + threads + " threads on " + t);
            }
        }
    }

    @Test
    void convPicksTheFastPathForDepthwiseSpecs() {
        ConvSpec nhwc = ConvSpec.builder(CHANNELS_LAST, 1, 8, 8, 16).kernel(3, 3).depthwise(1).stride(2)
                .padding(Padding.same()).build();
        ConvSpec nchw = ConvSpec.builder(CHANNELS_FIRST, 1, 16, 8, 8).kernel(3, 3).depthwise(1)
                .padding(Padding.same()).build();
        ConvSpec grouped = ConvSpec.builder(CHANNELS_LAST, 1, 8, 8, 4).kernel(5, 5).conv(8, 4).build();
        ConvSpec dilated = nhwc.toBuilder().stride(1).dilation(2).build();
        assertEquals("dw-nhwc-3x3s2", Conv.of(nhwc).paths().split(" ")[0]);
        assertEquals(DepthwiseForward.choose(nchw).label, Conv.of(nchw).paths().split(" ")[0]);
        assertEquals("dw-nhwc-general", Conv.of(grouped).paths().split(" ")[0]);
        assertEquals("dw-nhwc-general", Conv.of(dilated).paths().split(" ")[0]);
    }

    @Test
    void channelsFirstThroughConvMatchesTheReference() {
        for (int s = 1; s <= 2; s++) {
            ConvSpec spec = ConvSpec.builder(CHANNELS_FIRST, 2, 19, 13, 21).kernel(3, 3).depthwise(1).stride(s)
                    .padding(Padding.same()).filterLayout(FilterLayout.OUT_IN_SPATIAL)
                    .activation(Activation.RELU6).build();
            float[] x = Tensors.random(4, spec.inputLength());
            float[] f = Tensors.random(5, spec.filterLength());
            float[] b = Tensors.random(6, spec.outChannels());
            Conv conv = Conv.of(spec, 2);
            assertTrue(conv.paths().startsWith("dw-nchw"), conv.paths());
            assertClose(reference(spec, x, f, b), conv.forward(x, f, b), tolerance(spec, x, f, b), conv.paths());
        }
    }

    @Test
    void fewRowsSplitOverChannelBlocksGiveTheSameResult() {
        ConvSpec spec = ConvSpec.builder(CHANNELS_LAST, 1, 2, 7, 100).kernel(3, 3).depthwise(1)
                .padding(Padding.same()).activation(Activation.HARD_SWISH).build();
        float[] x = Tensors.random(7, spec.inputLength());
        float[] f = Tensors.random(8, spec.filterLength());
        float[] b = Tensors.random(9, spec.outChannels());
        float[] one = Conv.of(spec, 1).forward(x, f, b);
        for (int threads : new int[] {2, 3, 8}) {
            float[] many = Conv.of(spec, threads).forward(x, f, b);
            for (int i = 0; i < one.length; i++) {
                assertEquals(one[i], many[i], 0f, threads + " threads, element " + i);
            }
        }
    }

    /** The kernels that apply to {@code spec}: the chosen one, and the general one of its layout. */
    static List<DepthwiseForward.Kernel> kernels(ConvSpec spec) {
        DepthwiseForward.Kernel chosen = DepthwiseForward.choose(spec);
        DepthwiseForward.Kernel general = spec.layout() == CHANNELS_LAST ? DepthwiseForward.Kernel.NHWC_GENERAL
                : DepthwiseForward.Kernel.NCHW_VIA_NHWC_GENERAL;
        return chosen == general ? List.of(chosen) : List.of(chosen, general);
    }

    static float[] reference(ConvSpec spec, float[] x, float[] f, float[] b) {
        float[] y = new float[spec.outputLength()];
        ConvRef.forward(spec.geometry(), x, f, b, spec.activation(), y);
        return y;
    }

    /** 1e-5 of the sum of |terms| of each output (float accumulation against the double reference). */
    static double[] tolerance(ConvSpec spec, float[] x, float[] f, float[] b) {
        ConvGeometry g = spec.geometry();
        float[] ax = abs(x), af = abs(f), ab = b == null ? null : abs(b);
        float[] sum = new float[spec.outputLength()];
        ConvRef.forward(g, ax, af, ab, Activation.NONE, sum);
        double[] tol = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            tol[i] = 1e-5 * sum[i] + 1e-6;
        }
        return tol;
    }

    static void assertClose(float[] want, float[] got, double[] tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol[i])) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i]);
            }
        }
    }

    private static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }
}
