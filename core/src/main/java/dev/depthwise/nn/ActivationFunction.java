package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.Activate;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ShapeException;

/**
 * The base of the element-wise activation layers ({@link ActivationLayer}, {@link ReLU},
 * {@link LeakyReLU}): one {@link Activation} applied to every element, no parameters.
 */
public abstract class ActivationFunction extends Layer {
    private NdArray lastX;

    protected ActivationFunction() {
    }

    /** The function applied. */
    public abstract Activation activation();

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        return shapes[0].clone();
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        checkInput(inputs[0], inputShapes()[0], "input");
        lastX = inputs[0];
        return new NdArray(inputs[0].shape(), Activate.of(activation()).forward(inputs[0].data()));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        checkInput(dy, outputShape(), "output gradient");
        return new NdArray[] {new NdArray(x.shape(), Activate.of(activation()).backward(x.data(), dy.data()))};
    }
}
