package dev.depthwise.nn;

/**
 * Keras's {@code DepthwiseConv3D}: a 3-D depthwise convolution over inputs of per-sample shape
 * {@code (depth, rows, cols, channels)}.
 *
 * <pre>{@code
 * new DepthwiseConv3D(3).depthMultiplier(2).padding("same")
 * }</pre>
 */
public final class DepthwiseConv3D extends DepthwiseConvolution<DepthwiseConv3D> {

    /** A 3-D depthwise convolution with a kernel of {@code kernelSize} on every axis. */
    public DepthwiseConv3D(int kernelSize) {
        super(3, new int[] {kernelSize});
    }

    /** A 3-D depthwise convolution with an anisotropic kernel (EffNet's 1x3 and 3x1). */
    public DepthwiseConv3D(int kernelDepth, int kernelHeight, int kernelWidth) {
        super(3, new int[] {kernelDepth, kernelHeight, kernelWidth});
    }

    @Override
    public String type() {
        return "DepthwiseConv3D";
    }
}
