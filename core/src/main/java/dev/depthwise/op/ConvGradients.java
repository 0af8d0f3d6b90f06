package dev.depthwise.op;

/**
 * The gradients of a convolution's loss w.r.t. its input, filter and bias (vector-Jacobian products:
 * {@code dx = d(sum(y * dy))/dx}). Each array has the shape and layout of the tensor it belongs to;
 * {@code dbias} is null when the forward pass had no bias.
 */
public record ConvGradients(float[] dx, float[] dfilter, float[] dbias) {
}
