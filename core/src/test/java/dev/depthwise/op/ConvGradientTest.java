package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.testutil.GradientCheck;
import dev.depthwise.testutil.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every option of {@link Conv} (rank, layout, filter layout, multiplier, groups, stride, dilation,
 * padding and pad mode, bias, activation) gets its gradients w.r.t. x, filter and bias checked
 * against central finite differences on a small random problem.
 */
class ConvGradientTest {

    /** A 2-D depthwise builder on an NHWC 2x5x4x3 input: the base each case varies. */
    private static ConvSpec.Builder dw2d(int multiplier) {
        return ConvSpec.builder(CHANNELS_LAST, 2, 5, 4, 3).kernel(3, 3).depthwise(multiplier);
    }

    static List<ConvSpec> specs() {
        List<ConvSpec> s = new ArrayList<>();
        s.add(dw2d(1).build());
        s.add(dw2d(2).padding(Padding.same()).build());
        s.add(dw2d(3).padding(Padding.sameLower()).stride(2).build());
        s.add(dw2d(1).padding(Padding.same()).stride(2, 1).build());
        s.add(dw2d(2).padding(Padding.same()).stride(3).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 7, 7, 2).kernel(3, 3).depthwise(2).dilation(2).stride(2)
                .padding(Padding.same()).build());
        s.add(dw2d(1).dilation(2, 1).padding(Padding.same()).build());
        s.add(dw2d(1).padding(Padding.explicit(new int[] {0, 1}, new int[] {2, 0})).build());
        for (PadMode m : PadMode.values()) {
            s.add(dw2d(2).padding(Padding.same()).padMode(m).build());
            s.add(dw2d(1).padding(Padding.explicit(new int[] {2, 1}, new int[] {1, 3})).stride(2).padMode(m).build());
        }
        s.add(dw2d(2).layout(CHANNELS_FIRST).padding(Padding.same()).build());
        s.add(dw2d(2).filterLayout(FilterLayout.OUT_IN_SPATIAL).padding(Padding.same()).build());
        s.add(dw2d(2).layout(CHANNELS_FIRST).filterLayout(FilterLayout.OUT_IN_SPATIAL).stride(2)
                .padding(Padding.same()).padMode(PadMode.REFLECT).build());
        for (Activation a : List.of(Activation.RELU, Activation.RELU6, Activation.leakyRelu(0.2f),
                Activation.SIGMOID, Activation.HARD_SWISH)) {
            s.add(dw2d(2).padding(Padding.same()).activation(a).build());
        }
        // 1-D
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 9, 3).kernel(3).depthwise(2).padding(Padding.causal()).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 9, 3).kernel(3).depthwise(1).dilation(2)
                .padding(Padding.causal()).build());
        s.add(ConvSpec.builder(CHANNELS_FIRST, 2, 3, 9).kernel(4).depthwise(2).stride(2)
                .padding(Padding.same()).padMode(PadMode.CIRCULAR).activation(Activation.HARD_SWISH).build());
        // 3-D
        s.add(ConvSpec.builder(CHANNELS_LAST, 1, 4, 5, 4, 2).kernel(2, 3, 3).depthwise(2).stride(1, 2, 1)
                .dilation(2, 1, 1).padding(Padding.same()).build());
        s.add(ConvSpec.builder(CHANNELS_FIRST, 1, 2, 4, 5, 4).kernel(3, 2, 3).depthwise(1)
                .padding(Padding.same()).padMode(PadMode.REFLECT).filterLayout(FilterLayout.OUT_IN_SPATIAL)
                .activation(Activation.RELU6).build());
        // grouped, full and pointwise
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 4, 4, 4).kernel(3, 3).conv(6, 2).padding(Padding.same()).build());
        s.add(ConvSpec.builder(CHANNELS_FIRST, 1, 3, 4, 5).kernel(2, 3).conv(4, 1).stride(1, 2)
                .filterLayout(FilterLayout.OUT_IN_SPATIAL).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 3, 3, 4).pointwise(5).activation(Activation.RELU).build());
        s.add(ConvSpec.builder(CHANNELS_LAST, 2, 3, 3, 4).pointwise(6).groups(2).build());
        return s;
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() {
        return specs().stream().flatMap(spec -> Stream.of(true, false).map(withBias ->
                DynamicTest.dynamicTest(spec + (withBias ? " +bias" : ""), () -> check(spec, withBias))));
    }

    private static void check(ConvSpec spec, boolean withBias) {
        Conv conv = Conv.of(spec);
        long seed = spec.toString().hashCode();
        float[] x;
        float[] f;
        float[] b;
        // keep every pre-activation away from the activation's kinks, where a finite difference is meaningless
        do {
            seed++;
            x = Tensors.random(seed, spec.inputLength());
            f = Tensors.random(seed + 1, spec.filterLength());
            b = withBias ? Tensors.random(seed + 2, spec.outChannels()) : null;
        } while (!Kinks.clear(spec.activation(), Conv.of(spec.toBuilder().activation(Activation.NONE).build())
                .forward(x, f, b)));
        float[] dy = Tensors.random(seed + 3, spec.outputLength());
        ConvGradients g = conv.backward(x, f, b, dy);
        GradientCheck.check(spec.toString(), new float[][] {x, f, b == null ? new float[0] : b},
                new float[][] {g.dx(), g.dfilter(), g.dbias()},
                p -> GradientCheck.dot(conv.forward(p[0], p[1], withBias ? p[2] : null), dy));
    }

    /** Where each activation's derivative jumps. */
    static final class Kinks {
        private static final double MARGIN = 0.05;

        static boolean clear(Activation act, float[] z) {
            double[] kinks = switch (act.kind()) {
                case RELU, LEAKY_RELU -> new double[] {0};
                case RELU6 -> new double[] {0, 6};
                case HARD_SWISH -> new double[] {-3, 3};
                default -> new double[0];
            };
            for (float v : z) {
                for (double k : kinks) {
                    if (Math.abs(v - k) < MARGIN) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
