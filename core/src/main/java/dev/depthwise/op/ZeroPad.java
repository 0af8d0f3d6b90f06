package dev.depthwise.op;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;

/**
 * Zero padding of the spatial axes (Keras's {@code ZeroPadding1D/2D/3D}); its gradient crops the
 * border off again. Thread-safe.
 */
public final class ZeroPad {
    private static final String OP = "zero pad";
    private final int[] inShape, outShape;
    private final int[] before;
    private final int first; // index of the first spatial axis in the shape
    private final int rank;

    private ZeroPad(int[] inShape, int[] outShape, int[] before, int first) {
        this.inShape = inShape;
        this.outShape = outShape;
        this.before = before;
        this.first = first;
        this.rank = before.length;
    }

    /**
     * Pads a tensor of {@code inputShape} (batch, spatial axes and channels in {@code layout}) by
     * {@code before[i]} and {@code after[i]} zeros on spatial axis {@code i}.
     */
    public static ZeroPad of(Layout layout, int[] inputShape, int[] before, int[] after) {
        if (layout == null || inputShape == null || before == null || after == null) {
            throw new ShapeException(OP + ": layout, input shape and padding must not be null");
        }
        int rank = inputShape.length - 2;
        if (rank < 1 || rank > 3) {
            throw new ShapeException(OP + ": input must have 3 to 5 axes (batch, 1 to 3 spatial, channels), got "
                    + Checks.shape(inputShape));
        }
        if (before.length != rank || after.length != rank) {
            throw new ShapeException(OP + ": padding must give " + rank + " spatial axes, got " + before.length
                    + " before and " + after.length + " after");
        }
        for (int i = 0; i < inputShape.length; i++) {
            Checks.positive(OP, "input shape[" + i + "]", inputShape[i]);
        }
        int first = layout == Layout.CHANNELS_LAST ? 1 : 2;
        int[] out = inputShape.clone();
        for (int a = 0; a < rank; a++) {
            if (before[a] < 0 || after[a] < 0) {
                throw new ShapeException(OP + ": padding on spatial axis " + a + " must be >= 0, got before="
                        + before[a] + " after=" + after[a]);
            }
            long size = (long) inputShape[first + a] + before[a] + after[a];
            if (size > Integer.MAX_VALUE) {
                throw new ShapeException(OP + ": padded size of spatial axis " + a + " is " + size
                        + ", more than an int");
            }
            out[first + a] = (int) size;
        }
        Checks.elementCount(OP, "input", inputShape);
        Checks.elementCount(OP, "output", out);
        return new ZeroPad(inputShape.clone(), out, before.clone(), first);
    }

    public int[] outputShape() { return outShape.clone(); }

    /** {@code x} with the zero border. */
    public float[] forward(float[] x) {
        Checks.length(OP, "x", x, Checks.elementCount(OP, "input", inShape), inShape);
        float[] y = new float[Checks.elementCount(OP, "output", outShape)];
        copyRows(x, y, true);
        return y;
    }

    /** The gradient w.r.t. x: the interior of {@code dy}. */
    public float[] backward(float[] dy) {
        Checks.length(OP, "dy", dy, Checks.elementCount(OP, "output", outShape), outShape);
        float[] dx = new float[Checks.elementCount(OP, "input", inShape)];
        copyRows(dy, dx, false);
        return dx;
    }

    /**
     * Copies every innermost run of the input (the last axis, contiguous in both tensors) between x
     * and its place inside the padded tensor. Channels-last pads W, whose runs hold the channels too.
     */
    private void copyRows(float[] src, float[] dst, boolean pad) {
        int dims = inShape.length;
        int[] inStride = strides(inShape);
        int[] outStride = strides(outShape);
        int run = inShape[dims - 1];
        int rows = 1;
        for (int i = 0; i < dims - 1; i++) {
            rows *= inShape[i];
        }
        int[] idx = new int[dims - 1];
        for (int r = 0; r < rows; r++) {
            int in = 0;
            int out = 0;
            for (int i = 0; i < dims - 1; i++) {
                in += idx[i] * inStride[i];
                out += (idx[i] + offset(i)) * outStride[i];
            }
            out += offset(dims - 1);
            if (pad) {
                System.arraycopy(src, in, dst, out, run);
            } else {
                System.arraycopy(src, out, dst, in, run);
            }
            for (int i = dims - 2; i >= 0; i--) {
                if (++idx[i] < inShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
    }

    /** Padding before axis {@code i} of the full shape (0 for batch and channels). */
    private int offset(int i) {
        int a = i - first;
        return a >= 0 && a < rank ? before[a] : 0;
    }

    private static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }
}
