package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_FIRST;
import static dev.depthwise.spec.Layout.CHANNELS_LAST;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.SpatialSeparableSpec;
import dev.depthwise.testutil.GradientCheck;
import dev.depthwise.testutil.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of the composed operators: separable, spatially separable, shuffle. */
class CompositeGradientTest {
    private static final float[] NONE = new float[0];

    @Test
    void separableBothForms() {
        ConvSpec nhwc = ConvSpec.builder(CHANNELS_LAST, 2, 5, 4, 3).kernel(3, 3).depthwise(2).stride(2)
                .padding(Padding.same()).build();
        ConvSpec nchw = ConvSpec.builder(CHANNELS_FIRST, 1, 3, 6, 5).kernel(3, 3).depthwise(1).dilation(2)
                .padding(Padding.same()).padMode(PadMode.REFLECT).filterLayout(FilterLayout.OUT_IN_SPATIAL).build();
        for (SeparableSpec spec : List.of(
                SeparableSpec.of(nhwc, SeparableSpec.Middle.NONE, 4, Activation.NONE),
                SeparableSpec.of(nhwc, SeparableSpec.Middle.batchNorm(Activation.HARD_SWISH), 5, Activation.SIGMOID),
                SeparableSpec.of(nchw, SeparableSpec.Middle.batchNorm(Activation.NONE), 2, Activation.NONE),
                SeparableSpec.of(nchw, new SeparableSpec.Middle(false, Activation.SIGMOID), 3, Activation.NONE))) {
            ConvSpec dw = spec.depthwise();
            ConvSpec pw = spec.pointwise();
            boolean affine = spec.middle().affine();
            long seed = spec.toString().hashCode();
            float[][] p = {
                Tensors.random(seed, dw.inputLength()), Tensors.random(seed + 1, dw.filterLength()),
                Tensors.random(seed + 2, dw.outChannels()),
                affine ? Tensors.random(seed + 3, dw.outChannels()) : NONE,
                affine ? Tensors.random(seed + 4, dw.outChannels()) : NONE,
                Tensors.random(seed + 5, pw.filterLength()), Tensors.random(seed + 6, pw.outChannels())};
            float[] dy = Tensors.random(seed + 7, pw.outputLength());
            SeparableConv op = SeparableConv.of(spec);
            SeparableGradients g = op.backward(p[0], weights(p, affine), dy);
            GradientCheck.check(spec.toString(), p, new float[][] {g.dx(), g.depthwiseFilter(), g.depthwiseBias(),
                g.scale(), g.shift(), g.pointwiseFilter(), g.pointwiseBias()},
                    q -> GradientCheck.dot(op.forward(q[0], weights(q, affine)), dy));
        }
    }

    private static SeparableWeights weights(float[][] p, boolean affine) {
        return new SeparableWeights(p[1], p[2], affine ? p[3] : null, affine ? p[4] : null, p[5], p[6]);
    }

    @Test
    void spatiallySeparable() {
        ConvSpec full = ConvSpec.builder(CHANNELS_LAST, 2, 6, 5, 2).kernel(3, 3).depthwise(2).stride(1, 2)
                .padding(Padding.same()).padMode(PadMode.REPLICATE).activation(Activation.SIGMOID).build();
        SpatialSeparableSpec spec = SpatialSeparableSpec.of(full);
        SpatialSeparableConv op = SpatialSeparableConv.of(spec);
        float[][] p = {
            Tensors.random(50, full.inputLength()), Tensors.random(51, spec.vertical().filterLength()),
            Tensors.random(52, spec.horizontal().filterLength()), Tensors.random(53, full.outChannels())};
        float[] dy = Tensors.random(54, full.outputLength());
        SpatialSeparableConv.Gradients g = op.backward(p[0], p[1], p[2], p[3], dy);
        GradientCheck.check(spec.toString(), p, new float[][] {g.dx(), g.verticalFilter(), g.horizontalFilter(),
            g.bias()}, q -> GradientCheck.dot(op.forward(q[0], q[1], q[2], q[3]), dy));
    }

    @Test
    void channelShuffle() {
        for (ChannelShuffleSpec spec : List.of(ChannelShuffleSpec.of(CHANNELS_LAST, new int[] {2, 3, 2, 6}, 3),
                ChannelShuffleSpec.of(CHANNELS_FIRST, new int[] {2, 8, 3}, 4))) {
            ChannelShuffle op = ChannelShuffle.of(spec);
            float[][] p = {Tensors.random(60, spec.length())};
            float[] dy = Tensors.random(61, spec.length());
            GradientCheck.check(spec.toString(), p, new float[][] {op.backward(dy)},
                    q -> GradientCheck.dot(op.forward(q[0]), dy));
        }
    }
}
