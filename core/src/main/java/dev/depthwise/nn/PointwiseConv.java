package dev.depthwise.nn;

/**
 * A pointwise (1x1) convolution of any rank: the channel-mixing half of a depthwise-separable
 * convolution, and with {@link #groups} ShuffleNet's grouped 1x1 convolution. Keras writes it as
 * {@code Conv2D(filters, 1)}; its own type here lets cost accounting and summaries say what it is.
 */
public final class PointwiseConv extends GroupedConvolution<PointwiseConv> {

    /** A 1x1 convolution to {@code filters} channels; the rank comes from the input. */
    public PointwiseConv(int filters) {
        super(0, filters, null);
    }

    @Override
    public String type() {
        return "PointwiseConv";
    }
}
