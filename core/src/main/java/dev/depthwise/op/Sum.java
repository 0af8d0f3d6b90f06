package dev.depthwise.op;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/**
 * The element-wise sum of tensors of one shape (a residual connection). Its gradient w.r.t. each
 * input is the output gradient itself, so there is no backward method. Thread-safe.
 */
public final class Sum {
    private static final String OP = "add";
    private final int[] shape;
    private final int length;
    private final int count;

    private Sum(int[] shape, int length, int count) {
        this.shape = shape;
        this.length = length;
        this.count = count;
    }

    /** The sum of {@code count >= 2} tensors of {@code shape}. */
    public static Sum of(int[] shape, int count) {
        if (shape == null) {
            throw new ShapeException(OP + ": shape must not be null");
        }
        if (count < 2) {
            throw new ShapeException(OP + ": needs at least 2 inputs, got " + count);
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new ShapeException(OP + ": shape[" + i + "] must be >= 0, got " + shape[i]);
            }
        }
        return new Sum(shape.clone(), Checks.elementCount(OP, "input", shape), count);
    }

    /** The element-wise sum of {@code xs}. */
    public float[] forward(float[]... xs) {
        if (xs == null || xs.length != count) {
            throw new ShapeException(OP + ": expected " + count + " inputs, got " + (xs == null ? 0 : xs.length));
        }
        for (int k = 0; k < count; k++) {
            Checks.length(OP, "input " + k, xs[k], length, shape);
        }
        float[] y = new float[length];
        for (int i = 0; i < length; i++) {
            double s = 0;
            for (float[] x : xs) {
                s += x[i];
            }
            y[i] = (float) s;
        }
        return y;
    }
}
