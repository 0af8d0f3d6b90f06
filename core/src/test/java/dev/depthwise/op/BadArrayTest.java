package dev.depthwise.op;

import static dev.depthwise.op.BadInputTest.assertAllNaN;
import static dev.depthwise.op.BadInputTest.assertRefused;
import static dev.depthwise.op.BadInputTest.nans;
import static dev.depthwise.op.BadInputTest.nhwc;
import static dev.depthwise.op.BadInputTest.random;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SpatialSeparableSpec;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Array and op rules: every array an op takes is checked against its spec (null, too short, too
 * long) before anything is allocated or written, with a {@link dev.depthwise.spec.ShapeException}
 * that names the array, the expected and the actual length.
 */
class BadArrayTest {

    private final Random r = new Random(11);

    /** 1x5x5x3 NHWC, 3x3 depthwise with multiplier 2, stride 2, same: filter 3x3x3x2 = 54, out 1x3x3x6. */
    private static final ConvSpec DW = nhwc(1, 5, 5, 3).kernel(3, 3).depthwise(2).stride(2)
            .padding(Padding.same()).build();

    /** DW, batch norm and ReLU6 in the middle, then a pointwise conv to 4 channels: output 1x3x3x4. */
    private static final SeparableSpec SEPARABLE = SeparableSpec.of(DW,
            SeparableSpec.Middle.batchNorm(Activation.RELU6), 4, Activation.NONE);

    private float[] x() { return random(r, DW.inputLength()); }

    private float[] f() { return random(r, DW.filterLength()); }

    private float[] b() { return random(r, DW.outChannels()); }

    private float[] dy() { return random(r, DW.outputLength()); }

    @Test
    void theFixtureHasTheSizesTheMessagesBelowQuote() {
        assertEquals(75, DW.inputLength());
        assertEquals(54, DW.filterLength());
        assertEquals(6, DW.outChannels());
        assertEquals(54, DW.outputLength());
    }

    // ---------------------------------------------------------------- 3, 4. filter length

    @Test
    void filterForAnotherMultiplierIsRefused() {
        Conv conv = Conv.of(DW);
        float[] forM1 = random(r, 27);
        float[] forM3 = random(r, 81);
        assertRefused(() -> conv.forward(x(), forM1, b()), "filter", "54", "27");
        assertRefused(() -> conv.forward(x(), forM3, b()), "filter", "54", "81");
        assertRefused(() -> conv.backward(x(), forM1, b(), dy()), "filter", "54", "27");
    }

    @Test
    void filterForAnotherChannelCountIsRefused() {
        Conv conv = Conv.of(DW);
        assertRefused(() -> conv.forward(x(), random(r, 3 * 3 * 4 * 2), null), "filter", "54", "72");
        assertRefused(() -> conv.forward(x(), random(r, 3 * 3 * 2 * 2), null), "filter", "54", "36");
    }

    @Test
    void groupedFilterOfTheWrongLengthIsRefused() {
        // 6 -> 8 channels in 2 groups: filter 3x3x3x8 = 216; a groups=1 filter (3x3x6x8 = 432) is wrong.
        ConvSpec grouped = nhwc(1, 5, 5, 6).kernel(3, 3).conv(8, 2).build();
        Conv conv = Conv.of(grouped);
        assertRefused(() -> conv.forward(random(r, grouped.inputLength()), random(r, 432), null), "filter", "216",
                "432");
        ConvSpec oihw = grouped.toBuilder().filterLayout(FilterLayout.OUT_IN_SPATIAL).build();
        assertRefused(() -> Conv.of(oihw).forward(random(r, grouped.inputLength()), random(r, 215), null), "filter",
                "8x3x3x3", "215");
    }

    // ---------------------------------------------------------------- 9. gradient shapes

    @ParameterizedTest
    @ValueSource(ints = {0, 53, 55, 75})
    void convBackwardWithDyOfTheWrongLengthIsRefused(int n) {
        assertRefused(() -> Conv.of(DW).backward(x(), f(), b(), random(r, n)), "dy", "54", "got " + n);
    }

    @Test
    void convBackwardWithNullDyIsRefused() {
        assertRefused(() -> Conv.of(DW).backward(x(), f(), b(), null), "dy", "null");
    }

    @Test
    void convBackwardChecksEveryOtherArrayToo() {
        Conv conv = Conv.of(DW);
        assertRefused(() -> conv.backward(random(r, 74), f(), b(), dy()), "x", "75", "74");
        assertRefused(() -> conv.backward(x(), f(), random(r, 3), dy()), "bias", "6", "3");
        assertRefused(() -> conv.backward(null, f(), b(), dy()), "x", "null");
    }

    @Test
    void separableBackwardWithDyOfTheWrongLengthIsRefused() {
        SeparableSpec spec = SEPARABLE;
        SeparableConv op = SeparableConv.of(spec);
        SeparableWeights w = separableWeights(spec, true);
        int n = spec.pointwise().outputLength();   // 1x3x3x4 = 36
        assertEquals(36, n);
        assertRefused(() -> op.backward(x(), w, random(r, n - 1)), "dy", "36", "got 35");
        assertRefused(() -> op.backward(x(), w, random(r, n + 1)), "dy", "36", "got 37");
        // The depthwise stage's output size is the classic mix-up.
        assertRefused(() -> op.backward(x(), w, random(r, DW.outputLength())), "dy", "36", "got 54");
        assertRefused(() -> op.backward(x(), w, null), "dy", "null");
    }

    @Test
    void separableForwardIntoAWrongOrAliasedArrayIsRefused() {
        SeparableSpec spec = SEPARABLE;
        SeparableConv op = SeparableConv.of(spec);
        SeparableWeights w = separableWeights(spec, true);
        int n = spec.pointwise().outputLength();
        float[] y = new float[n];
        Arrays.fill(y, 7f);
        assertRefused(() -> op.forward(x(), w, new float[n - 1]), "y", String.valueOf(n), "got " + (n - 1));
        assertRefused(() -> op.forward(x(), w, null), "y", "null");
        // stride 1, same padding, 3 channels in and out: y has x's length, so the two can be mixed up
        SeparableSpec same = SeparableSpec.of(nhwc(1, 4, 4, 3).kernel(3, 3).depthwise(1).padding(Padding.same())
                .build(), SeparableSpec.Middle.NONE, 3, Activation.NONE);
        SeparableConv op2 = SeparableConv.of(same);
        SeparableWeights w2 = separableWeights(same, false);
        float[] x2 = random(r, same.depthwise().inputLength());
        assertEquals(x2.length, same.pointwise().outputLength());
        assertRefused(() -> op2.forward(x2, w2, x2), "y", "same array as x");
        assertRefused(() -> op.forward(random(r, 3), w, y), "x");
        for (float v : y) {
            assertEquals(7f, v, "a refused call writes nothing");
        }
    }

    @Test
    void spatialSeparableBackwardWithDyOfTheWrongLengthIsRefused() {
        SpatialSeparableSpec spec = SpatialSeparableSpec.of(DW);
        SpatialSeparableConv op = SpatialSeparableConv.of(spec);
        float[] vf = random(r, spec.vertical().filterLength());
        float[] hf = random(r, spec.horizontal().filterLength());
        int n = spec.horizontal().outputLength();
        assertRefused(() -> op.backward(x(), vf, hf, b(), random(r, n - 1)), "dy", String.valueOf(n),
                "got " + (n - 1));
        assertRefused(() -> op.backward(x(), vf, hf, b(), random(r, n + 1)), "dy", String.valueOf(n),
                "got " + (n + 1));
        // The vertical stage's output (1x3x5x6 = 90) is not the final output.
        assertRefused(() -> op.backward(x(), vf, hf, b(), random(r, spec.vertical().outputLength())), "dy",
                "got " + spec.vertical().outputLength());
        assertRefused(() -> op.backward(x(), vf, hf, b(), null), "dy", "null");
    }

    @Test
    void channelShuffleBackwardWithDyOfTheWrongLengthIsRefused() {
        ChannelShuffle op = ChannelShuffle.of(ChannelShuffleSpec.of(Layout.CHANNELS_FIRST, new int[] {2, 6, 3, 3}, 3));
        assertRefused(() -> op.backward(random(r, 107)), "dy", "108", "got 107");
        assertRefused(() -> op.backward(random(r, 109)), "dy", "108", "got 109");
        assertRefused(() -> op.backward(null), "dy", "null");
    }

    // ---------------------------------------------------------------- 10. bias

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 7, 12})
    void biasOfTheWrongLengthIsRefused(int n) {
        // The classic mistake is a bias per input channel (3) instead of per output channel (3*2).
        assertRefused(() -> Conv.of(DW).forward(x(), f(), random(r, n)), "bias", "6", "got " + n);
    }

    @Test
    void separableAndSpatialSeparableBiasOfTheWrongLengthIsRefused() {
        SeparableSpec spec = SeparableSpec.of(DW, SeparableSpec.Middle.NONE, 4, Activation.RELU);
        SeparableConv op = SeparableConv.of(spec);
        float[] dwf = random(r, DW.filterLength());
        float[] pwf = random(r, spec.pointwise().filterLength());
        assertRefused(() -> op.forward(x(), SeparableWeights.of(dwf, pwf, random(r, 6))), "pointwise bias", "4",
                "got 6");
        assertRefused(() -> op.forward(x(), new SeparableWeights(dwf, random(r, 3), null, null, pwf, null)),
                "depthwise bias", "6", "got 3");

        SpatialSeparableSpec ss = SpatialSeparableSpec.of(DW);
        SpatialSeparableConv sop = SpatialSeparableConv.of(ss);
        float[] vf = random(r, ss.vertical().filterLength());
        float[] hf = random(r, ss.horizontal().filterLength());
        assertRefused(() -> sop.forward(x(), vf, hf, random(r, 3)), "bias", "6", "got 3");
    }

    // ---------------------------------------------------------------- 11. arrays vs declared shape

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 74, 76, 150})
    void xOfTheWrongLengthIsRefused(int n) {
        assertRefused(() -> Conv.of(DW).forward(random(r, n), f(), b()), "x", "75", "1x5x5x3", "got " + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 53, 55})
    void filterOfTheWrongLengthIsRefused(int n) {
        assertRefused(() -> Conv.of(DW).forward(x(), random(r, n), b()), "filter", "54", "3x3x3x2", "got " + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 53, 55, 75})
    void yOfTheWrongLengthIsRefused(int n) {
        float[] y = nans(n);
        assertRefused(() -> Conv.of(DW).forward(x(), f(), b(), y), "y", "54", "1x3x3x6", "got " + n);
        assertAllNaN(y, "y of length " + n);
    }

    @Test
    void nullArraysAreRefused() {
        Conv conv = Conv.of(DW);
        assertRefused(() -> conv.forward(null, f(), b()), "x", "null");
        assertRefused(() -> conv.forward(x(), null, b()), "filter", "null");
        assertRefused(() -> conv.forward(x(), f(), b(), null), "y", "null");
        assertRefused(() -> Conv.of(null), "spec", "null");
    }

    @Test
    void separableConvArraysAreChecked() {
        SeparableSpec spec = SeparableSpec.of(DW, SeparableSpec.Middle.NONE, 4, Activation.NONE);
        SeparableConv op = SeparableConv.of(spec);
        float[] dwf = random(r, DW.filterLength());
        float[] pwf = random(r, spec.pointwise().filterLength());   // 1x1x6x4 = 24
        assertRefused(() -> op.forward(random(r, 74), SeparableWeights.of(dwf, pwf, null)), "x", "75", "got 74");
        assertRefused(() -> op.forward(null, SeparableWeights.of(dwf, pwf, null)), "x", "null");
        assertRefused(() -> op.forward(x(), SeparableWeights.of(random(r, 27), pwf, null)), "depthwise filter", "54",
                "got 27");
        assertRefused(() -> op.forward(x(), SeparableWeights.of(null, pwf, null)), "depthwise filter", "null");
        assertRefused(() -> op.forward(x(), SeparableWeights.of(dwf, random(r, 12), null)), "pointwise filter", "24",
                "got 12");
        assertRefused(() -> op.forward(x(), SeparableWeights.of(dwf, null, null)), "pointwise filter", "null");
        assertRefused(() -> op.forward(x(), null), "weights", "null");
        assertRefused(() -> op.backward(x(), null, random(r, 36)), "weights", "null");
        assertRefused(() -> SeparableConv.of(null), "spec", "null");
    }

    @Test
    void spatialSeparableConvArraysAreChecked() {
        SpatialSeparableSpec spec = SpatialSeparableSpec.of(DW);
        SpatialSeparableConv op = SpatialSeparableConv.of(spec);
        int nv = spec.vertical().filterLength();     // 3x1x3x2 = 18
        int nh = spec.horizontal().filterLength();   // 1x3x6x1 = 18
        float[] vf = random(r, nv);
        float[] hf = random(r, nh);
        assertRefused(() -> op.forward(random(r, 76), vf, hf, null), "x", "75", "got 76");
        assertRefused(() -> op.forward(x(), random(r, nv + 1), hf, null), "vertical filter", String.valueOf(nv),
                "got " + (nv + 1));
        assertRefused(() -> op.forward(x(), vf, random(r, nh - 1), null), "horizontal filter", String.valueOf(nh),
                "got " + (nh - 1));
        // The full 3x3 filter is not either stage's filter.
        assertRefused(() -> op.forward(x(), random(r, DW.filterLength()), hf, null), "vertical filter", "got 54");
        assertRefused(() -> op.forward(x(), vf, null, null), "horizontal filter", "null");
        assertRefused(() -> SpatialSeparableConv.of(null), "spec", "null");
    }

    @Test
    void channelShuffleForwardArraysAreChecked() {
        ChannelShuffle op = ChannelShuffle.of(ChannelShuffleSpec.of(Layout.CHANNELS_LAST, new int[] {1, 2, 2, 6}, 2));
        assertRefused(() -> op.forward(random(r, 23)), "x", "24", "got 23");
        assertRefused(() -> op.forward(random(r, 25)), "x", "24", "got 25");
        assertRefused(() -> op.forward(null), "x", "null");
        assertRefused(() -> ChannelShuffle.of(null), "spec", "null");
    }

    // ---------------------------------------------------------------- 12. nothing written before the checks

    @Test
    void refusedForwardLeavesThePreallocatedOutputUntouched() {
        Conv conv = Conv.of(DW);
        float[] y = nans(DW.outputLength());
        assertRefused(() -> conv.forward(x(), random(r, 53), b(), y), "filter", "got 53");
        assertAllNaN(y, "bad filter");
        assertRefused(() -> conv.forward(x(), null, b(), y), "filter", "null");
        assertAllNaN(y, "null filter");
        assertRefused(() -> conv.forward(x(), f(), random(r, 3), y), "bias", "got 3");
        assertAllNaN(y, "bad bias");
        assertRefused(() -> conv.forward(random(r, 76), f(), b(), y), "x", "got 76");
        assertAllNaN(y, "bad x");
    }

    @Test
    void refusedCallsLeaveTheirInputsUntouched() {
        Conv conv = Conv.of(DW);
        float[] x = x();
        float[] f = random(r, 53);
        float[] b = b();
        float[] x0 = x.clone();
        float[] f0 = f.clone();
        float[] b0 = b.clone();
        assertRefused(() -> conv.backward(x, f, b, dy()), "filter");
        assertArrayEquals(x0, x);
        assertArrayEquals(f0, f);
        assertArrayEquals(b0, b);
    }

    // ---------------------------------------------------------------- 14. separable weights, batch norm

    private SeparableWeights separableWeights(SeparableSpec spec, boolean affine) {
        int c = spec.depthwise().outChannels();
        return new SeparableWeights(random(r, spec.depthwise().filterLength()), random(r, c),
                affine ? random(r, c) : null, affine ? random(r, c) : null,
                random(r, spec.pointwise().filterLength()), random(r, spec.pointwise().outChannels()));
    }

    @Test
    void scaleOrShiftGivenWithoutAnAffineMiddleIsRefused() {
        SeparableSpec spec = SeparableSpec.of(DW, SeparableSpec.Middle.NONE, 4, Activation.NONE);
        SeparableConv op = SeparableConv.of(spec);
        SeparableWeights ok = separableWeights(spec, false);
        SeparableWeights withScale = new SeparableWeights(ok.depthwiseFilter(), null, random(r, 6), null,
                ok.pointwiseFilter(), null);
        SeparableWeights withShift = new SeparableWeights(ok.depthwiseFilter(), null, null, random(r, 6),
                ok.pointwiseFilter(), null);
        assertRefused(() -> op.forward(x(), withScale), "scale", "affine");
        assertRefused(() -> op.forward(x(), withShift), "shift", "affine");
        assertRefused(() -> op.backward(x(), withScale, random(r, 36)), "scale", "affine");
    }

    @Test
    void scaleOrShiftMissingOrOfTheWrongLengthWithAnAffineMiddleIsRefused() {
        SeparableSpec spec = SeparableSpec.of(DW, SeparableSpec.Middle.batchNorm(Activation.RELU), 4,
                Activation.NONE);
        SeparableConv op = SeparableConv.of(spec);
        SeparableWeights ok = separableWeights(spec, true);
        assertRefused(() -> op.forward(x(), SeparableWeights.of(ok.depthwiseFilter(), ok.pointwiseFilter(), null)),
                "scale", "null");
        assertRefused(() -> op.forward(x(), new SeparableWeights(ok.depthwiseFilter(), null, ok.scale(), null,
                ok.pointwiseFilter(), null)), "shift", "null");
        // Per input channel (3) instead of per depthwise output channel (6).
        assertRefused(() -> op.forward(x(), new SeparableWeights(ok.depthwiseFilter(), null, random(r, 3),
                ok.shift(), ok.pointwiseFilter(), null)), "scale", "6", "got 3");
        assertRefused(() -> op.backward(x(), new SeparableWeights(ok.depthwiseFilter(), null, ok.scale(),
                random(r, 7), ok.pointwiseFilter(), null), random(r, 36)), "shift", "6", "got 7");
    }

    @Test
    void batchNormWithMismatchedLengthsIsRefused() {
        float[] four = {1, 1, 1, 1};
        float[] three = {1, 1, 1};
        assertRefused(() -> SeparableWeights.batchNorm(four, three, four, four, 1e-3f), "beta", "4", "3");
        assertRefused(() -> SeparableWeights.batchNorm(four, four, three, four, 1e-3f), "mean", "4", "3");
        assertRefused(() -> SeparableWeights.batchNorm(four, four, four, three, 1e-3f), "variance", "4", "3");
        assertRefused(() -> SeparableWeights.batchNorm(three, four, four, four, 1e-3f), "gamma", "3", "4");
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -0f, -1e-5f, Float.NaN, Float.NEGATIVE_INFINITY})
    void batchNormWithEpsNotPositiveIsRefused(float eps) {
        float[] v = {1, 2};
        assertRefused(() -> SeparableWeights.batchNorm(v, v, v, v, eps), "eps", String.valueOf(eps));
    }

    @Test
    void batchNormWithNullArraysIsRefused() {
        float[] v = {1, 2};
        assertAll(
                () -> assertRefused(() -> SeparableWeights.batchNorm(null, v, v, v, 1e-3f), "gamma", "null"),
                () -> assertRefused(() -> SeparableWeights.batchNorm(v, null, v, v, 1e-3f), "beta", "null"),
                () -> assertRefused(() -> SeparableWeights.batchNorm(v, v, null, v, 1e-3f), "mean", "null"),
                () -> assertRefused(() -> SeparableWeights.batchNorm(v, v, v, null, 1e-3f), "variance", "null"));
    }
}
