package dev.depthwise.spec;

/**
 * A tensor seen channel by channel: batch, channels, and everything else folded into "positions".
 * The per-channel ops (batch norm, global average pooling) read it as {@code n x c x spatial} with
 * the channel at element stride {@link #channelStride()} and the position at
 * {@link #positionStride()}: channels-last {@code (1, C)}, channels-first {@code (spatial, 1)}.
 */
public final class ChannelSpec {
    private final String op;
    private final Layout layout;
    private final int[] shape;
    private final int length;

    private ChannelSpec(String op, Layout layout, int[] shape, int length) {
        this.op = op;
        this.layout = layout;
        this.shape = shape;
        this.length = length;
    }

    /**
     * A tensor of {@code shape} (batch first, then the channel axis and spatial axes in
     * {@code layout}'s order) for the operator named {@code op} in messages.
     */
    public static ChannelSpec of(String op, Layout layout, int... shape) {
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
        return new ChannelSpec(op, layout, shape.clone(), length);
    }

    /** The operator's name in messages. */
    public String op() { return op; }

    public Layout layout() { return layout; }

    public int[] shape() { return shape.clone(); }

    public int batch() { return shape[0]; }

    public int channels() { return shape[layout == Layout.CHANNELS_LAST ? shape.length - 1 : 1]; }

    /** Positions per channel and batch item: the product of the spatial sizes (1 for a 2-D tensor). */
    public int spatialSize() { return length / shape[0] / channels(); }

    /** Element distance between neighbouring channels. */
    public int channelStride() { return layout == Layout.CHANNELS_LAST ? 1 : spatialSize(); }

    /** Element distance between neighbouring positions. */
    public int positionStride() { return layout == Layout.CHANNELS_LAST ? channels() : 1; }

    public int length() { return length; }

    @Override
    public String toString() {
        return Checks.shape(shape) + (layout == Layout.CHANNELS_FIRST ? " channels_first" : "");
    }
}
