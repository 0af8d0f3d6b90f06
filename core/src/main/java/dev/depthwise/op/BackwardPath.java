package dev.depthwise.op;

/**
 * One way to compute a (linear) convolution's gradients for a fixed spec and thread count, from
 * {@code dz}, the output gradient already taken back through the activation. {@code bias} is only
 * used to decide whether {@code dbias} is wanted (non-null).
 */
interface BackwardPath {
    ConvGradients backward(float[] x, float[] filter, float[] bias, float[] dz);

    /** A short name for tests and benchmarks. */
    String name();
}
