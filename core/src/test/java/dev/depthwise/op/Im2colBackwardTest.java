package dev.depthwise.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
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
 * The im2col gradients (dX through col2im, dW summed per thread over blocks, dbias) against the
 * reference backward pass, on the forward test's grid, with 1 to 3 threads (more threads than
 * images too). Every vector width (simd tag).
 */
@Tag("simd")
class Im2colBackwardTest {

    @TestFactory
    Stream<DynamicTest> matchesTheReference() {
        List<ConvSpec> specs = Im2colForwardTest.specs();
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
        ConvGradients got = new Im2colBackward(spec, threads).backward(x, f, b, dz);
        PointwiseBackwardTest.assertMatchesReference(spec, x, f, dz, withBias, got, spec + " threads=" + threads);
    }

    @Test
    void convCarriesTheActivation() {
        ConvSpec spec = Im2colForwardTest.conv(Im2colForwardTest.a(2, 9, 8, 5), Im2colForwardTest.a(3, 3),
                Im2colForwardTest.a(2), Im2colForwardTest.a(1), Padding.same(), 12, 1).toBuilder()
                .filterLayout(FilterLayout.OUT_IN_SPATIAL).activation(Activation.HARD_SWISH).build();
        Conv conv = Conv.of(spec, 2);
        float[] x = Tensors.random(1, spec.inputLength());
        float[] f = Tensors.random(2, spec.filterLength());
        float[] b = Tensors.random(3, spec.outChannels());
        float[] dy = Tensors.random(4, spec.outputLength());
        ConvGradients got = conv.backward(x, f, b, dy);
        ConvSpec linear = spec.toBuilder().activation(Activation.NONE).build();
        float[] z = new float[spec.outputLength()];
        RefPaths.forward(linear).forward(x, f, b, z);
        float[] dz = new float[z.length];
        ActivationRef.backward(Activation.HARD_SWISH, z, dy, dz);
        PointwiseBackwardTest.assertMatchesReference(linear, x, f, dz, true, got, "conv.backward hard-swish");
    }

    @Test
    void sameThreadsSameBits() {
        ConvSpec spec = Im2colForwardTest.conv(Im2colForwardTest.a(4, 10, 10, 8), Im2colForwardTest.a(3, 3),
                Im2colForwardTest.a(1), Im2colForwardTest.a(1), Padding.same(), 16, 1);
        float[] x = Tensors.random(5, spec.inputLength());
        float[] f = Tensors.random(6, spec.filterLength());
        float[] dz = Tensors.random(7, spec.outputLength());
        Im2colBackward path = new Im2colBackward(spec, 3);
        float[] b = new float[spec.outChannels()];
        ConvGradients first = path.backward(x, f, b, dz);
        for (int run = 0; run < 3; run++) {
            ConvGradients again = path.backward(x, f, b, dz);
            assertArrayEquals(first.dx(), again.dx());
            assertArrayEquals(first.dfilter(), again.dfilter());
            assertArrayEquals(first.dbias(), again.dbias());
        }
    }
}
