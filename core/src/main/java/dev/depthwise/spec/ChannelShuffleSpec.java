package dev.depthwise.spec;

/**
 * ShuffleNet's channel shuffle: the channels, viewed as {@code groups x (C/groups)}, are transposed
 * to {@code (C/groups) x groups}, so output channel {@code j*groups + i} is input channel
 * {@code i*(C/groups) + j}. The shape is unchanged.
 */
public final class ChannelShuffleSpec {
    private final Layout layout;
    private final int[] shape;
    private final int groups;
    private final int length;

    private ChannelShuffleSpec(Layout layout, int[] shape, int groups, int length) {
        this.layout = layout;
        this.shape = shape;
        this.groups = groups;
        this.length = length;
    }

    /** A shuffle of a tensor of {@code shape} (batch, spatial..., channels in {@code layout}). */
    public static ChannelShuffleSpec of(Layout layout, int[] shape, int groups) {
        String op = "channel shuffle";
        if (layout == null) {
            throw new ShapeException(op + ": layout must not be null");
        }
        if (shape == null || shape.length < 2) {
            throw new ShapeException(op + ": shape must have at least 2 axes (batch, channels), got "
                    + (shape == null ? "null" : Checks.shape(shape)));
        }
        for (int i = 0; i < shape.length; i++) {
            Checks.positive(op, "shape[" + i + "]", shape[i]);
        }
        int length = Checks.elementCount(op, "input", shape);
        int c = shape[layout == Layout.CHANNELS_LAST ? shape.length - 1 : 1];
        Checks.positive(op, "groups", groups);
        if (c % groups != 0) {
            throw new ShapeException(op + ": channels " + c + " must be divisible by groups " + groups);
        }
        return new ChannelShuffleSpec(layout, shape.clone(), groups, length);
    }

    public Layout layout() { return layout; }

    public int[] shape() { return shape.clone(); }

    public int groups() { return groups; }

    public int channels() { return shape[layout == Layout.CHANNELS_LAST ? shape.length - 1 : 1]; }

    /** Elements per channel and batch item: the product of the spatial sizes. */
    public int spatialSize() { return length / shape[0] / channels(); }

    public int length() { return length; }

    @Override
    public String toString() {
        return Checks.shape(shape) + " shuffle/g" + groups;
    }
}
