package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;
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
 * {@link Conv#prepare}: the prepared forward pass equals {@link Conv#forward} bit for bit (sigmoid
 * too, see {@link #assertSame}) on every path (depthwise, pointwise in both layouts and
 * filter layouts, grouped, the images folded side by side, im2col, the reference), with and
 * without bias, every activation, and as {@link Conv#forward} with another thread count; it keeps
 * a snapshot of the weights; it refuses bad arrays, naming them, before it writes anything. Every
 * vector width (simd tag).
 */
@Tag("simd")
class PreparedConvTest {
    static List<ConvSpec> specs() {
        List<ConvSpec> s = new ArrayList<>(PointwiseForwardTest.specs());
        s.addAll(Im2colForwardTest.specs());
        Activation[] acts = PointwiseForwardTest.ACTIVATIONS;
        // depthwise: 3x3 stride 1 and 2, multipliers, both layouts, 1-D and 3-D
        int i = 0;
        for (Layout layout : Layout.values()) {
            for (int[] c : new int[][] {{1, 1}, {8, 1}, {17, 2}, {33, 3}}) {
                int stride = 1 + i % 2;
                int[] shape = layout == CHANNELS_LAST ? new int[] {1 + i % 2, 9, 11, c[0]} : new int[] {1 + i % 2, c[0], 9, 11};
                s.add(ConvSpec.builder(layout, shape).kernel(3, 3).stride(stride, stride).padding(Padding.same())
                        .depthwise(c[1]).activation(acts[i % acts.length]).build());
                i++;
            }
        }
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 13, 7).kernel(5).depthwise(1).activation(Activation.RELU).build());
        s.add(ConvSpec.builder(CHANNELS_FIRST, 1, 3, 4, 5, 6).kernel(3, 3, 3).padding(Padding.same()).depthwise(2)
                .build());
        // the reference: channels-first full convolutions, a reflect-padded one
        s.add(ConvSpec.builder(CHANNELS_FIRST, 2, 3, 6, 5).kernel(3, 3).padding(Padding.same()).conv(4, 1)
                .activation(Activation.HARD_SWISH).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 6, 6, 4).kernel(3, 3).padding(Padding.same()).padMode(PadMode.REFLECT)
                .conv(8, 2).filterLayout(FilterLayout.OUT_IN_SPATIAL).activation(Activation.SIGMOID).build());
        return s;
    }

    @TestFactory
    Stream<DynamicTest> equalsForwardBitForBit() {
        List<ConvSpec> specs = specs();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ConvSpec spec = specs.get(i);
            boolean withBias = i % 2 == 1;
            int threads = 1 + i % 3;
            tests.add(DynamicTest.dynamicTest(spec + (withBias ? " +bias" : "") + " threads=" + threads,
                    () -> check(spec, withBias, threads)));
        }
        return tests.stream();
    }

    static void check(ConvSpec spec, boolean withBias, int threads) {
        Conv conv = Conv.of(spec, threads);
        long seed = spec.toString().hashCode();
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = withBias ? Tensors.random(seed + 2, spec.outChannels()) : null;
        float[] want = conv.forward(x, f, b);
        PreparedConv prepared = conv.prepare(f, b);
        String what = spec + " (" + conv.paths() + ")";
        assertSame(want, prepared.forward(x), what);
        // the tiles a thread count gives change no sum
        assertSame(want, Conv.of(spec, threads == 1 ? 3 : 1).forward(x, f, b), what + " other thread count");
        float[] y = new float[spec.outputLength()];
        Arrays.fill(y, Float.NaN);
        prepared.forward(x, y);
        assertSame(want, y, what + " into y");
        // a snapshot: the caller's arrays may change afterwards
        Arrays.fill(f, 3f);
        if (b != null) {
            Arrays.fill(b, -2f);
        }
        assertSame(want, prepared.forward(x), what + " after the caller changed its weights");
    }

    /**
     * Bit for bit, sigmoid too: its e^x is the kernels' own ({@code DwActivation.exp}), which gives
     * the same bits at every JIT tier (the Vector API's EXP rounded apart once compiled, and
     * {@link Conv#forward} then differed from one call to the next).
     */
    static void assertSame(float[] want, float[] got, String what) {
        assertArrayEquals(want, got, what);
    }

    @Test
    void refusesBadArraysNamingThemBeforeWriting() {
        ConvSpec pw = ConvSpec.builder(CHANNELS_FIRST, 2, 8, 7, 7).pointwise(16).build();
        ConvSpec dw = ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 8).kernel(3, 3).depthwise(1).build();
        for (ConvSpec spec : List.of(pw, dw)) {
            Conv conv = Conv.of(spec, 1);
            float[] f = new float[spec.filterLength()];
            float[] b = new float[spec.outChannels()];
            assertNames("filter", () -> conv.prepare(null, b));
            assertNames("filter", () -> conv.prepare(new float[f.length + 1], b));
            assertNames("bias", () -> conv.prepare(f, new float[b.length - 1]));
            PreparedConv p = conv.prepare(f, null);
            float[] y = new float[spec.outputLength()];
            Arrays.fill(y, Float.NaN);
            assertNames("x", () -> p.forward(new float[spec.inputLength() - 1], y));
            assertNames("x", () -> p.forward(null, y));
            assertNames("x", () -> p.forward(new float[spec.inputLength() + 1]));
            assertNames("y", () -> p.forward(new float[spec.inputLength()], new float[y.length + 1]));
            assertNames("y", () -> p.forward(new float[spec.inputLength()], null));
            for (float v : y) {
                assertTrue(Float.isNaN(v), "y was written before the arrays were checked");
            }
        }
    }

    private static void assertNames(String name, Runnable call) {
        ShapeException e = assertThrows(ShapeException.class, call::run);
        assertTrue(e.getMessage().contains(": " + name + " "), e.getMessage() + " should name " + name);
    }
}
