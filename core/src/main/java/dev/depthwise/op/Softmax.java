package dev.depthwise.op;

import dev.depthwise.kernel.SoftmaxRef;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/** Softmax along one axis of a tensor (Keras's {@code Softmax(axis=-1)}). Thread-safe. */
public final class Softmax {
    private static final String OP = "softmax";
    private final int[] shape;
    private final int length, outer, axisSize, inner;

    private Softmax(int[] shape, int axis, int length) {
        this.shape = shape;
        this.length = length;
        int o = 1;
        for (int i = 0; i < axis; i++) {
            o *= shape[i];
        }
        int in = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            in *= shape[i];
        }
        outer = o;
        axisSize = shape[axis];
        inner = in;
    }

    /** Softmax over axis {@code axis} of {@code shape} (negative counts from the end). */
    public static Softmax of(int[] shape, int axis) {
        if (shape == null || shape.length == 0) {
            throw new ShapeException(OP + ": shape must have at least 1 axis, got "
                    + (shape == null ? "null" : "a scalar"));
        }
        for (int i = 0; i < shape.length; i++) {
            Checks.positive(OP, "shape[" + i + "]", shape[i]);
        }
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new ShapeException(OP + ": axis must be in [" + -shape.length + ", " + (shape.length - 1)
                    + "] for a " + shape.length + "-axis tensor, got " + axis);
        }
        int length = Checks.elementCount(OP, "input", shape);
        return new Softmax(shape.clone(), a, length);
    }

    /** The softmax of {@code x} along the axis. */
    public float[] forward(float[] x) {
        Checks.length(OP, "x", x, length, shape);
        float[] y = new float[length];
        SoftmaxRef.forward(x, y, outer, axisSize, inner);
        return y;
    }

    /** The gradient w.r.t. the input, from the forward output {@code y} (softmax's derivative is a function of it). */
    public float[] backward(float[] y, float[] dy) {
        Checks.length(OP, "y", y, length, shape);
        Checks.length(OP, "dy", dy, length, shape);
        float[] dx = new float[length];
        SoftmaxRef.backward(y, dy, dx, outer, axisSize, inner);
        return dx;
    }
}
