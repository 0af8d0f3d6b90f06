package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.SpatialMean;
import dev.depthwise.spec.ChannelSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;

/**
 * Keras's {@code GlobalAveragePooling1D/2D/3D}: the mean of each channel over all positions, to
 * {@code (channels)}, or with {@code keepdims} to spatial sizes of 1. The rank comes from the input.
 */
public final class GlobalAveragePool extends Layer {
    private Layout dataFormat = Layout.CHANNELS_LAST;
    private boolean keepdims;
    private int rank;
    private SpatialMean op;
    private NdArray lastX;

    public GlobalAveragePool() {
    }

    @Override
    public String type() {
        return "GlobalAveragePooling" + (rank == 0 ? 2 : rank) + "D";
    }

    @Override
    public String prefix() {
        return "global_average_pooling" + (rank == 0 ? 2 : rank) + "d";
    }

    /** Where the channels are (default channels last). */
    public GlobalAveragePool dataFormat(Layout layout) {
        requireUnbuilt();
        if (layout == null) {
            throw new ShapeException(who() + ": data_format must not be null");
        }
        this.dataFormat = layout;
        return this;
    }

    public GlobalAveragePool dataFormat(String keras) {
        return dataFormat(Shapes.dataFormat(keras));
    }

    /** Keras {@code keepdims}: keep the spatial axes, with size 1 (default false). */
    public GlobalAveragePool keepdims(boolean k) {
        requireUnbuilt();
        this.keepdims = k;
        return this;
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        int[] in = shapes[0];
        if (in.length < 2 || in.length > 4) {
            throw new ShapeException(who() + ": input must have 2 to 4 axes (1 to 3 spatial, channels) per "
                    + "sample, got " + Shapes.python(in));
        }
        rank = in.length - 1;
        int c = Shapes.channels(in, dataFormat);
        if (!keepdims) {
            return new int[] {c};
        }
        int[] out = new int[in.length];
        java.util.Arrays.fill(out, 1);
        out[dataFormat == Layout.CHANNELS_LAST ? in.length - 1 : 0] = c;
        return out;
    }

    private SpatialMean op(int batch) {
        if (op == null || op.spec().batch() != batch) {
            op = SpatialMean.of(ChannelSpec.of("global average pool", dataFormat,
                    Shapes.withBatch(batch, inputShapes()[0])));
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        lastX = inputs[0];
        return new NdArray(Shapes.withBatch(n, outputShape()), op(n).forward(inputs[0].data()));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        checkInput(dy, outputShape(), "output gradient");
        // keepdims only changes the shape, not the order of the n x c values
        return new NdArray[] {new NdArray(x.shape(), op(x.shape()[0]).backward(dy.data()))};
    }
}
