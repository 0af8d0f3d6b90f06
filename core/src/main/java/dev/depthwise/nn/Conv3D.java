package dev.depthwise.nn;

/**
 * Keras's {@code Conv3D}: a full (or, with {@link #groups}, grouped) 3-D convolution over inputs of
 * per-sample shape {@code (depth, rows, cols, channels)} (channels first with {@code data_format("channels_first")}).
 *
 * <pre>{@code
 * new Conv3D(16, 3).padding("same")
 * }</pre>
 */
public final class Conv3D extends GroupedConvolution<Conv3D> {

    /** A 3-D convolution to {@code filters} channels with a kernel of {@code kernelSize} on every axis. */
    public Conv3D(int filters, int kernelSize) {
        super(3, filters, new int[] {kernelSize});
    }

    /** A 3-D convolution with an anisotropic kernel. */
    public Conv3D(int filters, int kernelDepth, int kernelHeight, int kernelWidth) {
        super(3, filters, new int[] {kernelDepth, kernelHeight, kernelWidth});
    }

    @Override
    public String type() {
        return "Conv3D";
    }
}
