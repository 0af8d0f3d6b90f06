package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ChannelShuffleSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;

/**
 * ShuffleNet's channel shuffle as a layer: the channels, seen as {@code groups x (C/groups)}, are
 * transposed, so the next grouped convolution sees channels from every group. No parameters.
 */
public final class ChannelShuffle extends Layer {
    private final int groups;
    private Layout dataFormat = Layout.CHANNELS_LAST;
    private dev.depthwise.op.ChannelShuffle op;
    private int lastBatch;

    /** A shuffle of the channels as {@code groups} groups (the channels must divide evenly). */
    public ChannelShuffle(int groups) {
        if (groups < 1) {
            throw new ShapeException("ChannelShuffle: groups must be >= 1, got " + groups);
        }
        this.groups = groups;
    }

    @Override
    public String type() {
        return "ChannelShuffle";
    }

    /** Where the channels are (default channels last). */
    public ChannelShuffle dataFormat(Layout layout) {
        requireUnbuilt();
        if (layout == null) {
            throw new ShapeException(who() + ": data_format must not be null");
        }
        this.dataFormat = layout;
        return this;
    }

    public int groups() { return groups; }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        ChannelShuffleSpec.of(dataFormat, Shapes.withBatch(1, shapes[0]), groups);
        return shapes[0].clone();
    }

    private dev.depthwise.op.ChannelShuffle op(int batch) {
        if (op == null || op.spec().shape()[0] != batch) {
            op = dev.depthwise.op.ChannelShuffle.of(ChannelShuffleSpec.of(dataFormat,
                    Shapes.withBatch(batch, inputShapes()[0]), groups));
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        lastBatch = n;
        return new NdArray(inputs[0].shape(), op(n).forward(inputs[0].data()));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        requireForward(lastBatch > 0);
        checkInput(dy, outputShape(), "output gradient");
        return new NdArray[] {new NdArray(dy.shape(), op(lastBatch).backward(dy.data()))};
    }
}
