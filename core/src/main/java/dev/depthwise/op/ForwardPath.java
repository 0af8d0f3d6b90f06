package dev.depthwise.op;

/**
 * One way to compute a convolution's forward pass for a fixed spec and thread count: the reference
 * loops or a fast kernel. Arrays have been checked by {@link Conv}; {@code bias} may be null.
 */
interface ForwardPath {
    void forward(float[] x, float[] filter, float[] bias, float[] y);

    /** A short name for tests and benchmarks, e.g. {@code reference} or {@code dw-nhwc-3x3s1}. */
    String name();

    /**
     * This path with its weights fixed ({@link PreparedConv}): by default a snapshot of
     * {@code filter} and {@code bias} handed to {@link #forward} on every call; a path that repacks
     * its weights per call overrides this to pack them once here. The arrays have been checked; the
     * result must not see later changes to them and must be safe to use from many threads at once.
     */
    default Prepared prepare(float[] filter, float[] bias) {
        float[] f = filter.clone();
        float[] b = bias == null ? null : bias.clone();
        return (x, y) -> forward(x, f, b, y);
    }

    /** A forward pass with its weights bound; {@code x} and {@code y} have been checked. */
    @FunctionalInterface
    interface Prepared {
        void forward(float[] x, float[] y);
    }
}
