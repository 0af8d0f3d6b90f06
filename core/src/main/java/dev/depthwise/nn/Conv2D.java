package dev.depthwise.nn;

/**
 * Keras's {@code Conv2D}: a full (or, with {@link #groups}, grouped) 2-D convolution over inputs of
 * per-sample shape {@code (rows, cols, channels)} (channels first with {@code data_format("channels_first")}).
 *
 * <pre>{@code
 * new Conv2D(32, 3).strides(2).padding("same").useBias(false)
 * }</pre>
 */
public final class Conv2D extends GroupedConvolution<Conv2D> {

    /** A 2-D convolution to {@code filters} channels with a kernel of {@code kernelSize} on every axis. */
    public Conv2D(int filters, int kernelSize) {
        super(2, filters, new int[] {kernelSize});
    }

    /** A 2-D convolution with an anisotropic kernel. */
    public Conv2D(int filters, int kernelHeight, int kernelWidth) {
        super(2, filters, new int[] {kernelHeight, kernelWidth});
    }

    @Override
    public String type() {
        return "Conv2D";
    }
}
