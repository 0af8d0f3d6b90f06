package dev.depthwise.spec;

import java.util.Arrays;

/**
 * One grouped convolution, 1-D, 2-D or 3-D, fully validated: depthwise ({@code groups == C}, output
 * channel {@code c*M + m}), pointwise (1x1), grouped and full ({@code groups == 1}) convolution are
 * all instances. Built with {@link #builder(Layout, int...)}; the constructor checks every rule and
 * computes the output size with overflow-checked {@code long} math, so an op that holds a spec only
 * has to check its arrays' lengths.
 *
 * <pre>{@code
 * ConvSpec dw = ConvSpec.builder(Layout.CHANNELS_LAST, 1, 112, 112, 32)
 *         .kernel(3, 3).depthwise(1).stride(2).padding(Padding.same()).build();
 * dw.toString();   // 1x112x112x32 dw3x3/s2 same -> 1x56x56x32
 * }</pre>
 */
public final class ConvSpec {
    private final String op;
    private final Layout layout;
    private final FilterLayout filterLayout;
    private final int batch, inChannels, outChannels, groups;
    private final int[] in, kernel, stride, dilation, padBefore, padAfter, out;
    private final Padding padding;
    private final PadMode padMode;
    private final Activation activation;
    private final boolean depthwise;

    private ConvSpec(Builder b) {
        op = b.depthwiseMultiplier > 0 ? "depthwise conv" : b.pointwise ? "pointwise conv" : "conv";
        if (b.layout == null || b.filterLayout == null || b.padding == null || b.padMode == null
                || b.activation == null) {
            throw new ShapeException(op + ": layout, filter layout, padding, pad mode and activation must not be null");
        }
        layout = b.layout;
        filterLayout = b.filterLayout;
        padding = b.padding;
        padMode = b.padMode;
        activation = b.activation;
        int rank = b.spatial.length;
        if (rank < 1 || rank > 3) {
            throw new ShapeException(op + ": input must have 3 to 5 axes (batch, 1 to 3 spatial, channels), got "
                    + (rank + 2));
        }
        batch = Checks.positive(op, "batch (input " + axis(0, rank) + ")", b.batch);
        in = b.spatial.clone();
        for (int a = 0; a < rank; a++) {
            Checks.positive(op, "input " + spatialName(a, rank), in[a]);
        }
        inChannels = Checks.positive(op, "input channels (C)", b.channels);
        kernel = perAxis("kernel", b.kernel, rank, false);
        stride = perAxis("stride", b.stride, rank, true);
        dilation = perAxis("dilation", b.dilation, rank, true);

        if (b.depthwiseMultiplier > 0) {
            depthwise = true;
            groups = inChannels;
            long k = (long) inChannels * b.depthwiseMultiplier;
            if (k > Integer.MAX_VALUE) {
                throw new ShapeException(op + ": output channels C*multiplier = " + inChannels + "*"
                        + b.depthwiseMultiplier + " = " + k + " does not fit an int");
            }
            outChannels = (int) k;
        } else {
            if (b.depthwiseMultiplier < 0) {
                throw new ShapeException(op + ": depth multiplier must be >= 1, got " + b.depthwiseMultiplier);
            }
            groups = Checks.positive(op, "groups", b.groups);
            outChannels = Checks.positive(op, "output channels", b.outChannels);
            if (inChannels % groups != 0) {
                throw new ShapeException(op + ": input channels " + inChannels + " must be divisible by groups "
                        + groups);
            }
            if (outChannels % groups != 0) {
                throw new ShapeException(op + ": output channels " + outChannels + " must be divisible by groups "
                        + groups);
            }
            depthwise = groups == inChannels && groups > 1;
        }

        padBefore = new int[rank];
        padAfter = new int[rank];
        out = new int[rank];
        for (int a = 0; a < rank; a++) {
            resolveAxis(a, rank);
        }
        Checks.elementCount(op, "input", inputShape());
        Checks.elementCount(op, "output", outputShape());
        Checks.elementCount(op, "filter", filterShape());
    }

    /** Resolves padding and output size of spatial axis {@code a}, all in long. */
    private void resolveAxis(int a, int rank) {
        String name = spatialName(a, rank);
        long effK = (long) (kernel[a] - 1) * dilation[a] + 1;
        if (effK > Integer.MAX_VALUE) {
            throw new ShapeException(op + ": dilated kernel extent (" + kernel[a] + "-1)*" + dilation[a]
                    + "+1 = " + effK + " on axis " + name + " does not fit an int");
        }
        long before;
        long after;
        switch (padding) {
            case Padding.Valid v -> {
                before = 0;
                after = 0;
            }
            case Padding.Same s -> {
                long o = (in[a] + (long) stride[a] - 1) / stride[a];
                long total = Math.max(0, (o - 1) * stride[a] + effK - in[a]);
                before = s.lower() ? total - total / 2 : total / 2;
                after = total - before;
            }
            case Padding.Causal c -> {
                if (rank != 1) {
                    throw new ShapeException(op + ": padding 'causal' is only defined for 1-D convolution, got a "
                            + rank + "-D one");
                }
                before = effK - 1;
                after = 0;
            }
            case Padding.Explicit e -> {
                int[] pb = e.before();
                int[] pa = e.after();
                if (pb.length != 1 && pb.length != rank) {
                    throw new ShapeException(op + ": explicit padding must give 1 or " + rank
                            + " axes, got " + pb.length);
                }
                before = pb[pb.length == 1 ? 0 : a];
                after = pa[pa.length == 1 ? 0 : a];
            }
        }
        switch (padMode) {
            case REFLECT -> {
                if (before > in[a] - 1 || after > in[a] - 1) {
                    throw new ShapeException(op + ": reflect padding on axis " + name + " must be < the input size "
                            + in[a] + ", got before=" + before + " after=" + after);
                }
            }
            case CIRCULAR -> {
                if (before > in[a] || after > in[a]) {
                    throw new ShapeException(op + ": circular padding on axis " + name
                            + " must be <= the input size " + in[a] + ", got before=" + before + " after=" + after);
                }
            }
            default -> { }
        }
        long padded = in[a] + before + after;
        if (padded > Integer.MAX_VALUE) {
            throw new ShapeException(op + ": padded input size " + in[a] + "+" + before + "+" + after + " = "
                    + padded + " on axis " + name + " does not fit an int");
        }
        if (padded < effK) {
            throw new ShapeException(op + ": kernel extent " + effK + (dilation[a] > 1 ? " (dilated)" : "")
                    + " on axis " + name + " is larger than the padded input " + padded + " (input " + in[a]
                    + ", padding " + before + "+" + after + ")");
        }
        padBefore[a] = (int) before;
        padAfter[a] = (int) after;
        out[a] = (int) ((padded - effK) / stride[a] + 1);
    }

    private int[] perAxis(String name, int[] values, int rank, boolean broadcast) {
        if (values == null) {
            throw new ShapeException(op + ": " + name + " must be given");
        }
        if (values.length != rank && !(broadcast && values.length == 1)) {
            throw new ShapeException(op + ": " + name + " must have " + (broadcast ? "1 or " : "") + rank
                    + " values for a " + rank + "-D convolution, got " + values.length + " " + Arrays.toString(values));
        }
        int[] r = new int[rank];
        for (int a = 0; a < rank; a++) {
            r[a] = values[values.length == 1 ? 0 : a];
            Checks.positive(op, name + "[" + a + "]", r[a]);
        }
        return r;
    }

    private String axis(int i, int rank) {
        return String.valueOf(layout.name(rank).charAt(i));
    }

    private static String spatialName(int a, int rank) {
        return String.valueOf("DHW".charAt(3 - rank + a));
    }

    /** A builder for an input of the given shape, written in {@code layout} (e.g. NHWC or NCHW). */
    public static Builder builder(Layout layout, int... inputShape) {
        return new Builder(layout, inputShape);
    }

    /** A builder holding every setting of this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(layout, inputShape());
        b.kernel = kernel.clone();
        b.stride = stride.clone();
        b.dilation = dilation.clone();
        b.padding = padding;
        b.padMode = padMode;
        b.filterLayout = filterLayout;
        b.activation = activation;
        if (depthwise && op.equals("depthwise conv")) {
            b.depthwiseMultiplier = outChannels / inChannels;
        } else {
            b.groups = groups;
            b.outChannels = outChannels;
            b.pointwise = op.equals("pointwise conv");
        }
        return b;
    }

    /** Number of spatial axes: 1, 2 or 3. */
    public int rank() { return in.length; }

    public Layout layout() { return layout; }

    public FilterLayout filterLayout() { return filterLayout; }

    public int batch() { return batch; }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    public int groups() { return groups; }

    /** True when every group has one input channel: depthwise convolution. */
    public boolean isDepthwise() { return depthwise; }

    /** Output channels per input channel of a depthwise convolution ({@code outChannels / groups}). */
    public int multiplier() { return outChannels / groups; }

    public int[] inputSpatial() { return in.clone(); }

    public int[] outputSpatial() { return out.clone(); }

    public int[] kernel() { return kernel.clone(); }

    public int[] stride() { return stride.clone(); }

    public int[] dilation() { return dilation.clone(); }

    /** Resolved padding before each spatial axis. */
    public int[] padBefore() { return padBefore.clone(); }

    /** Resolved padding after each spatial axis. */
    public int[] padAfter() { return padAfter.clone(); }

    /** The padding as requested (may be {@code same}, resolved in {@link #padBefore()}). */
    public Padding padding() { return padding; }

    public PadMode padMode() { return padMode; }

    public Activation activation() { return activation; }

    /** The operator's name in messages: {@code depthwise conv}, {@code pointwise conv} or {@code conv}. */
    public String opName() { return op; }

    /** Input shape in this spec's layout. */
    public int[] inputShape() { return activationShape(inChannels, in); }

    /** Output shape in this spec's layout. */
    public int[] outputShape() { return activationShape(outChannels, out); }

    /**
     * Filter shape in this spec's filter layout: {@code [k..., C, M]} for a depthwise filter in
     * TensorFlow layout, {@code [k..., C/groups, outChannels]} otherwise, and
     * {@code [outChannels, C/groups, k...]} in PyTorch layout.
     */
    public int[] filterShape() {
        int rank = rank();
        int[] s = new int[rank + 2];
        if (filterLayout == FilterLayout.SPATIAL_IN_OUT) {
            System.arraycopy(kernel, 0, s, 0, rank);
            boolean hwcm = depthwise && op.equals("depthwise conv");
            s[rank] = hwcm ? inChannels : inChannels / groups;
            s[rank + 1] = hwcm ? outChannels / inChannels : outChannels;
        } else {
            s[0] = outChannels;
            s[1] = inChannels / groups;
            System.arraycopy(kernel, 0, s, 2, rank);
        }
        return s;
    }

    /** Bias shape: {@code [outChannels]}. */
    public int[] biasShape() { return new int[] {outChannels}; }

    public int inputLength() { return product(inputShape()); }

    public int outputLength() { return product(outputShape()); }

    public int filterLength() { return product(filterShape()); }

    /**
     * Multiply-adds of one forward pass, the papers' measure of cost (bias and activation not
     * counted): every output element takes {@code kernel volume * C / groups} of them.
     */
    public long multAdds() {
        long perOutput = (long) inChannels / groups;
        for (int k : kernel) {
            perOutput *= k;
        }
        return perOutput * outputLength();
    }

    /** The geometry the kernels read, canonical 3-D. */
    public ConvGeometry geometry() {
        int pad = 3 - rank();
        return new ConvGeometry(batch, inChannels, outChannels, groups, lift(in, pad), lift(out, pad),
                lift(kernel, pad), lift(stride, pad), lift(dilation, pad), lift0(padBefore, pad), padMode,
                layout, filterLayout);
    }

    private static int[] lift(int[] v, int pad) {
        int[] r = {1, 1, 1};
        System.arraycopy(v, 0, r, pad, v.length);
        return r;
    }

    private static int[] lift0(int[] v, int pad) {
        int[] r = new int[3];
        System.arraycopy(v, 0, r, pad, v.length);
        return r;
    }

    private int[] activationShape(int channels, int[] spatial) {
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
            p *= d; // checked to fit when the spec was built
        }
        return p;
    }

    /** E.g. {@code 1x112x112x32 dw3x3/s2 same -> 1x56x56x32}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(Checks.shape(inputShape()));
        if (layout == Layout.CHANNELS_FIRST) {
            s.append(' ').append(layout.name(rank()));
        }
        s.append(' ').append(op.equals("depthwise conv") || depthwise ? "dw" : op.equals("pointwise conv") ? "pw" : "conv")
                .append(Checks.shape(kernel));
        if (depthwise && multiplier() > 1) {
            s.append("*").append(multiplier());
        }
        if (!depthwise && groups > 1) {
            s.append("/g").append(groups);
        }
        if (!depthwise) {
            s.append(" ").append(outChannels).append("ch");
        }
        appendAxes(s, "/s", stride);
        appendAxes(s, "/d", dilation);
        s.append(' ').append(padding);
        if (padMode != PadMode.ZEROS) {
            s.append(' ').append(padMode.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (activation.kind() != Activation.Kind.NONE) {
            s.append(" +").append(activation);
        }
        return s.append(" -> ").append(Checks.shape(outputShape())).toString();
    }

    private static void appendAxes(StringBuilder s, String tag, int[] v) {
        boolean allOne = Arrays.stream(v).allMatch(x -> x == 1);
        if (allOne) {
            return;
        }
        boolean same = Arrays.stream(v).allMatch(x -> x == v[0]);
        s.append(tag).append(same ? String.valueOf(v[0]) : Checks.shape(v).replace('x', ','));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvSpec c && toString().equals(c.toString()) && filterLayout == c.filterLayout
                && Arrays.equals(padBefore, c.padBefore);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Collects a spec's settings; {@link #build()} validates them all. */
    public static final class Builder {
        private Layout layout;
        private int batch, channels;
        private int[] spatial;
        private int[] kernel, stride = {1}, dilation = {1};
        private int groups = 1, outChannels, depthwiseMultiplier;
        private boolean pointwise;
        private Padding padding = Padding.valid();
        private PadMode padMode = PadMode.ZEROS;
        private FilterLayout filterLayout = FilterLayout.SPATIAL_IN_OUT;
        private Activation activation = Activation.NONE;

        private Builder(Layout layout, int[] shape) {
            if (shape == null || shape.length < 3 || shape.length > 5) {
                throw new ShapeException("conv: input shape must have 3 to 5 axes (batch, 1 to 3 spatial, channels), got "
                        + (shape == null ? "null" : Arrays.toString(shape)));
            }
            if (layout == null) {
                throw new ShapeException("conv: layout must not be null");
            }
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

        /** Reinterprets the same sizes in another layout (the shape given to the builder is unchanged in meaning). */
        public Builder layout(Layout l) { this.layout = l; return this; }

        /** Kernel size per spatial axis. */
        public Builder kernel(int... k) { this.kernel = k == null ? null : k.clone(); return this; }

        /** Depthwise: {@code groups = C}, {@code outChannels = C * multiplier}. */
        public Builder depthwise(int multiplier) {
            if (multiplier < 1) {
                throw new ShapeException("depthwise conv: depth multiplier must be >= 1, got " + multiplier);
            }
            this.depthwiseMultiplier = multiplier;
            this.pointwise = false;
            return this;
        }

        /** Pointwise (1x1) convolution to {@code outChannels}, groups 1 (set {@link #groups} after for grouped 1x1). */
        public Builder pointwise(int outChannels) {
            this.pointwise = true;
            this.depthwiseMultiplier = 0;
            this.outChannels = outChannels;
            this.kernel = new int[spatial.length];
            Arrays.fill(kernel, 1);
            return this;
        }

        /** Grouped or full convolution to {@code outChannels}. */
        public Builder conv(int outChannels, int groups) {
            this.depthwiseMultiplier = 0;
            this.outChannels = outChannels;
            this.groups = groups;
            return this;
        }

        /** Number of groups (for {@link #conv} and {@link #pointwise}). */
        public Builder groups(int g) { this.groups = g; return this; }

        /** One stride for every axis, or one per axis. */
        public Builder stride(int... s) { this.stride = s == null ? null : s.clone(); return this; }

        /** One dilation for every axis, or one per axis. */
        public Builder dilation(int... d) { this.dilation = d == null ? null : d.clone(); return this; }

        public Builder padding(Padding p) { this.padding = p; return this; }

        public Builder padMode(PadMode m) { this.padMode = m; return this; }

        public Builder filterLayout(FilterLayout f) { this.filterLayout = f; return this; }

        public Builder activation(Activation a) { this.activation = a; return this; }

        /** Validates every setting; throws {@link ShapeException} naming the first broken rule. */
        public ConvSpec build() {
            if (kernel == null) {
                throw new ShapeException((depthwiseMultiplier > 0 ? "depthwise conv" : "conv")
                        + ": kernel size must be given");
            }
            return new ConvSpec(this);
        }
    }
}
