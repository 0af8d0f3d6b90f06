package dev.depthwise.op;

/**
 * One way to compute a convolution's forward pass for a fixed spec and thread count: the reference
 * loops or a fast kernel. Arrays have been checked by {@link Conv}; {@code bias} may be null.
 */
interface ForwardPath {
    void forward(float[] x, float[] filter, float[] bias, float[] y);

    /** A short name for tests and benchmarks, e.g. {@code reference} or {@code dw-nhwc-3x3s1}. */
    String name();
}
