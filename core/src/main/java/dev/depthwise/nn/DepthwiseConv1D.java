package dev.depthwise.nn;

/**
 * Keras's {@code DepthwiseConv1D}: a 1-D depthwise convolution over inputs of per-sample shape
 * {@code (steps, channels)}.
 *
 * <pre>{@code
 * new DepthwiseConv1D(3).padding("causal")
 * }</pre>
 */
public final class DepthwiseConv1D extends DepthwiseConvolution<DepthwiseConv1D> {

    /** A 1-D depthwise convolution with a kernel of {@code kernelSize} on every axis. */
    public DepthwiseConv1D(int kernelSize) {
        super(1, new int[] {kernelSize});
    }

    @Override
    public String type() {
        return "DepthwiseConv1D";
    }
}
