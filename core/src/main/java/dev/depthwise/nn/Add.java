package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.Sum;
import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/** Keras's {@code Add}: the element-wise sum of two or more inputs of one shape (a residual connection). */
public final class Add extends Layer {
    private int[] lastShape;
    private int count;

    public Add() {
    }

    @Override
    public String type() {
        return "Add";
    }

    @Override
    public int arity() {
        return -1;
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length < 2) {
            throw new ShapeException(who() + ": needs at least 2 inputs, got " + shapes.length);
        }
        for (int k = 1; k < shapes.length; k++) {
            if (!Arrays.equals(shapes[k], shapes[0])) {
                throw new ShapeException(who() + ": inputs must have the same shape, input 0 is "
                        + Shapes.python(shapes[0]) + ", input " + k + " is " + Shapes.python(shapes[k]));
            }
        }
        count = shapes.length;
        return shapes[0].clone();
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
        lastShape = inputs[0].shape();
        return new NdArray(lastShape, Sum.of(Shapes.withBatch(n, outputShape()), count).forward(data));
    }

    /** Each input's gradient is {@code dy} itself (shared, not copied: no op writes into its inputs). */
    @Override
    public NdArray[] backward(NdArray dy) {
        remembered(lastShape);
        checkInput(dy, outputShape(), "output gradient");
        NdArray[] r = new NdArray[count];
        Arrays.fill(r, dy);
        return r;
    }
}
