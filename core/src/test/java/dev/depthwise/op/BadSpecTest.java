package dev.depthwise.op;

import static dev.depthwise.op.BadInputTest.assertRefused;
import static dev.depthwise.op.BadInputTest.nhwc;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SpatialSeparableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spec and builder rules: every bad size, hyper-parameter or spelling is refused when the spec is
 * built (or parsed) with a {@link dev.depthwise.spec.ShapeException} naming the parameter and its
 * value. None of these tests allocates a tensor: the huge shapes are only ever specs.
 */
class BadSpecTest {

    private static int[] ones(int n) {
        int[] v = new int[n];
        Arrays.fill(v, 1);
        return v;
    }

    // ---------------------------------------------------------------- 1, 2. zero or negative dims

    /** Every axis of every rank and layout, set to 0 or -1: (layout, rank, axis, value, name). */
    static Stream<Arguments> badDims() {
        List<Arguments> list = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            for (int rank = 1; rank <= 3; rank++) {
                int channelAxis = layout == Layout.CHANNELS_LAST ? rank + 1 : 1;
                for (int axis = 0; axis < rank + 2; axis++) {
                    String name;
                    if (axis == 0) {
                        name = "batch";
                    } else if (axis == channelAxis) {
                        name = "channels";
                    } else {
                        int spatial = layout == Layout.CHANNELS_LAST ? axis - 1 : axis - 2;
                        name = "input " + "DHW".charAt(3 - rank + spatial);
                    }
                    for (int value : new int[] {0, -1, Integer.MIN_VALUE}) {
                        list.add(Arguments.of(layout, rank, axis, value, name));
                    }
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} rank {1}: axis {2} = {3}")
    @MethodSource("badDims")
    void zeroOrNegativeDimIsRefused(Layout layout, int rank, int axis, int value, String name) {
        int[] shape = new int[rank + 2];
        Arrays.fill(shape, 4);
        shape[axis] = value;
        assertRefused(() -> ConvSpec.builder(layout, shape).kernel(ones(rank)).depthwise(1).build(),
                name, "got " + value);
    }

    @Test
    void zeroChannelsIsRefusedForEveryKindOfConv() {
        assertRefused(() -> nhwc(1, 5, 5, 0).kernel(3, 3).depthwise(1).build(), "input channels", "got 0");
        assertRefused(() -> nhwc(1, 5, 5, 0).pointwise(8).build(), "input channels", "got 0");
        assertRefused(() -> nhwc(1, 5, 5, 0).kernel(3, 3).conv(8, 1).build(), "input channels", "got 0");
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {1, 5, 5, 0}, 1), "shape[3]",
                "got 0");
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_FIRST, new int[] {1, 0, 5, 5}, 1), "shape[1]",
                "got 0");
    }

    @Test
    void inputShapeWithTooFewOrTooManyAxesIsRefused() {
        assertRefused(() -> ConvSpec.builder(Layout.CHANNELS_LAST, 1, 3), "input shape", "[1, 3]");
        assertRefused(() -> ConvSpec.builder(Layout.CHANNELS_LAST, 1, 2, 3, 4, 5, 6), "input shape",
                "[1, 2, 3, 4, 5, 6]");
        assertRefused(() -> ConvSpec.builder(Layout.CHANNELS_LAST, (int[]) null), "input shape", "null");
        assertRefused(() -> ConvSpec.builder(null, 1, 5, 3), "layout", "null");
    }

    // ---------------------------------------------------------------- 3. multiplier

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -7, Integer.MIN_VALUE})
    void depthMultiplierBelowOneIsRefused(int m) {
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(m).build(), "multiplier", "got " + m);
    }

    // ---------------------------------------------------------------- 4. groups

    @Test
    void groupedConvWithChannelsNotDivisibleByGroupsIsRefused() {
        assertRefused(() -> nhwc(1, 5, 5, 6).kernel(3, 3).conv(8, 4).build(), "input channels", "6", "groups", "4");
    }

    @Test
    void groupedConvWithOutChannelsNotDivisibleByGroupsIsRefused() {
        assertRefused(() -> nhwc(1, 5, 5, 4).kernel(3, 3).conv(6, 4).build(), "output channels", "6", "groups",
                "4");
        assertRefused(() -> nhwc(1, 5, 5, 4).pointwise(6).groups(4).build(), "output channels", "6", "groups", "4");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -2})
    void groupsBelowOneIsRefused(int g) {
        assertRefused(() -> nhwc(1, 5, 5, 4).kernel(3, 3).conv(8, g).build(), "groups", "got " + g);
        assertRefused(() -> nhwc(1, 5, 5, 4).pointwise(8).groups(g).build(), "groups", "got " + g);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -3})
    void outputChannelsBelowOneIsRefused(int k) {
        assertRefused(() -> nhwc(1, 5, 5, 4).kernel(3, 3).conv(k, 1).build(), "output channels", "got " + k);
        assertRefused(() -> nhwc(1, 5, 5, 4).pointwise(k).build(), "output channels", "got " + k);
    }

    @Test
    void convWithoutAnyKindIsRefused() {
        // Neither depthwise(), pointwise() nor conv(): no output channel count was given.
        assertRefused(() -> nhwc(1, 5, 5, 4).kernel(3, 3).build(), "output channels", "got 0");
    }

    // ---------------------------------------------------------------- 5. kernel, stride, dilation

    @Test
    void strideBelowOneIsRefusedPerAxis() {
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).stride(1, 0).build(), "stride[1]", "got 0");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).stride(-1, 1).build(), "stride[0]",
                "got -1");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).stride(0).build(), "stride[0]", "got 0");
        assertRefused(() -> nhwc(1, 5, 5, 5, 3).kernel(3, 3, 3).depthwise(1).stride(1, 1, -2).build(), "stride[2]",
                "got -2");
        assertRefused(() -> nhwc(1, 9, 3).kernel(3).depthwise(1).stride(Integer.MIN_VALUE).build(), "stride[0]",
                "got " + Integer.MIN_VALUE);
    }

    @Test
    void dilationBelowOneIsRefusedPerAxis() {
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).dilation(1, 0).build(), "dilation[1]",
                "got 0");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).dilation(-3).build(), "dilation[0]",
                "got -3");
        assertRefused(() -> nhwc(1, 5, 5, 5, 3).kernel(1, 1, 1).depthwise(1).dilation(1, 0, 1).build(),
                "dilation[1]", "got 0");
    }

    @Test
    void kernelBelowOneIsRefusedPerAxis() {
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 0).depthwise(1).build(), "kernel[1]", "got 0");
        assertRefused(() -> nhwc(1, 5, 3).kernel(-1).depthwise(1).build(), "kernel[0]", "got -1");
    }

    @Test
    void wrongNumberOfStrideDilationOrKernelValuesIsRefused() {
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).stride(1, 1, 1).build(), "stride",
                "2-D", "got 3");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).stride().build(), "stride", "got 0");
        assertRefused(() -> nhwc(1, 5, 5, 5, 3).kernel(3, 3, 3).depthwise(1).stride(1, 2).build(), "stride",
                "3-D", "got 2");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).dilation(2, 2, 2).build(), "dilation",
                "got 3");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3).depthwise(1).build(), "kernel", "got 1");
        assertRefused(() -> nhwc(1, 5, 3).kernel(3, 3).depthwise(1).build(), "kernel", "1-D", "got 2");
    }

    @Test
    void missingKernelIsRefused() {
        assertRefused(() -> nhwc(1, 5, 5, 3).depthwise(1).build(), "kernel");
    }

    @Test
    void nullKernelStrideOrDilationArrayIsRefused() {
        // Builder.kernel/stride/dilation clone their argument: a null array must not escape as NPE.
        assertAll(
                () -> assertRefused(() -> nhwc(1, 5, 5, 3).kernel((int[]) null).depthwise(1).build(), "kernel"),
                () -> assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).stride((int[]) null).build(),
                        "stride"),
                () -> assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).dilation((int[]) null).build(),
                        "dilation"));
    }

    @Test
    void nullLayoutPaddingModeOrActivationIsRefused() {
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).padding(null).build(), "padding");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).padMode(null).build(), "pad mode");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).activation(null).build(), "activation");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).filterLayout(null).build(), "filter layout");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).layout(null).build(), "layout");
    }

    // ---------------------------------------------------------------- 6. padding

    @Test
    void negativeExplicitPaddingIsRefused() {
        assertRefused(() -> Padding.explicit(new int[] {0, -1}, new int[] {0, 0}), "pad[1]", "-1");
        assertRefused(() -> Padding.explicit(new int[] {2, 2}, new int[] {-3, 0}), "pad[0]", "-3");
        assertRefused(() -> Padding.of(-2), "pad[0]", "-2");
        assertRefused(() -> Padding.of(Integer.MIN_VALUE), "pad[0]", String.valueOf(Integer.MIN_VALUE));
    }

    @Test
    void negativeParsedPaddingIsRefused() {
        assertRefused(() -> Padding.parse("-1", 2), "pad", "-1");
        assertRefused(() -> Padding.parse("1,-3", 2), "pad[1]", "-3");
        assertRefused(() -> Padding.parse("0,0,0,-4", 2), "pad[1]", "-4");
    }

    @Test
    void explicitPaddingWithWrongNumberOfAxesIsRefused() {
        assertRefused(() -> Padding.explicit(new int[] {1, 1}, new int[] {1}), "padding", "2", "1");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1)
                .padding(Padding.explicit(new int[] {1, 1, 1}, new int[] {1, 1, 1})).build(), "padding", "got 3");
        assertRefused(() -> nhwc(1, 5, 5, 5, 3).kernel(3, 3, 3).depthwise(1)
                .padding(Padding.explicit(new int[] {1, 1}, new int[] {1, 1})).build(), "padding", "got 2");
        assertRefused(() -> nhwc(1, 5, 3).kernel(3).depthwise(1)
                .padding(Padding.explicit(new int[0], new int[0])).build(), "padding", "got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "sam", "vaild", "1.5", "1,,2", "a,b", "1;2", "3000000000", "same,1"})
    void badPaddingStringIsRefused(String text) {
        assertRefused(() -> Padding.parse(text, 2), "padding", "'" + text + "'");
    }

    @Test
    void paddingStringWithWrongCountIsRefused() {
        assertRefused(() -> Padding.parse("1,2,3", 2), "padding", "got 3", "'1,2,3'");
        assertRefused(() -> Padding.parse("1,2,3,4,5", 2), "padding", "got 5");
        assertRefused(() -> Padding.parse("1,2,3,4", 3), "padding", "got 4");
    }

    @Test
    void nullPaddingArgumentsAreRefused() {
        assertAll(
                () -> assertRefused(() -> Padding.parse(null, 2), "padding", "null"),
                () -> assertRefused(() -> Padding.explicit(null, new int[] {1}), "padding", "null"),
                () -> assertRefused(() -> Padding.explicit(new int[] {1}, null), "padding", "null"));
    }

    @Test
    void paddingParseWithImpossibleRankIsRefused() {
        // new int[rank] must not escape as NegativeArraySizeException.
        assertAll(
                () -> assertRefused(() -> Padding.parse("1", -1), "rank", "-1"),
                () -> assertRefused(() -> Padding.parse("1,2", -2), "rank", "-2"));
    }

    // ---------------------------------------------------------------- 7. kernel larger than the padded input

    @Test
    void kernelLargerThanValidInputIsRefused() {
        assertRefused(() -> nhwc(1, 2, 3).kernel(3).depthwise(1).build(), "kernel", "3", "2");
        assertRefused(() -> nhwc(1, 9, 2, 3).kernel(3, 3).depthwise(1).build(), "kernel", "axis W", "3", "2");
        assertRefused(() -> nhwc(1, 2, 9, 9, 3).kernel(3, 3, 3).depthwise(1).build(), "kernel", "axis D");
    }

    @Test
    void kernelLargerThanInputIsRefusedEvenWhenTheStrideWouldHideIt() {
        // (2 - 3) / 2 + 1 == 1 in integer division: must be refused, not give an output of size 1.
        assertRefused(() -> nhwc(1, 2, 3).kernel(3).depthwise(1).stride(2).build(), "kernel", "3", "2");
        assertRefused(() -> nhwc(1, 2, 2, 3).kernel(3, 3).depthwise(1).stride(2).build(), "kernel", "3", "2");
        assertRefused(() -> nhwc(1, 4, 3).kernel(7).depthwise(1).stride(5).build(), "kernel", "7", "4");
    }

    @Test
    void kernelLargerThanExplicitlyPaddedInputIsRefused() {
        assertRefused(() -> nhwc(1, 2, 3).kernel(5).depthwise(1).padding(Padding.of(1)).build(), "kernel", "5",
                "4");
        assertRefused(() -> nhwc(1, 2, 3).kernel(5).depthwise(1).padding(Padding.of(1)).stride(3).build(),
                "kernel", "5", "4");
    }

    @Test
    void dilationMakingTheKernelExtentTooLargeIsRefused() {
        // extent (3-1)*3+1 = 7 > 5.
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).dilation(1, 3).build(), "kernel extent",
                "7", "5");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).dilation(3).stride(4).build(),
                "kernel extent", "7", "5");
    }

    @Test
    void exactFitsAreAccepted() {
        // The limits above must not refuse the boundary cases.
        assertArrayEquals(new int[] {1}, nhwc(1, 3, 2).kernel(3).depthwise(1).stride(2).build().outputSpatial());
        assertArrayEquals(new int[] {1}, nhwc(1, 2, 2).kernel(4).depthwise(1).padding(Padding.of(1)).build()
                .outputSpatial());
        assertArrayEquals(new int[] {1, 1}, nhwc(1, 7, 7, 2).kernel(3, 3).depthwise(1).dilation(3).build()
                .outputSpatial());
        assertArrayEquals(new int[] {2}, nhwc(1, 2, 1).kernel(5).depthwise(1).padding(Padding.same()).build()
                .outputSpatial());
        nhwc(1, 3, 3, 1).kernel(3, 3).depthwise(1).padding(Padding.of(2)).padMode(PadMode.REFLECT).build();
        nhwc(1, 3, 3, 1).kernel(3, 3).depthwise(1).padding(Padding.of(3)).padMode(PadMode.CIRCULAR).build();
        nhwc(1, 3, 3, 1).kernel(3, 3).depthwise(1).padding(Padding.of(50)).padMode(PadMode.REPLICATE).build();
    }

    // ---------------------------------------------------------------- 8. 32-bit overflow (specs only)

    @Test
    void inputWithTooManyElementsIsRefusedBeforeAnyAllocation() {
        // 1 x 50000 x 50000 x 1000 = 2.5e12 elements; only the spec is built.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertRefused(
                () -> nhwc(1, 50000, 50000, 1000).kernel(3, 3).depthwise(1).build(), "input", "1x50000x50000x1000",
                "2500000000000"));
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {1, 50000, 50000, 1000}, 4),
                "input", "1x50000x50000x1000");
    }

    @Test
    void elementCountOverflowingLongIsRefused() {
        int x = Integer.MAX_VALUE;
        assertRefused(() -> nhwc(x, x, x, x, x).kernel(1, 1, 1).depthwise(1).build(), "input", "2147483647");
    }

    @Test
    void outputWithTooManyElementsIsRefused() {
        // A 1x1 input padded to 120001 x 120001: the input is tiny, the output is 1.44e10 elements.
        assertRefused(() -> nhwc(1, 1, 1, 1).kernel(1, 1).depthwise(1).padding(Padding.of(60000)).build(),
                "output", "120001x120001");
        // 1000 channels * multiplier 2e6 = 2e9 output channels fit an int but 4 positions of them do not.
        assertRefused(() -> nhwc(1, 2, 2, 1000).kernel(1, 1).depthwise(2_000_000).build(), "output",
                "8000000000");
    }

    @Test
    void channelsTimesMultiplierOverflowingIntIsRefused() {
        assertRefused(() -> nhwc(1, 1, 1, 65536).kernel(1, 1).depthwise(65536).build(), "multiplier", "65536",
                "4294967296");
        assertRefused(() -> nhwc(1, 1, 1, 3).kernel(1, 1).depthwise(Integer.MAX_VALUE).build(), "multiplier",
                "2147483647");
    }

    @Test
    void dilationTimesKernelOverflowingIntIsRefused() {
        assertRefused(() -> nhwc(1, 4, 4, 1).kernel(1, 3).depthwise(1).dilation(1, Integer.MAX_VALUE).build(),
                "dilat", "2147483647");
        assertRefused(() -> nhwc(1, 4, 1).kernel(Integer.MAX_VALUE).depthwise(1).dilation(2).build(), "dilat",
                "2147483647");
        // With 'same' padding the extent would also feed the padding amount.
        assertRefused(() -> nhwc(1, 4, 4, 1).kernel(1, 3).depthwise(1).dilation(1, Integer.MAX_VALUE)
                .padding(Padding.same()).build(), "dilat", "2147483647");
    }

    @Test
    void hugePaddingOverflowingThePaddedSizeIsRefused() {
        int max = Integer.MAX_VALUE;
        assertRefused(() -> nhwc(1, 5, 5, 1).kernel(3, 3).depthwise(1).padding(Padding.of(max)).build(), "padd",
                "2147483647");
        // 1 + MAX is the first size that does not fit.
        assertRefused(() -> nhwc(1, 1, 1).kernel(1).depthwise(1)
                .padding(Padding.explicit(new int[] {max}, new int[] {0})).build(), "padd", "2147483647");
        assertRefused(() -> nhwc(1, 1, 1).kernel(1).depthwise(1).padding(Padding.parse("2147483647", 1))
                .padMode(PadMode.REPLICATE).build(), "padd", "2147483647");
    }

    @Test
    void filterWithTooManyElementsIsRefused() {
        // A 50000 -> 50000 pointwise filter is 2.5e9 elements, although input and output are small.
        assertRefused(() -> nhwc(1, 1, 1, 50000).pointwise(50000).build(), "filter", "2500000000");
        // Depthwise: output 1x1x1x2e9 fits, the 2x2x1000x2e6 filter does not.
        assertRefused(() -> nhwc(1, 2, 2, 1000).kernel(2, 2).depthwise(2_000_000).build(), "filter",
                "8000000000");
        assertRefused(() -> nhwc(1, 1, 1, 50000).kernel(1, 1).conv(50000, 1).build(), "filter", "2500000000");
    }

    // ---------------------------------------------------------------- 13. pad modes, causal, parsing

    @Test
    void reflectPaddingNotSmallerThanTheInputIsRefused() {
        assertRefused(() -> nhwc(1, 3, 3, 1).kernel(3, 3).depthwise(1).padding(Padding.of(3))
                .padMode(PadMode.REFLECT).build(), "reflect", "3");
        assertRefused(() -> nhwc(1, 8, 3, 1).kernel(3, 3).depthwise(1)
                .padding(Padding.explicit(new int[] {0, 0}, new int[] {0, 5})).padMode(PadMode.REFLECT).build(),
                "reflect", "axis W", "5");
        // 'same' with a 5-tap kernel on a 2-wide input pads 2 on each side: too much to reflect.
        assertRefused(() -> nhwc(1, 2, 1).kernel(5).depthwise(1).padding(Padding.same()).padMode(PadMode.REFLECT)
                .build(), "reflect", "2");
        // A 1-wide axis cannot be reflected at all.
        assertRefused(() -> nhwc(1, 1, 1).kernel(1).depthwise(1).padding(Padding.of(1)).padMode(PadMode.REFLECT)
                .build(), "reflect", "1");
    }

    @Test
    void circularPaddingLargerThanTheInputIsRefused() {
        assertRefused(() -> nhwc(1, 3, 3, 1).kernel(3, 3).depthwise(1).padding(Padding.of(4))
                .padMode(PadMode.CIRCULAR).build(), "circular", "4");
        assertRefused(() -> nhwc(1, 4, 1).kernel(3).depthwise(1).padding(Padding.causal()).dilation(3)
                .padMode(PadMode.CIRCULAR).build(), "circular", "6");
    }

    @Test
    void causalPaddingOutside1dIsRefused() {
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).padding(Padding.causal()).build(), "causal",
                "2-D");
        assertRefused(() -> nhwc(1, 5, 5, 5, 3).kernel(3, 3, 3).depthwise(1).padding(Padding.causal()).build(),
                "causal", "3-D");
        assertRefused(() -> nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).padding(Padding.parse("causal", 2)).build(),
                "causal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NHCW", "NWHC", "channels", "NCHW4", "nhwc_"})
    void unknownLayoutIsRefused(String text) {
        assertRefused(() -> Layout.parse(text, 2), "layout", "'" + text + "'");
    }

    @Test
    void layoutOfAnotherRankIsRefused() {
        assertRefused(() -> Layout.parse("NCHW", 1), "layout", "NCW", "'NCHW'");
        assertRefused(() -> Layout.parse("NWC", 3), "layout", "NDHWC", "'NWC'");
    }

    @Test
    void layoutParseWithImpossibleRankIsRefused() {
        // Layout.name(rank) takes a substring of "DHW": rank 4 or -1 must not escape as an index error.
        assertAll(
                () -> assertRefused(() -> Layout.parse("NHWC", 4), "rank", "4"),
                () -> assertRefused(() -> Layout.parse("NHWC", -1), "rank", "-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "HWOI", "CMHW", "IOHW", "xyz", "HWC", "OIHWX"})
    void unknownFilterLayoutIsRefused(String text) {
        assertRefused(() -> FilterLayout.parse(text), "filter layout", "'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "zero", "mirror", "wrap", "edge", "reflect101"})
    void unknownPadModeIsRefused(String text) {
        assertRefused(() -> PadMode.parse(text), "pad mode", "'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gelu", "relu7", "tanh", "swish", "leaky"})
    void unknownActivationIsRefused(String text) {
        assertRefused(() -> Activation.parse(text, 0.3f), "activation", "'" + text + "'");
    }

    @Test
    void badActivationParametersAreRefused() {
        assertRefused(() -> Activation.parse("leaky_relu", Float.NaN), "alpha", "NaN");
        assertRefused(() -> Activation.leakyRelu(Float.POSITIVE_INFINITY), "alpha", "Infinity");
        assertRefused(() -> new Activation(Activation.Kind.RELU, 0.5f), "alpha", "0.5", "relu");
        assertRefused(() -> new Activation(null, 0f), "kind", "null");
    }

    @Test
    void nullSpellingsAreRefused() {
        assertAll(
                () -> assertRefused(() -> Layout.parse(null, 2), "layout", "null"),
                () -> assertRefused(() -> FilterLayout.parse(null), "filter layout", "null"),
                () -> assertRefused(() -> PadMode.parse(null), "pad mode", "null"),
                () -> assertRefused(() -> Activation.parse(null, 0.3f), "activation", "null"));
    }

    // ---------------------------------------------------------------- 14. shuffle, separable specs

    @Test
    void channelShuffleWithChannelsNotDivisibleByGroupsIsRefused() {
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {1, 4, 4, 6}, 4), "channels",
                "6", "groups", "4");
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_FIRST, new int[] {2, 6, 4, 4}, 4), "channels",
                "6", "groups", "4");
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {1, 4, 4, 6}, 12), "channels",
                "6", "groups", "12");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void channelShuffleGroupsBelowOneIsRefused(int g) {
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {1, 4, 4, 6}, g), "groups",
                "got " + g);
    }

    @Test
    void channelShuffleWithBadShapeIsRefused() {
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {1, -4, 4, 6}, 2), "shape[1]",
                "got -4");
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {0, 4, 4, 6}, 2), "shape[0]",
                "got 0");
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {6}, 2), "shape", "6");
        assertRefused(() -> ChannelShuffleSpec.of(Layout.CHANNELS_LAST, null, 2), "shape", "null");
        assertRefused(() -> ChannelShuffleSpec.of(null, new int[] {1, 6}, 2), "layout", "null");
    }

    @Test
    void separableSpecWhoseDepthwiseStageHasAnActivationIsRefused() {
        ConvSpec dw = nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).activation(Activation.RELU6).build();
        assertRefused(() -> SeparableSpec.of(dw, SeparableSpec.Middle.NONE, 8, Activation.NONE), "activation",
                "relu6");
    }

    @Test
    void separableSpecWhoseFirstStageIsNotDepthwiseIsRefused() {
        ConvSpec full = nhwc(1, 5, 5, 3).kernel(3, 3).conv(6, 1).build();
        assertRefused(() -> SeparableSpec.of(full, SeparableSpec.Middle.NONE, 8, Activation.NONE), "depthwise",
                "groups", "1");
        ConvSpec pw = nhwc(1, 5, 5, 4).pointwise(4).build();
        assertRefused(() -> SeparableSpec.of(pw, SeparableSpec.Middle.NONE, 8, Activation.NONE), "depthwise",
                "groups", "1");
        ConvSpec grouped = nhwc(1, 5, 5, 4).kernel(3, 3).conv(4, 2).build();
        assertRefused(() -> SeparableSpec.of(grouped, SeparableSpec.Middle.NONE, 8, Activation.NONE), "depthwise",
                "groups", "2");
    }

    @Test
    void separableSpecWithBadPointwiseOrNullsIsRefused() {
        ConvSpec dw = nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(1).build();
        assertRefused(() -> SeparableSpec.of(dw, SeparableSpec.Middle.NONE, 0, Activation.NONE), "output channels",
                "got 0");
        assertRefused(() -> SeparableSpec.of(dw, SeparableSpec.Middle.NONE, -5, Activation.NONE), "output channels",
                "got -5");
        assertRefused(() -> SeparableSpec.of(null, SeparableSpec.Middle.NONE, 8, Activation.NONE), "depthwise");
        assertRefused(() -> SeparableSpec.of(dw, null, 8, Activation.NONE), "middle");
        assertRefused(() -> SeparableSpec.of(dw, SeparableSpec.Middle.NONE, 8, null), "activation");
        assertRefused(() -> new SeparableSpec.Middle(true, null), "activation");
    }

    @Test
    void spatialSeparableSpecOfAnythingButA2dDepthwiseSpecIsRefused() {
        assertRefused(() -> SpatialSeparableSpec.of(nhwc(1, 5, 3).kernel(3).depthwise(1).build()), "2-D");
        assertRefused(() -> SpatialSeparableSpec.of(nhwc(1, 5, 5, 5, 3).kernel(3, 3, 3).depthwise(1).build()),
                "2-D");
        assertRefused(() -> SpatialSeparableSpec.of(nhwc(1, 5, 5, 3).kernel(3, 3).conv(6, 1).build()),
                "depthwise");
        assertRefused(() -> SpatialSeparableSpec.of(null), "null");
    }
}
