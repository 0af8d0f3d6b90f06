package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ShapeException;

/** Keras's {@code Softmax(axis=-1)}: softmax along one axis (the axis counts the batch axis, as in Keras). */
public final class Softmax extends Layer {
    private int axis = -1;
    private dev.depthwise.op.Softmax op;
    private int opBatch;
    private NdArray lastY;

    public Softmax() {
    }

    @Override
    public String type() {
        return "Softmax";
    }

    /** Keras {@code axis} (-1: the last). */
    public Softmax axis(int a) {
        requireUnbuilt();
        this.axis = a;
        return this;
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        int full = shapes[0].length + 1;
        int a = axis < 0 ? axis + full : axis;
        if (a < 1 || a >= full) {
            throw new ShapeException(who() + ": axis must name a non-batch axis of the " + full
                    + "-axis input (1.." + (full - 1) + " or -1.." + (1 - full) + "), got " + axis);
        }
        return shapes[0].clone();
    }

    private dev.depthwise.op.Softmax op(int batch) {
        if (op == null || opBatch != batch) {
            op = dev.depthwise.op.Softmax.of(Shapes.withBatch(batch, inputShapes()[0]), axis);
            opBatch = batch;
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        NdArray y = new NdArray(inputs[0].shape(), op(n).forward(inputs[0].data()));
        lastY = y;
        return y;
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray y = remembered(lastY);
        checkInput(dy, outputShape(), "output gradient");
        return new NdArray[] {new NdArray(y.shape(), op(y.shape()[0]).backward(y.data(), dy.data()))};
    }
}
