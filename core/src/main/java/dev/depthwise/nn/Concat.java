package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ShapeException;

/**
 * Keras's {@code Concatenate(axis=-1)}: joins its inputs along one axis (counting the batch axis,
 * as Keras does; -1 is the channels of a channels-last tensor). ShuffleNet joins its stride-2
 * branches this way.
 */
public final class Concat extends Layer {
    private int axis = -1;
    private dev.depthwise.op.Concat op;
    private int opBatch;
    private int count;
    private int lastBatch;

    public Concat() {
    }

    @Override
    public String type() {
        return "Concatenate";
    }

    @Override
    public int arity() {
        return -1;
    }

    /** Keras {@code axis}, counting the batch axis (default -1). */
    public Concat axis(int a) {
        requireUnbuilt();
        this.axis = a;
        return this;
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length < 1) {
            throw new ShapeException(who() + ": needs at least 1 input");
        }
        int full = shapes[0].length + 1;
        int a = axis < 0 ? axis + full : axis;
        if (a < 1 || a >= full) {
            throw new ShapeException(who() + ": axis must name a non-batch axis of the " + full
                    + "-axis inputs, got " + axis);
        }
        count = shapes.length;
        int[][] batched = new int[count][];
        for (int k = 0; k < count; k++) {
            batched[k] = Shapes.withBatch(1, shapes[k]);
        }
        return Shapes.withoutBatch(dev.depthwise.op.Concat.of(axis, batched).outputShape());
    }

    private dev.depthwise.op.Concat op(int batch) {
        if (op == null || opBatch != batch) {
            int[][] batched = new int[count][];
            for (int k = 0; k < count; k++) {
                batched[k] = Shapes.withBatch(batch, inputShapes()[k]);
            }
            op = dev.depthwise.op.Concat.of(axis, batched);
            opBatch = batch;
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, count);
        int n = checkInput(inputs[0], inputShapes()[0], "input 0");
        float[][] data = new float[count][];
        for (int k = 0; k < count; k++) {
            checkInput(inputs[k], inputShapes()[k], "input " + k);
            data[k] = inputs[k].data();
        }
        lastBatch = n;
        return new NdArray(Shapes.withBatch(n, outputShape()), op(n).forward(data));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        requireForward(lastBatch > 0);
        checkInput(dy, outputShape(), "output gradient");
        float[][] parts = op(lastBatch).backward(dy.data());
        NdArray[] r = new NdArray[count];
        for (int k = 0; k < count; k++) {
            r[k] = new NdArray(Shapes.withBatch(lastBatch, inputShapes()[k]), parts[k]);
        }
        return r;
    }
}
