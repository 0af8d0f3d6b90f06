package dev.depthwise.nn;

/**
 * Keras's {@code SeparableConv1D}: a 1-D depthwise-separable convolution over inputs of per-sample
 * shape {@code (steps, channels)}.
 *
 * <pre>{@code
 * new SeparableConv1D(64, 3).padding("same")
 * }</pre>
 */
public final class SeparableConv1D extends SeparableConvolution<SeparableConv1D> {

    /** A 1-D separable convolution to {@code filters} channels, depthwise kernel {@code kernelSize} on every axis. */
    public SeparableConv1D(int filters, int kernelSize) {
        super(1, filters, new int[] {kernelSize});
    }

    @Override
    public String type() {
        return "SeparableConv1D";
    }
}
