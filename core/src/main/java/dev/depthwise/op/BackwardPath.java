package dev.depthwise.op;

/**
 * One way to compute a (linear) convolution's gradients for a fixed spec and thread count, from
 * {@code dz}, the output gradient already taken back through the activation. {@code bias} is only
 * used to decide whether {@code dbias} is wanted (non-null).
 */
interface BackwardPath {
    /**
     * Overwrites {@code dx}, {@code dfilter} and, when {@code bias} is non-null, {@code dbias} with
     * the gradients (every element; never accumulates into what they held). {@link Conv} has checked
     * every length, that {@code dbias} is null exactly when {@code bias} is, and that no output is
     * the same array as an input or another output.
     */
    void backward(float[] x, float[] filter, float[] bias, float[] dz, float[] dx, float[] dfilter, float[] dbias);

    /** The gradients in new arrays (their lengths those of {@code x}, {@code filter}, {@code bias}). */
    default ConvGradients backward(float[] x, float[] filter, float[] bias, float[] dz) {
        float[] dx = new float[x.length];
        float[] df = new float[filter.length];
        float[] db = bias == null ? null : new float[bias.length];
        backward(x, filter, bias, dz, dx, df, db);
        return new ConvGradients(dx, df, db);
    }

    /** A short name for tests and benchmarks. */
    String name();
}
