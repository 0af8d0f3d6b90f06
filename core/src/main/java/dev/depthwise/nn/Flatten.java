package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ShapeException;

/**
 * Keras's {@code Flatten}: each sample becomes one vector, in memory order (so a channels-first
 * tensor flattens channel by channel). No copy: the data array is shared.
 */
public final class Flatten extends Layer {
    private int[] lastShape;

    public Flatten() {
    }

    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        return new int[] {Shapes.product(shapes[0])};
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        lastShape = inputs[0].shape();
        return new NdArray(new int[] {n, outputShape()[0]}, inputs[0].data());
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        int[] shape = remembered(lastShape);
        checkInput(dy, outputShape(), "output gradient");
        return new NdArray[] {new NdArray(shape, dy.data())};
    }
}
