package dev.depthwise.spec;

import java.util.Arrays;

/**
 * One max or average pooling, 1-D to 3-D, fully validated. Windows may be anisotropic (EffNet's
 * "1-D" pooling is a 2x1 window on a 2-D tensor). Padding follows Keras: {@code valid} or
 * {@code same} (TensorFlow's rule: the odd extra cell at the end), or explicit amounts; padded cells
 * never win a max and are not counted in an average.
 *
 * <pre>{@code
 * PoolSpec.builder(PoolSpec.Kind.MAX, Layout.CHANNELS_LAST, 1, 32, 32, 8).pool(2, 1).build();
 * // 1x32x32x8 maxpool2x1/s2,1 valid -> 1x16x32x8
 * }</pre>
 */
public final class PoolSpec {

    /** Which reduction over the window. */
    public enum Kind {
        MAX("max pool"),
        AVERAGE("average pool");

        private final String op;

        Kind(String op) {
            this.op = op;
        }

        /** The operator's name in messages. */
        public String op() { return op; }
    }

    private final Kind kind;
    private final Layout layout;
    private final int batch, channels;
    private final int[] in, pool, stride, padBefore, out;
    private final Padding padding;

    private PoolSpec(Builder b) {
        kind = b.kind;
        String op = kind.op();
        layout = b.layout;
        padding = b.padding;
        if (padding == null) {
            throw new ShapeException(op + ": padding must not be null");
        }
        int rank = b.spatial.length;
        if (rank < 1 || rank > 3) {
            throw new ShapeException(op + ": input must have 3 to 5 axes (batch, 1 to 3 spatial, channels), got "
                    + (rank + 2));
        }
        batch = Checks.positive(op, "batch", b.batch);
        channels = Checks.positive(op, "channels", b.channels);
        in = b.spatial.clone();
        for (int a = 0; a < rank; a++) {
            Checks.positive(op, "input " + axisName(a, rank), in[a]);
        }
        pool = perAxis(op, "pool size", b.pool, rank);
        stride = b.stride == null ? pool.clone() : perAxis(op, "strides", b.stride, rank);
        padBefore = new int[rank];
        out = new int[rank];
        for (int a = 0; a < rank; a++) {
            resolve(op, a, rank);
        }
        Checks.elementCount(op, "input", inputShape());
    }

    private void resolve(String op, int a, int rank) {
        long before;
        long after;
        switch (padding) {
            case Padding.Valid v -> {
                before = 0;
                after = 0;
            }
            case Padding.Same s -> {
                long o = (in[a] + (long) stride[a] - 1) / stride[a];
                long total = Math.max(0, (o - 1) * stride[a] + pool[a] - in[a]);
                before = s.lower() ? total - total / 2 : total / 2;
                after = total - before;
            }
            case Padding.Causal c -> throw new ShapeException(op + ": padding must be valid, same or explicit, "
                    + "got causal");
            case Padding.Explicit e -> {
                int[] pb = e.before();
                int[] pa = e.after();
                if (pb.length != 1 && pb.length != rank) {
                    throw new ShapeException(op + ": explicit padding must give 1 or " + rank + " axes, got "
                            + pb.length);
                }
                before = pb[pb.length == 1 ? 0 : a];
                after = pa[pa.length == 1 ? 0 : a];
                if (before >= pool[a] || after >= pool[a]) {
                    // a window made only of padding would have no element to take the max or mean of
                    throw new ShapeException(op + ": padding on axis " + axisName(a, rank) + " must be smaller "
                            + "than the pool size " + pool[a] + ", got before=" + before + " after=" + after);
                }
            }
        }
        long padded = in[a] + before + after;
        if (padded < pool[a]) {
            throw new ShapeException(op + ": pool size " + pool[a] + " on axis " + axisName(a, rank)
                    + " is larger than the padded input " + padded + " (input " + in[a] + ")");
        }
        padBefore[a] = (int) before;
        out[a] = (int) ((padded - pool[a]) / stride[a] + 1);
    }

    private static int[] perAxis(String op, String name, int[] values, int rank) {
        if (values == null) {
            throw new ShapeException(op + ": " + name + " must be given");
        }
        if (values.length != rank && values.length != 1) {
            throw new ShapeException(op + ": " + name + " must have 1 or " + rank + " values for a " + rank
                    + "-D pooling, got " + values.length + " " + Arrays.toString(values));
        }
        int[] r = new int[rank];
        for (int a = 0; a < rank; a++) {
            r[a] = values[values.length == 1 ? 0 : a];
            Checks.positive(op, name + "[" + a + "]", r[a]);
        }
        return r;
    }

    private static String axisName(int a, int rank) {
        return String.valueOf("DHW".charAt(3 - rank + a));
    }

    /** A builder for an input of {@code inputShape} in {@code layout}. */
    public static Builder builder(Kind kind, Layout layout, int... inputShape) {
        return new Builder(kind, layout, inputShape);
    }

    public Kind kind() { return kind; }

    public Layout layout() { return layout; }

    public int rank() { return in.length; }

    public int batch() { return batch; }

    public int channels() { return channels; }

    public int[] pool() { return pool.clone(); }

    public int[] stride() { return stride.clone(); }

    public int[] padBefore() { return padBefore.clone(); }

    public Padding padding() { return padding; }

    public int[] inputSpatial() { return in.clone(); }

    public int[] outputSpatial() { return out.clone(); }

    public int[] inputShape() { return shape(in); }

    public int[] outputShape() { return shape(out); }

    public int inputLength() { return product(inputShape()); }

    public int outputLength() { return product(outputShape()); }

    /** The geometry the pooling kernels read, lifted to 3-D like {@link ConvGeometry}. */
    public PoolGeometry geometry() {
        int pad = 3 - rank();
        return new PoolGeometry(batch, channels, lift(in, pad, 1), lift(out, pad, 1), lift(pool, pad, 1),
                lift(stride, pad, 1), lift(padBefore, pad, 0), layout);
    }

    private static int[] lift(int[] v, int pad, int fill) {
        int[] r = {fill, fill, fill};
        System.arraycopy(v, 0, r, pad, v.length);
        return r;
    }

    private int[] shape(int[] spatial) {
        int rank = spatial.length;
        int[] s = new int[rank + 2];
        s[0] = batch;
        if (layout == Layout.CHANNELS_LAST) {
            System.arraycopy(spatial, 0, s, 1, rank);
            s[rank + 1] = channels;
        } else {
            s[1] = channels;
            System.arraycopy(spatial, 0, s, 2, rank);
        }
        return s;
    }

    private static int product(int[] dims) {
        int p = 1;
        for (int d : dims) {
            p *= d; // the input was checked to fit; the output is never larger
        }
        return p;
    }

    /** E.g. {@code 1x32x32x8 maxpool2x1/s2,1 valid -> 1x16x32x8}. */
    @Override
    public String toString() {
        String k = kind == Kind.MAX ? "maxpool" : "avgpool";
        String s = Arrays.equals(stride, pool) ? "" : "/s" + Checks.shape(stride).replace('x', ',');
        return Checks.shape(inputShape()) + (layout == Layout.CHANNELS_FIRST ? " " + layout.name(rank()) : "")
                + " " + k + Checks.shape(pool) + s + " " + padding + " -> " + Checks.shape(outputShape());
    }

    /** Collects a pooling's settings; {@link #build()} validates them all. */
    public static final class Builder {
        private final Kind kind;
        private final Layout layout;
        private final int batch, channels;
        private final int[] spatial;
        private int[] pool, stride;
        private Padding padding = Padding.valid();

        private Builder(Kind kind, Layout layout, int[] shape) {
            String op = kind == null ? "pool" : kind.op();
            if (kind == null || layout == null) {
                throw new ShapeException(op + ": kind and layout must not be null");
            }
            if (shape == null || shape.length < 3 || shape.length > 5) {
                throw new ShapeException(op + ": input shape must have 3 to 5 axes (batch, 1 to 3 spatial, "
                        + "channels), got " + (shape == null ? "null" : Arrays.toString(shape)));
            }
            this.kind = kind;
            this.layout = layout;
            int rank = shape.length - 2;
            batch = shape[0];
            spatial = new int[rank];
            if (layout == Layout.CHANNELS_LAST) {
                System.arraycopy(shape, 1, spatial, 0, rank);
                channels = shape[rank + 1];
            } else {
                channels = shape[1];
                System.arraycopy(shape, 2, spatial, 0, rank);
            }
        }

        /** Window size, one value for every axis or one per axis. */
        public Builder pool(int... size) { this.pool = size == null ? null : size.clone(); return this; }

        /** Strides, one for every axis or one per axis; by default the pool size (Keras). */
        public Builder stride(int... s) { this.stride = s == null ? null : s.clone(); return this; }

        public Builder padding(Padding p) { this.padding = p; return this; }

        /** Validates every setting; throws {@link ShapeException} naming the first broken rule. */
        public PoolSpec build() {
            return new PoolSpec(this);
        }
    }
}
