package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.ConvRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
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
 * The pointwise GEMM path against the reference: channel counts below, at and above the tile's
 * widths (1 ... 100, and 300 for several blocks of k), odd and even positions, more positions
 * than one block of rows or columns, batch 1 and 3, both layouts, both filter layouts, groups,
 * 1-D to 3-D, bias or not, every activation, 1 to 3 threads. Runs at every vector width (simd tag).
 */
@Tag("simd")
class PointwiseForwardTest {
    static final int[][] CHANNELS = {
        {1, 3}, {3, 1}, {7, 8}, {8, 7}, {13, 16}, {16, 13}, {17, 31}, {31, 17}, {33, 100}, {100, 33},
        {16, 16}, {24, 144}, {300, 40},
    };
    static final int[][] SPATIAL = {{1, 1}, {5, 3}, {4, 4}, {7, 9}, {17, 19}};
    static final Activation[] ACTIVATIONS = {Activation.NONE, Activation.RELU, Activation.RELU6,
        Activation.leakyRelu(0.2f), Activation.SIGMOID, Activation.HARD_SWISH};

    /** A grid that meets every item without the full product: each list is walked in step with the others. */
    static List<ConvSpec> specs() {
        List<ConvSpec> s = new ArrayList<>();
        int i = 0;
        for (Layout layout : Layout.values()) {
            for (FilterLayout fl : FilterLayout.values()) {
                for (int[] ch : CHANNELS) {
                    int[] hw = SPATIAL[i % SPATIAL.length];
                    int batch = i % 3 == 0 ? 3 : 1;
                    if ((long) ch[0] * ch[1] * hw[0] * hw[1] * batch > 2_000_000) {
                        hw = SPATIAL[1];
                    }
                    s.add(pw(layout, batch, hw, ch[0], ch[1], 1, fl, ACTIVATIONS[i % ACTIVATIONS.length]));
                    i++;
                }
            }
        }
        // grouped (ShuffleNet's 1x1 group convolutions), with several blocks of rows and columns
        s.add(pw(CHANNELS_LAST, 2, new int[] {9, 11}, 12, 18, 3, FilterLayout.SPATIAL_IN_OUT, Activation.RELU));
        s.add(pw(CHANNELS_FIRST, 1, new int[] {17, 19}, 12, 18, 3, FilterLayout.OUT_IN_SPATIAL, Activation.NONE));
        s.add(pw(CHANNELS_LAST, 1, new int[] {5, 5}, 34, 66, 2, FilterLayout.OUT_IN_SPATIAL, Activation.HARD_SWISH));
        s.add(pw(CHANNELS_FIRST, 3, new int[] {3, 5}, 34, 66, 2, FilterLayout.SPATIAL_IN_OUT, Activation.RELU6));
        // 1-D and 3-D
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 13, 17).pointwise(33).activation(Activation.SIGMOID).build());
        s.add(ConvSpec.builder(CHANNELS_FIRST, 2, 17, 13).pointwise(31).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 3, 4, 5, 9).pointwise(20).filterLayout(FilterLayout.OUT_IN_SPATIAL)
                .build());
        s.add(ConvSpec.builder(CHANNELS_FIRST, 2, 9, 3, 4, 5).pointwise(20).activation(Activation.leakyRelu(0.1f))
                .build());
        // many rows: several row blocks and threads, and a short last tile
        s.add(pw(CHANNELS_LAST, 1, new int[] {13, 23}, 40, 48, 1, FilterLayout.SPATIAL_IN_OUT, Activation.NONE));
        s.add(pw(CHANNELS_FIRST, 1, new int[] {23, 29}, 40, 48, 1, FilterLayout.SPATIAL_IN_OUT, Activation.RELU));
        // channels-first images of more than 1024 pixels: written a tile of rows at a time, in column blocks
        s.add(pw(CHANNELS_FIRST, 2, new int[] {33, 35}, 13, 17, 1, FilterLayout.OUT_IN_SPATIAL, Activation.RELU6));
        s.add(pw(CHANNELS_FIRST, 1, new int[] {31, 37}, 300, 9, 3, FilterLayout.SPATIAL_IN_OUT, Activation.HARD_SWISH));
        // channels-first batches of small images (7x7, 3x3, 1x1): the images' pixels side by side in one product
        s.add(pw(CHANNELS_FIRST, 3, new int[] {7, 7}, 40, 24, 1, FilterLayout.OUT_IN_SPATIAL, Activation.RELU6));
        s.add(pw(CHANNELS_FIRST, 8, new int[] {7, 7}, 300, 17, 1, FilterLayout.SPATIAL_IN_OUT, Activation.NONE));
        s.add(pw(CHANNELS_FIRST, 4, new int[] {3, 3}, 34, 66, 2, FilterLayout.OUT_IN_SPATIAL, Activation.HARD_SWISH));
        s.add(pw(CHANNELS_FIRST, 5, new int[] {1, 1}, 33, 17, 1, FilterLayout.SPATIAL_IN_OUT, Activation.RELU));
        s.add(pw(CHANNELS_FIRST, 2, new int[] {7, 7}, 9, 100, 1, FilterLayout.OUT_IN_SPATIAL, Activation.SIGMOID));
        s.add(pw(CHANNELS_FIRST, 2, new int[] {3, 3}, 20, 300, 1, FilterLayout.OUT_IN_SPATIAL, Activation.RELU));
        s.add(pw(CHANNELS_FIRST, 3, new int[] {1, 3}, 7, 270, 1, FilterLayout.SPATIAL_IN_OUT, Activation.NONE));
        // single small images, channels-first (7x7: 49 columns of 64 in the tiles), several blocks of k
        s.add(pw(CHANNELS_FIRST, 1, new int[] {7, 7}, 40, 24, 1, FilterLayout.OUT_IN_SPATIAL, Activation.RELU6));
        s.add(pw(CHANNELS_FIRST, 1, new int[] {7, 7}, 96, 100, 2, FilterLayout.SPATIAL_IN_OUT, Activation.HARD_SWISH));
        s.add(pw(CHANNELS_FIRST, 1, new int[] {1, 3}, 17, 33, 1, FilterLayout.OUT_IN_SPATIAL, Activation.leakyRelu(0.1f)));
        s.add(pw(CHANNELS_FIRST, 1, new int[] {7, 7}, 300, 37, 1, FilterLayout.OUT_IN_SPATIAL, Activation.NONE));
        return s;
    }

    static ConvSpec pw(Layout layout, int batch, int[] hw, int c, int o, int groups, FilterLayout fl, Activation act) {
        int[] shape = layout == CHANNELS_LAST ? new int[] {batch, hw[0], hw[1], c} : new int[] {batch, c, hw[0], hw[1]};
        return ConvSpec.builder(layout, shape).pointwise(o).groups(groups).filterLayout(fl).activation(act).build();
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
        assertTrue(PointwiseForward.supports(spec), spec + " should take the pointwise path");
        // the path itself: ConvPaths may give C = 1 to the depthwise path first
        PointwiseForward path = new PointwiseForward(spec, threads);
        long seed = spec.toString().hashCode();
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = withBias ? Tensors.random(seed + 2, spec.outChannels()) : null;
        float[] y = new float[spec.outputLength()];
        java.util.Arrays.fill(y, Float.NaN);
        path.forward(x, f, b, y);
        assertMatchesReference(spec, x, f, b, y, spec.toString());
    }

    /** Within 1e-5 of the sum of |terms| (times the activation's steepest slope, 1.5 for hard-swish). */
    static void assertMatchesReference(ConvSpec spec, float[] x, float[] f, float[] b, float[] y, String what) {
        float[] expected = new float[spec.outputLength()];
        RefPaths.forward(spec).forward(x, f, b, expected);
        float[] scale = new float[spec.outputLength()];
        ConvSpec linear = spec.toBuilder().activation(Activation.NONE).build();
        ConvRef.forward(linear.geometry(), abs(x), abs(f), b == null ? null : abs(b), Activation.NONE, scale);
        for (int i = 0; i < expected.length; i++) {
            double tol = 1.5e-5 * scale[i] + 1e-6;
            if (!(Math.abs(expected[i] - y[i]) <= tol)) {
                fail(what + ": y[" + i + "] = " + y[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
            }
        }
    }

    static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }

    private static ConvSpec.Builder base() {
        return ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).pointwise(8);
    }

    @Test
    void takesOnlyUnpaddedStrideOneOneByOne() {
        assertTrue(PointwiseForward.supports(base().build()));
        assertTrue(PointwiseForward.supports(base().padding(Padding.same()).build()), "same pads nothing");
        assertFalse(PointwiseForward.supports(base().stride(2).build()));
        assertFalse(PointwiseForward.supports(base().padding(Padding.explicit(new int[] {1}, new int[] {0})).build()));
        assertFalse(PointwiseForward.supports(ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).kernel(3, 3).conv(8, 1)
                .build()));
        assertFalse(PointwiseForward.supports(ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).kernel(1, 1).depthwise(2)
                .build()), "depthwise 1x1 has its own path");
        assertEquals("pw-gemm-nchw", Conv.of(ConvSpec.builder(CHANNELS_FIRST, 1, 4, 5, 5).pointwise(8).build())
                .paths().split(" ")[0]);
        assertEquals("pw-gemm-nhwc", Conv.of(ConvSpec.builder(CHANNELS_LAST, 1, 5, 5, 4).pointwise(8).groups(2)
                .build()).paths().split(" ")[0]);
    }
}
