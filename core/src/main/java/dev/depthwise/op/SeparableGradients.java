package dev.depthwise.op;

/**
 * Gradients of a depthwise-separable convolution, each shaped like its parameter; an entry is null
 * when the parameter was absent.
 */
public record SeparableGradients(float[] dx, float[] depthwiseFilter, float[] depthwiseBias, float[] scale,
                                 float[] shift, float[] pointwiseFilter, float[] pointwiseBias) {
}
