package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SpatialSeparableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Small cases worked out by hand, and parameter counts from the literature. */
class HandWorkedTest {

    private static float[] conv1d(ConvSpec spec, float[] x, float[] w) {
        return Conv.of(spec).forward(x, w, null);
    }

    private static ConvSpec.Builder oneChannel(int length) {
        return ConvSpec.builder(CHANNELS_LAST, 1, length, 1);
    }

    @Test
    void causalConvolutionNeverSeesTheFuture() {
        // y[t] = x[t-1] * 1 + x[t] * 10, x[-1] = 0
        float[] y = conv1d(oneChannel(4).kernel(2).depthwise(1).padding(Padding.causal()).build(),
                new float[] {1, 2, 3, 4}, new float[] {1, 10});
        assertArrayEquals(new float[] {10, 21, 32, 43}, y);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // mode, y for the tap reading x[t-1], y for the tap reading x[t+1] (x = 1 2 3 4)
        "ZEROS,     0 1 2 3, 2 3 4 0",
        "REFLECT,   2 1 2 3, 2 3 4 3",
        "REPLICATE, 1 1 2 3, 2 3 4 4",
        "CIRCULAR,  4 1 2 3, 2 3 4 1"})
    void padModesReadTheDocumentedBorder(PadMode mode, String left, String right) {
        ConvSpec spec = oneChannel(4).kernel(3).depthwise(1).padding(Padding.same()).padMode(mode).build();
        float[] x = {1, 2, 3, 4};
        assertArrayEquals(floats(left), conv1d(spec, x, new float[] {1, 0, 0}));
        assertArrayEquals(floats(right), conv1d(spec, x, new float[] {0, 0, 1}));
    }

    @Test
    void dilationTogetherWithStride() {
        // Keras and tf.nn refuse this combination. effK = 4, out = (10 - 4) / 2 + 1 = 4, y[t] = x[2t] + x[2t+3]
        float[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        ConvSpec spec = oneChannel(10).kernel(2).depthwise(1).dilation(3).stride(2).build();
        assertArrayEquals(new float[] {3, 7, 11, 15}, conv1d(spec, x, new float[] {1, 1}));
    }

    @Test
    void outputChannelOrderIsChannelTimesMultiplierPlusM() {
        // one pixel, C = 2, M = 2, 1x1 filter [C, M] = [[1, 2], [3, 4]]: y = [1*1, 1*2, 10*3, 10*4]
        ConvSpec spec = ConvSpec.builder(CHANNELS_LAST, 1, 1, 1, 2).kernel(1, 1).depthwise(2).build();
        assertArrayEquals(new float[] {1, 2, 30, 40},
                Conv.of(spec).forward(new float[] {1, 10}, new float[] {1, 2, 3, 4}, null));
    }

    @Test
    void biasThenActivation() {
        ConvSpec spec = oneChannel(3).kernel(1).depthwise(1).activation(Activation.RELU6).build();
        // z = 2x - 1: -3, 3, 9 -> relu6: 0, 3, 6
        assertArrayEquals(new float[] {0, 3, 6},
                Conv.of(spec).forward(new float[] {-1, 2, 5}, new float[] {2}, new float[] {-1}));
    }

    @ParameterizedTest(name = "in {0} k {1} s {2}")
    @CsvSource({
        // in, kernel, stride, same: before, after, out; same_lower: before, after
        "5, 3, 2, 1, 1, 3, 1, 1",
        "6, 3, 2, 0, 1, 3, 1, 0",
        "7, 4, 1, 1, 2, 7, 2, 1",
        "1, 3, 3, 1, 1, 1, 1, 1"})
    void samePaddingFollowsTheTensorflowRule(int in, int k, int s, int before, int after, int out, int lowerBefore,
                                             int lowerAfter) {
        ConvSpec same = oneChannel(in).kernel(k).depthwise(1).stride(s).padding(Padding.same()).build();
        assertEquals(before, same.padBefore()[0]);
        assertEquals(after, same.padAfter()[0]);
        assertEquals(out, same.outputSpatial()[0]);
        ConvSpec lower = same.toBuilder().padding(Padding.sameLower()).build();
        assertEquals(lowerBefore, lower.padBefore()[0]);
        assertEquals(lowerAfter, lower.padAfter()[0]);
    }

    @Test
    void parameterCountsOfStandardAndSeparableConvolution() {
        // 8 in, 16 out, 3x3: a standard convolution has 3*3*8*16 + 16 = 1,168 parameters with bias
        ConvSpec standard = ConvSpec.builder(CHANNELS_LAST, 1, 32, 32, 8).kernel(3, 3).conv(16, 1).build();
        assertEquals(1168, standard.filterLength() + standard.outChannels());
        // the separable one: 3*3*8 depthwise + 8*16 pointwise + 16 bias = 216 (Keras SeparableConv2D)
        SeparableSpec sep = SeparableSpec.of(ConvSpec.builder(CHANNELS_LAST, 1, 32, 32, 8).kernel(3, 3)
                .depthwise(1).build(), SeparableSpec.Middle.NONE, 16, Activation.NONE);
        assertEquals(216, sep.depthwise().filterLength() + sep.pointwise().filterLength() + 16);
    }

    @Test
    void sobelFactorsIntoSmoothingThenDifference() {
        // vertical [1, 2, 1] then horizontal [-1, 0, 1] is Sobel-x; a step edge of height 1 gives 1+2+1 = 4
        ConvSpec full = ConvSpec.builder(CHANNELS_LAST, 1, 3, 3, 1).kernel(3, 3).depthwise(1).build();
        float[] x = {0, 0, 1, 0, 0, 1, 0, 0, 1};
        float[] y = SpatialSeparableConv.of(SpatialSeparableSpec.of(full)).forward(x, new float[] {1, 2, 1},
                new float[] {-1, 0, 1}, null);
        assertArrayEquals(new float[] {4}, y);
    }

    @Test
    void channelShuffleInterleavesTheGroups() {
        ChannelShuffle shuffle = ChannelShuffle.of(ChannelShuffleSpec.of(CHANNELS_LAST, new int[] {1, 1, 6}, 2));
        float[] y = shuffle.forward(new float[] {0, 1, 2, 3, 4, 5});
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, y);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, shuffle.backward(y));
    }

    private static float[] floats(String spaced) {
        String[] p = spaced.trim().split("\\s+");
        float[] r = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = Float.parseFloat(p[i]);
        }
        return r;
    }
}
