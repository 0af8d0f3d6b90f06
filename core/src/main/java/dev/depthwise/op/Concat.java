package dev.depthwise.op;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/** Concatenation of tensors along one axis, and its gradient (the output gradient cut back apart). Thread-safe. */
public final class Concat {
    private static final String OP = "concat";
    private final int[][] shapes;
    private final int[] outShape;
    private final int outer;
    private final int[] blocks; // elements each input contributes per outer index
    private final int outBlock;

    private Concat(int[][] shapes, int[] outShape, int axis) {
        this.shapes = shapes;
        this.outShape = outShape;
        int o = 1;
        for (int i = 0; i < axis; i++) {
            o *= outShape[i];
        }
        outer = o;
        blocks = new int[shapes.length];
        int total = 0;
        for (int k = 0; k < shapes.length; k++) {
            int b = 1;
            for (int i = axis; i < shapes[k].length; i++) {
                b *= shapes[k][i];
            }
            blocks[k] = b;
            total += b;
        }
        outBlock = total;
    }

    /** Concatenates tensors of {@code shapes} along {@code axis} (negative counts from the end). */
    public static Concat of(int axis, int[]... shapes) {
        if (shapes == null || shapes.length < 1) {
            throw new ShapeException(OP + ": needs at least 1 input");
        }
        int rank = -1;
        for (int k = 0; k < shapes.length; k++) {
            if (shapes[k] == null || shapes[k].length == 0) {
                throw new ShapeException(OP + ": input " + k + " must have at least 1 axis");
            }
            if (rank >= 0 && shapes[k].length != rank) {
                throw new ShapeException(OP + ": all inputs must have the same rank, input 0 has " + rank
                        + " axes, input " + k + " has " + shapes[k].length);
            }
            rank = shapes[k].length;
        }
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(OP + ": axis must be in [" + -rank + ", " + (rank - 1) + "], got " + axis);
        }
        int[] out = shapes[0].clone();
        long along = 0;
        for (int k = 0; k < shapes.length; k++) {
            for (int i = 0; i < rank; i++) {
                Checks.positive(OP, "input " + k + " shape[" + i + "]", shapes[k][i]);
                if (i != a && shapes[k][i] != shapes[0][i]) {
                    throw new ShapeException(OP + ": inputs must match on every axis but " + axis + "; input 0 is "
                            + Checks.shape(shapes[0]) + ", input " + k + " is " + Checks.shape(shapes[k]));
                }
            }
            along += shapes[k][a];
        }
        if (along > Integer.MAX_VALUE) {
            throw new ShapeException(OP + ": the concatenated axis would have " + along + " elements");
        }
        out[a] = (int) along;
        Checks.elementCount(OP, "output", out);
        int[][] copy = new int[shapes.length][];
        for (int k = 0; k < shapes.length; k++) {
            copy[k] = shapes[k].clone();
        }
        return new Concat(copy, out, a);
    }

    public int[] outputShape() { return outShape.clone(); }

    /** The inputs joined along the axis. */
    public float[] forward(float[]... xs) {
        if (xs == null || xs.length != shapes.length) {
            throw new ShapeException(OP + ": expected " + shapes.length + " inputs, got "
                    + (xs == null ? 0 : xs.length));
        }
        for (int k = 0; k < xs.length; k++) {
            Checks.length(OP, "input " + k, xs[k], outer * blocks[k], shapes[k]);
        }
        float[] y = new float[outer * outBlock];
        for (int o = 0; o < outer; o++) {
            int at = o * outBlock;
            for (int k = 0; k < xs.length; k++) {
                System.arraycopy(xs[k], o * blocks[k], y, at, blocks[k]);
                at += blocks[k];
            }
        }
        return y;
    }

    /** The gradient of each input: its slice of {@code dy}. */
    public float[][] backward(float[] dy) {
        Checks.length(OP, "dy", dy, outer * outBlock, outShape);
        float[][] dx = new float[shapes.length][];
        for (int k = 0; k < shapes.length; k++) {
            dx[k] = new float[outer * blocks[k]];
        }
        for (int o = 0; o < outer; o++) {
            int at = o * outBlock;
            for (int k = 0; k < shapes.length; k++) {
                System.arraycopy(dy, at, dx[k], o * blocks[k], blocks[k]);
                at += blocks[k];
            }
        }
        return dx;
    }

    @Override
    public String toString() {
        return OP + Arrays.deepToString(shapes) + " -> " + Checks.shape(outShape);
    }
}
