package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.PadMode;
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
 * The im2col + GEMM path against the reference: 1-D to 3-D, kernels 1x1 (strided), 1x3, 3x3, 5x5,
 * 2x3x3, 3x3x3, strides 1, 2, 3 and unequal, dilation 2 (also with stride 2), every padding
 * (valid, same, same_lower, causal, explicit asymmetric, padding wider than the kernel), groups 1,
 * 2, 4, channel counts 1 ... 300 (several blocks of pixels crossing images, several blocks of k),
 * both filter layouts, bias or not, every activation, 1 to 3 threads. Each list is walked in step
 * with the others rather than multiplied out. Every vector width (simd tag).
 */
@Tag("simd")
class Im2colForwardTest {

    /** A channels-last spec: input {@code shape} (N, spatial..., C), kernel, stride, dilation, padding, O, groups. */
    static ConvSpec conv(int[] shape, int[] kernel, int[] stride, int[] dilation, Padding padding, int o, int groups) {
        return ConvSpec.builder(CHANNELS_LAST, shape).kernel(kernel).stride(stride).dilation(dilation)
                .padding(padding).conv(o, groups).build();
    }

    static int[] a(int... v) {
        return v;
    }

    static Padding explicit(int[] before, int[] after) {
        return Padding.explicit(before, after);
    }

    /** The grid, without activations and filter layouts (those are walked in step by the tests). */
    static List<ConvSpec> shapes() {
        List<ConvSpec> s = new ArrayList<>();
        // 1-D
        s.add(conv(a(2, 17, 3), a(3), a(1), a(1), Padding.same(), 8, 1));
        s.add(conv(a(1, 23, 8), a(5), a(2), a(1), Padding.valid(), 17, 1));
        s.add(conv(a(2, 20, 8), a(3), a(1), a(2), Padding.causal(), 8, 4));
        s.add(conv(a(1, 19, 17), a(3), a(3), a(1), explicit(a(2), a(0)), 1, 1));
        // 2-D
        s.add(conv(a(2, 7, 9, 3), a(3, 3), a(1), a(1), Padding.same(), 8, 1));
        s.add(conv(a(1, 8, 8, 17), a(3, 3), a(2), a(1), Padding.same(), 17, 1));
        s.add(conv(a(2, 9, 11, 8), a(3, 3), a(3), a(1), Padding.valid(), 1, 1));
        s.add(conv(a(1, 10, 9, 8), a(1, 3), a(1, 2), a(1), explicit(a(0, 1), a(0, 2)), 8, 2));
        s.add(conv(a(2, 12, 12, 3), a(5, 5), a(1), a(2), Padding.same(), 8, 1));
        s.add(conv(a(1, 13, 12, 8), a(3, 3), a(2), a(2), Padding.sameLower(), 17, 1));
        s.add(conv(a(1, 11, 13, 16), a(3, 3), a(2, 3), a(1), explicit(a(2, 0), a(1, 3)), 16, 4));
        s.add(conv(a(3, 6, 6, 1), a(3, 3), a(1), a(1), Padding.same(), 8, 1));
        s.add(conv(a(1, 5, 5, 17), a(5, 5), a(1), a(1), Padding.valid(), 3, 1));
        s.add(conv(a(1, 3, 3, 3), a(3, 3), a(1), a(1), Padding.same(), 1, 1));
        s.add(conv(a(2, 9, 9, 8), a(1, 1), a(2), a(1), Padding.valid(), 17, 1));
        s.add(conv(a(1, 5, 6, 3), a(3, 3), a(1), a(1), explicit(a(4, 1), a(4, 5)), 3, 1));
        s.add(conv(a(2, 8, 7, 12), a(3, 3), a(2, 1), a(2, 1), Padding.same(), 8, 2));
        // 3-D
        s.add(conv(a(1, 4, 6, 5, 3), a(2, 3, 3), a(1), a(1), Padding.same(), 8, 1));
        s.add(conv(a(2, 5, 7, 6, 8), a(2, 3, 3), a(1, 2, 2), a(1), Padding.valid(), 8, 2));
        s.add(conv(a(1, 6, 5, 7, 4), a(3, 3, 3), a(1), a(2), explicit(a(1, 2, 0), a(2, 1, 3)), 3, 1));
        // several blocks of pixels, crossing images; several blocks of k (width 2700)
        s.add(conv(a(3, 15, 15, 16), a(3, 3), a(1), a(1), Padding.same(), 32, 1));
        s.add(conv(a(1, 6, 6, 300), a(3, 3), a(1), a(1), Padding.same(), 8, 1));
        s.add(conv(a(2, 9, 10, 34), a(3, 3), a(2), a(1), Padding.same(), 66, 2));
        return s;
    }

    static final Activation[] ACTIVATIONS = PointwiseForwardTest.ACTIVATIONS;

    /** Shapes with activations and filter layouts walked in step. */
    static List<ConvSpec> specs() {
        List<ConvSpec> s = new ArrayList<>();
        List<ConvSpec> shapes = shapes();
        for (int i = 0; i < shapes.size(); i++) {
            FilterLayout fl = i % 2 == 0 ? FilterLayout.SPATIAL_IN_OUT : FilterLayout.OUT_IN_SPATIAL;
            s.add(shapes.get(i).toBuilder().filterLayout(fl).activation(ACTIVATIONS[i % ACTIVATIONS.length]).build());
        }
        // the other filter layout for a few, and the activations that the walk above gave no grouped spec
        s.add(shapes.get(2).toBuilder().filterLayout(FilterLayout.SPATIAL_IN_OUT).activation(Activation.HARD_SWISH)
                .build());
        s.add(shapes.get(10).toBuilder().filterLayout(FilterLayout.OUT_IN_SPATIAL).activation(Activation.SIGMOID)
                .build());
        s.add(shapes.get(18).toBuilder().filterLayout(FilterLayout.OUT_IN_SPATIAL).activation(Activation.RELU6)
                .build());
        return s;
    }

    @TestFactory
    Stream<DynamicTest> matchesTheReference() {
        List<ConvSpec> specs = specs();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ConvSpec spec = specs.get(i);
            boolean withBias = i % 2 == 0;
            int threads = 1 + i % 3;
            tests.add(DynamicTest.dynamicTest(spec + (withBias ? " +bias" : "") + " threads=" + threads,
                    () -> check(spec, withBias, threads)));
        }
        return tests.stream();
    }

    static void check(ConvSpec spec, boolean withBias, int threads) {
        assertTrue(Im2colForward.supports(spec), spec + " should take the im2col path");
        long seed = spec.toString().hashCode();
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = withBias ? Tensors.random(seed + 2, spec.outChannels()) : null;
        float[] y = new float[spec.outputLength()];
        Arrays.fill(y, Float.NaN);
        new Im2colForward(spec, threads).forward(x, f, b, y);
        PointwiseForwardTest.assertMatchesReference(spec, x, f, b, y, spec + " threads=" + threads);
    }

    @Test
    void takesFullAndGroupedChannelsLastZeroPaddedConvolutions() {
        ConvSpec full = conv(a(1, 6, 6, 4), a(3, 3), a(1), a(1), Padding.same(), 8, 1);
        assertTrue(Im2colForward.supports(full));
        assertEquals("im2col-gemm-nhwc / im2col-gemm-nhwc", Conv.of(full, 2).paths());
        assertEquals("im2col-gemm-nhwc / im2col-gemm-nhwc",
                Conv.of(conv(a(1, 6, 6, 4), a(3, 3), a(1), a(1), Padding.same(), 8, 2), 1).paths());
        assertFalse(Im2colForward.supports(full.toBuilder().padMode(PadMode.REFLECT).build()));
        assertFalse(Im2colForward.supports(ConvSpec.builder(CHANNELS_FIRST, 1, 4, 6, 6).kernel(3, 3).conv(8, 1)
                .build()));
        assertFalse(Im2colForward.supports(ConvSpec.builder(CHANNELS_LAST, 1, 6, 6, 4).kernel(3, 3).depthwise(2)
                .build()), "depthwise has its own path");
        assertEquals("pw-gemm-nhwc", Conv.of(ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).pointwise(8).build())
                .paths().split(" ")[0], "plain 1x1 stays on the pointwise path");
    }
}
