package dev.depthwise.nn;

/**
 * Keras's {@code SeparableConv2D}: a 2-D depthwise-separable convolution over inputs of per-sample
 * shape {@code (rows, cols, channels)}.
 *
 * <pre>{@code
 * new SeparableConv2D(128, 3).padding("same").useBias(false).name("block2_sepconv1")
 * }</pre>
 */
public final class SeparableConv2D extends SeparableConvolution<SeparableConv2D> {

    /** A 2-D separable convolution to {@code filters} channels, depthwise kernel {@code kernelSize} on every axis. */
    public SeparableConv2D(int filters, int kernelSize) {
        super(2, filters, new int[] {kernelSize});
    }

    /** A 2-D separable convolution with an anisotropic depthwise kernel. */
    public SeparableConv2D(int filters, int kernelHeight, int kernelWidth) {
        super(2, filters, new int[] {kernelHeight, kernelWidth});
    }

    @Override
    public String type() {
        return "SeparableConv2D";
    }
}
