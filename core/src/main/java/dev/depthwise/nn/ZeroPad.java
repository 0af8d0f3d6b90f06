package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/**
 * Keras's {@code ZeroPadding1D/2D/3D}: zeros around the spatial axes. {@code new ZeroPad(1)} pads
 * every side of every axis by 1 (Keras's default); {@code new ZeroPad(new int[] {0, 0}, new int[] {1, 1})}
 * is Keras MobileNet's {@code ((0, 1), (0, 1))} before a stride-2 convolution.
 */
public final class ZeroPad extends Layer {
    private final int[] before;
    private final int[] after;
    private Layout dataFormat = Layout.CHANNELS_LAST;
    private int rank;
    private dev.depthwise.op.ZeroPad op;
    private int opBatch;
    private int lastBatch;

    /** {@code pad} zeros on both sides of every spatial axis. */
    public ZeroPad(int pad) {
        this(new int[] {pad}, new int[] {pad});
    }

    /** {@code before[i]} and {@code after[i]} zeros on spatial axis {@code i} (one value: every axis). */
    public ZeroPad(int[] before, int[] after) {
        if (before == null || after == null || before.length != after.length || before.length < 1
                || before.length > 3) {
            throw new ShapeException("ZeroPadding: before and after must give the same 1 to 3 axes, got "
                    + Arrays.toString(before) + " and " + Arrays.toString(after));
        }
        for (int i = 0; i < before.length; i++) {
            if (before[i] < 0 || after[i] < 0) {
                throw new ShapeException("ZeroPadding: padding must be >= 0, got " + Arrays.toString(before)
                        + " and " + Arrays.toString(after));
            }
        }
        this.before = before.clone();
        this.after = after.clone();
    }

    @Override
    public String type() {
        return "ZeroPadding" + (rank == 0 ? (before.length == 1 ? 2 : before.length) : rank) + "D";
    }

    @Override
    public String prefix() {
        return snakeCase(type());
    }

    /** Where the channels are (default channels last). */
    public ZeroPad dataFormat(Layout layout) {
        requireUnbuilt();
        if (layout == null) {
            throw new ShapeException(who() + ": data_format must not be null");
        }
        this.dataFormat = layout;
        return this;
    }

    private int[] perAxis(int[] v) {
        int[] r = new int[rank];
        for (int a = 0; a < rank; a++) {
            r[a] = v[v.length == 1 ? 0 : a];
        }
        return r;
    }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        int[] in = shapes[0];
        rank = in.length - 1;
        if (rank < 1 || rank > 3 || (before.length != 1 && before.length != rank)) {
            rank = 0;
            throw new ShapeException(who() + ": padding for " + before.length + " axes does not fit an input of "
                    + "shape " + Shapes.python(in));
        }
        return Shapes.withoutBatch(dev.depthwise.op.ZeroPad.of(dataFormat, Shapes.withBatch(1, in),
                perAxis(before), perAxis(after)).outputShape());
    }

    private dev.depthwise.op.ZeroPad op(int batch) {
        if (op == null || opBatch != batch) {
            op = dev.depthwise.op.ZeroPad.of(dataFormat, Shapes.withBatch(batch, inputShapes()[0]),
                    perAxis(before), perAxis(after));
            opBatch = batch;
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        lastBatch = n;
        return new NdArray(Shapes.withBatch(n, outputShape()), op(n).forward(inputs[0].data()));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        requireForward(lastBatch > 0);
        checkInput(dy, outputShape(), "output gradient");
        return new NdArray[] {new NdArray(Shapes.withBatch(lastBatch, inputShapes()[0]),
                op(lastBatch).backward(dy.data()))};
    }
}
