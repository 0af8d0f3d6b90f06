package dev.depthwise.nn;

/**
 * Keras's {@code DepthwiseConv2D}: a 2-D depthwise convolution over inputs of per-sample shape
 * {@code (rows, cols, channels)}.
 *
 * <pre>{@code
 * new DepthwiseConv2D(3).strides(2).padding("same").useBias(false).name("conv_dw_2")
 * }</pre>
 */
public final class DepthwiseConv2D extends DepthwiseConvolution<DepthwiseConv2D> {

    /** A 2-D depthwise convolution with a kernel of {@code kernelSize} on every axis. */
    public DepthwiseConv2D(int kernelSize) {
        super(2, new int[] {kernelSize});
    }

    /** A 2-D depthwise convolution with an anisotropic kernel (EffNet's 1x3 and 3x1). */
    public DepthwiseConv2D(int kernelHeight, int kernelWidth) {
        super(2, new int[] {kernelHeight, kernelWidth});
    }

    @Override
    public String type() {
        return "DepthwiseConv2D";
    }
}
