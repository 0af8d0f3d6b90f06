package dev.depthwise.nn;

/**
 * Keras's {@code Conv1D}: a full (or, with {@link #groups}, grouped) 1-D convolution over inputs of
 * per-sample shape {@code (steps, channels)} (channels first with {@code data_format("channels_first")}).
 *
 * <pre>{@code
 * new Conv1D(64, 3).padding("causal").dilationRate(2)
 * }</pre>
 */
public final class Conv1D extends GroupedConvolution<Conv1D> {

    /** A 1-D convolution to {@code filters} channels with a kernel of {@code kernelSize} on every axis. */
    public Conv1D(int filters, int kernelSize) {
        super(1, filters, new int[] {kernelSize});
    }

    @Override
    public String type() {
        return "Conv1D";
    }
}
