package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.kernel.ConvRef;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link DepthwiseBackward} through {@link Conv}, against the reference path: both activation
 * layouts, both filter layouts, multipliers, 1-D to 3-D, bias or not, every activation, and 1 to 3
 * threads; a given thread count gives the same bits every time. The kernels' own grid is in
 * {@link DepthwiseBackwardKernelTest}.
 */
@Tag("simd")
class DepthwiseBackwardTest {

    static List<ConvSpec> specs() {
        List<ConvSpec> s = new ArrayList<>();
        for (var layout : List.of(CHANNELS_LAST, CHANNELS_FIRST)) {
            for (FilterLayout fl : FilterLayout.values()) {
                for (int m = 1; m <= 3; m++) {
                    s.add(ConvSpec.builder(CHANNELS_LAST, 2, 7, 9, 17).kernel(3, 3).depthwise(m)
                            .layout(layout).filterLayout(fl).stride(m == 2 ? 2 : 1).padding(Padding.same()).build());
                }
                s.add(ConvSpec.builder(layout, 1, 19, 33).kernel(3).depthwise(2).filterLayout(fl)
                        .padding(Padding.causal()).dilation(2).build());
                s.add(ConvSpec.builder(layout, 1, 5, 6, 7, 16).kernel(3, 3, 3).depthwise(1).filterLayout(fl)
                        .stride(2, 1, 3).padding(Padding.sameLower()).build());
            }
        }
        for (Activation a : List.of(Activation.RELU, Activation.RELU6, Activation.leakyRelu(0.2f),
                Activation.SIGMOID, Activation.HARD_SWISH)) {
            s.add(ConvSpec.builder(CHANNELS_LAST, 2, 6, 5, 13).kernel(3, 3).depthwise(2).padding(Padding.same())
                    .activation(a).build());
        }
        // MobileNet-like: wide channels, stride 2
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 14, 14, 96).kernel(3, 3).depthwise(1).stride(2)
                .padding(Padding.same()).build());
        s.add(ConvSpec.builder(CHANNELS_FIRST, 1, 96, 14, 14).kernel(3, 3).depthwise(1).padding(Padding.same())
                .filterLayout(FilterLayout.OUT_IN_SPATIAL).build());
        return s;
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchReference() {
        return specs().stream().flatMap(spec -> Stream.of(1, 2, 3).map(threads ->
                DynamicTest.dynamicTest(spec + " threads=" + threads, () -> check(spec, threads))));
    }

    private static void check(ConvSpec spec, int threads) {
        Conv conv = Conv.of(spec, threads);
        if (Simd.AVAILABLE) {
            assertTrue(conv.paths().contains("DwBackward"), conv.paths());
        }
        long seed = spec.toString().hashCode();
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = Tensors.random(seed + 2, spec.outChannels());
        float[] dy = Tensors.random(seed + 3, spec.outputLength());
        for (boolean withBias : new boolean[] {true, false}) {
            float[] bias = withBias ? b : null;
            ConvGradients got = conv.backward(x, f, bias, dy);
            // the reference: z without activation, dz = dy * act'(z), the reference backward
            ConvSpec linear = spec.toBuilder().activation(Activation.NONE).build();
            float[] dz = dy;
            if (spec.activation().kind() != Activation.Kind.NONE) {
                float[] z = new float[spec.outputLength()];
                ConvRef.forward(linear.geometry(), x, f, bias, Activation.NONE, z);
                dz = new float[z.length];
                ActivationRef.backward(spec.activation(), z, dy, dz);
            }
            ConvGradients want = RefPaths.backward(spec).backward(x, f, bias, dz);
            ConvGradients scale = RefPaths.backward(spec).backward(DepthwiseBackwardKernelTest.abs(x),
                    DepthwiseBackwardKernelTest.abs(f), bias, DepthwiseBackwardKernelTest.abs(dz));
            String what = spec + " threads=" + threads + (withBias ? " +bias" : "");
            close(what + " dx", want.dx(), scale.dx(), got.dx());
            close(what + " dfilter", want.dfilter(), scale.dfilter(), got.dfilter());
            if (withBias) {
                close(what + " dbias", want.dbias(), scale.dbias(), got.dbias());
            } else {
                assertNull(got.dbias(), what);
            }
            ConvGradients again = conv.backward(x, f, bias, dy);
            assertArrayEquals(got.dx(), again.dx(), what + ": dx differs between two runs");
            assertArrayEquals(got.dfilter(), again.dfilter(), what + ": dfilter differs between two runs");
        }
    }

    static void close(String what, float[] expected, float[] scale, float[] got) {
        assertEquals(expected.length, got.length, what + " length");
        double[] e = new double[expected.length];
        double[] s = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
            s[i] = scale[i];
        }
        DepthwiseBackwardKernelTest.compare(what, e, s, got, 0);
    }

    @Test
    void supportsZeroPaddedDepthwiseOnly() {
        ConvSpec.Builder dw = ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).kernel(3, 3).depthwise(2);
        assertEquals(Simd.AVAILABLE, DepthwiseBackward.supports(dw.build()));
        assertEquals(Simd.AVAILABLE, DepthwiseBackward.supports(dw.layout(CHANNELS_FIRST).stride(2).build()));
        for (PadMode mode : List.of(PadMode.REFLECT, PadMode.REPLICATE, PadMode.CIRCULAR)) {
            assertFalse(DepthwiseBackward.supports(dw.padding(Padding.same()).padMode(mode).build()), mode.name());
        }
        assertFalse(DepthwiseBackward.supports(
                ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).kernel(3, 3).conv(8, 2).build()));
        assertFalse(DepthwiseBackward.supports(ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).pointwise(4).build()));
        assertEquals("reference", ConvPaths.backward(dw.padMode(PadMode.REFLECT).build(), 1).name());
    }
}
