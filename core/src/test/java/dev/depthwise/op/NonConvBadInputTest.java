package dev.depthwise.op;

import static dev.depthwise.spec.Layout.CHANNELS_LAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ChannelSpec;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.PoolSpec;
import dev.depthwise.spec.ShapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The non-convolution ops refuse bad input with a message naming parameter, value and rule. */
class NonConvBadInputTest {

    private static void refused(String message, Executable e) {
        assertEquals(message, assertThrows(ShapeException.class, e).getMessage());
    }

    @Test
    void poolSpec() {
        refused("max pool: pool size[1] must be >= 1, got 0",
                () -> PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_LAST, 1, 4, 4, 1).pool(2, 0).build());
        refused("average pool: pool size 5 on axis H is larger than the padded input 4 (input 4)",
                () -> PoolSpec.builder(PoolSpec.Kind.AVERAGE, CHANNELS_LAST, 1, 4, 4, 1).pool(5).build());
        refused("max pool: padding must be valid, same or explicit, got causal",
                () -> PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_LAST, 1, 4, 1).pool(2)
                        .padding(Padding.causal()).build());
        refused("max pool: padding on axis H must be smaller than the pool size 2, got before=2 after=2",
                () -> PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_LAST, 1, 4, 4, 1).pool(2)
                        .padding(Padding.of(2)).build());
        refused("max pool: strides must have 1 or 2 values for a 2-D pooling, got 3 [1, 1, 1]",
                () -> PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_LAST, 1, 4, 4, 1).pool(2).stride(1, 1, 1).build());
    }

    @Test
    void arraysAreChecked() {
        Pool pool = Pool.of(PoolSpec.builder(PoolSpec.Kind.MAX, CHANNELS_LAST, 1, 4, 4, 1).pool(2).build());
        refused("max pool: x must have 16 elements (1x4x4x1), got 15", () -> pool.forward(new float[15]));
        BatchNorm bn = BatchNorm.of(ChannelSpec.of("batch norm", CHANNELS_LAST, 2, 3), 1e-3f);
        refused("batch norm: gamma must have 3 elements (3), got 2",
                () -> bn.forwardTraining(new float[6], new float[2], null));
        refused("batch norm: moving variance[1] must be >= 0, got -1.0",
                () -> bn.forwardInference(new float[6], null, null, new float[3], new float[] {1, -1, 1}));
        refused("batch norm: training mode needs more than 1 value per channel to take statistics of, got batch 1 x "
                + "1 position(s) (1x1x1x3)", () -> BatchNorm.of(ChannelSpec.of("batch norm", CHANNELS_LAST, 1, 1, 1, 3),
                        1e-3f).forwardTraining(new float[3], null, null));
        refused("batch norm: epsilon must be finite and > 0, got 0.0",
                () -> BatchNorm.of(ChannelSpec.of("batch norm", CHANNELS_LAST, 2, 3), 0f));
        MatMul dense = MatMul.of(2, 3, 4, Activation.NONE);
        refused("dense: kernel must have 12 elements (3x4), got 11",
                () -> dense.forward(new float[6], new float[11], null));
        refused("dense: units must be >= 1, got 0", () -> MatMul.of(2, 3, 0, Activation.NONE));
        refused("softmax: axis must be in [-2, 1] for a 2-axis tensor, got 2", () -> Softmax.of(new int[] {2, 3}, 2));
        refused("concat: inputs must match on every axis but -1; input 0 is 2x3, input 1 is 3x3",
                () -> Concat.of(-1, new int[] {2, 3}, new int[] {3, 3}));
        refused("add: input 1 must have 6 elements (2x3), got 5",
                () -> Sum.of(new int[] {2, 3}, 2).forward(new float[6], new float[5]));
        refused("dropout: rate must be in [0, 1), got 1.0", () -> DropoutMask.of(1f));
        refused("zero pad: padding on spatial axis 0 must be >= 0, got before=-1 after=0",
                () -> ZeroPad.of(CHANNELS_LAST, new int[] {1, 2, 2, 1}, new int[] {-1, 0}, new int[] {0, 0}));
        refused("global average pool: input must have a spatial axis (3 to 5 axes), got 2x3",
                () -> SpatialMean.of(ChannelSpec.of("global average pool", CHANNELS_LAST, 2, 3)));
        refused("batch norm: fold needs a kernel whose length is a multiple of the 4 output channels, got 6",
                () -> BatchNorm.fold(new float[6], null, 4, null, null, new float[4], new float[4], 1e-3f));
    }
}
