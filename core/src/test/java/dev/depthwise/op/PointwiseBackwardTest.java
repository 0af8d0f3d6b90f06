package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depthwise.kernel.ConvRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The pointwise gradients (dX, dW, dbias) against the reference backward pass, on the forward
 * test's grid of channel counts, layouts, filter layouts and groups, with 1 to 3 threads and
 * enough positions that the filter gradient is also summed in per-thread shares. Every vector
 * width (simd tag).
 */
@Tag("simd")
class PointwiseBackwardTest {

    static List<ConvSpec> specs() {
        List<ConvSpec> s = new ArrayList<>(PointwiseForwardTest.specs());
        // positions enough for the filter gradient to be split over threads (and an odd count of them)
        for (Layout layout : Layout.values()) {
            for (FilterLayout fl : FilterLayout.values()) {
                s.add(PointwiseForwardTest.pw(layout, 2, new int[] {31, 37}, 13, 17, 1, fl, Activation.NONE));
            }
        }
        s.add(PointwiseForwardTest.pw(CHANNELS_LAST, 3, new int[] {19, 21}, 12, 18, 3, FilterLayout.SPATIAL_IN_OUT,
                Activation.NONE));
        s.add(PointwiseForwardTest.pw(CHANNELS_FIRST, 3, new int[] {19, 21}, 12, 18, 3, FilterLayout.OUT_IN_SPATIAL,
                Activation.NONE));
        return s;
    }

    @TestFactory
    Stream<DynamicTest> matchesTheReference() {
        List<ConvSpec> specs = specs();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            ConvSpec spec = specs.get(i).toBuilder().activation(Activation.NONE).build();
            boolean withBias = i % 2 == 1;
            int threads = 1 + i % 3;
            tests.add(DynamicTest.dynamicTest(spec + (withBias ? " +bias" : "") + " threads=" + threads,
                    () -> check(spec, withBias, threads)));
        }
        return tests.stream();
    }

    static void check(ConvSpec spec, boolean withBias, int threads) {
        long seed = spec.toString().hashCode() + 7;
        float[] x = Tensors.random(seed, spec.inputLength());
        float[] f = Tensors.random(seed + 1, spec.filterLength());
        float[] b = withBias ? Tensors.random(seed + 2, spec.outChannels()) : null;
        float[] dz = Tensors.random(seed + 3, spec.outputLength());
        ConvGradients got = new PointwiseBackward(spec, threads).backward(x, f, b, dz);
        assertMatchesReference(spec, x, f, dz, withBias, got, spec + " threads=" + threads);
    }

    /** Each gradient within 1.5e-5 of the sum of |terms| that make it. */
    static void assertMatchesReference(ConvSpec spec, float[] x, float[] f, float[] dz, boolean withBias,
                                       ConvGradients got, String what) {
        ConvGradients want = RefPaths.backward(spec).backward(x, f, withBias ? new float[spec.outChannels()] : null, dz);
        ConvGeometry g = spec.geometry();
        float[] ax = PointwiseForwardTest.abs(x);
        float[] af = PointwiseForwardTest.abs(f);
        float[] adz = PointwiseForwardTest.abs(dz);
        double[] dxScale = new double[x.length];
        ConvRef.backwardData(g, adz, af, dxScale);
        float[] dfScale = new float[f.length];
        ConvRef.backwardFilter(g, ax, adz, dfScale);
        close(want.dx(), got.dx(), i -> dxScale[i], what + " dx");
        close(want.dfilter(), got.dfilter(), i -> dfScale[i], what + " dfilter");
        if (withBias) {
            float[] dbScale = new float[spec.outChannels()];
            ConvRef.backwardBias(g, adz, dbScale);
            close(want.dbias(), got.dbias(), i -> dbScale[i], what + " dbias");
        } else {
            assertNull(got.dbias(), what + ": no bias, no bias gradient");
        }
    }

    private static void close(float[] want, float[] got, java.util.function.IntToDoubleFunction scale, String what) {
        assertEquals(want.length, got.length, what + " length");
        for (int i = 0; i < want.length; i++) {
            double tol = 1.5e-5 * scale.applyAsDouble(i) + 1e-6;
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                fail(what + "[" + i + "] = " + got[i] + ", expected " + want[i] + " (tolerance " + tol + ")");
            }
        }
    }

    @Test
    void convTakesThePathAndCarriesTheActivation() {
        ConvSpec spec = PointwiseForwardTest.pw(CHANNELS_LAST, 2, new int[] {5, 7}, 24, 40, 1,
                FilterLayout.SPATIAL_IN_OUT, Activation.RELU6);
        Conv conv = Conv.of(spec, 2);
        assertEquals("pw-gemm-nhwc / pw-gemm-nhwc", conv.paths());
        float[] x = Tensors.random(1, spec.inputLength());
        float[] f = Tensors.random(2, spec.filterLength());
        float[] b = Tensors.random(3, spec.outChannels());
        float[] dy = Tensors.random(4, spec.outputLength());
        ConvGradients got = conv.backward(x, f, b, dy);
        // the reference route: z from the reference forward, dz = dy * relu6'(z), reference backward
        ConvSpec linear = spec.toBuilder().activation(Activation.NONE).build();
        float[] z = new float[spec.outputLength()];
        RefPaths.forward(linear).forward(x, f, b, z);
        float[] dz = new float[z.length];
        dev.depthwise.kernel.ActivationRef.backward(Activation.RELU6, z, dy, dz);
        assertMatchesReference(linear, x, f, dz, true, got, "conv.backward relu6");
    }
}
