package dev.depthwise.nn;

import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.ShapeException;

/**
 * A depthwise convolution layer ({@code DepthwiseConv1D/2D/3D}): each input channel is filtered on
 * its own into {@code depth_multiplier} output channels (channel {@code c*M + m}). Keras's
 * {@code depth_multiplier} (1) and the depthwise kernel's initializer ({@code glorot_uniform}),
 * regularizer and constraint, plus everything in {@link ConvolutionLayer}; the plumbing is {@link SingleConvolution}'s. Parameters
 * {@code depthwise_kernel [k..., C, M]} and {@code bias [C*M]}.
 *
 * @param <T> the concrete layer
 */
public abstract class DepthwiseConvolution<T extends DepthwiseConvolution<T>> extends SingleConvolution<T> {
    private int depthMultiplier = 1;
    private Initializer depthwiseInitializer = Initializer.glorotUniform();
    private Regularizer depthwiseRegularizer;
    private Constraint depthwiseConstraint;

    protected DepthwiseConvolution(int rank, int[] kernelSize) {
        super(rank, kernelSize);
    }

    /** Keras {@code depth_multiplier}: output channels per input channel. */
    public T depthMultiplier(int m) {
        requireUnbuilt();
        if (m < 1) {
            throw new ShapeException(who() + ": depth_multiplier must be >= 1, got " + m);
        }
        this.depthMultiplier = m;
        return self();
    }

    /** Keras {@code depthwise_initializer} (default {@code glorot_uniform}). */
    public T depthwiseInitializer(Initializer init) {
        requireUnbuilt();
        this.depthwiseInitializer = init;
        return self();
    }

    public T depthwiseInitializer(String keras) {
        return depthwiseInitializer(Initializer.parse(keras));
    }

    /** Keras {@code depthwise_regularizer}. */
    public T depthwiseRegularizer(Regularizer r) {
        requireUnbuilt();
        this.depthwiseRegularizer = r;
        return self();
    }

    /** Keras {@code depthwise_constraint}. */
    public T depthwiseConstraint(Constraint c) {
        requireUnbuilt();
        this.depthwiseConstraint = c;
        return self();
    }

    public int depthMultiplier() { return depthMultiplier; }

    @Override
    protected ConvSpec.Builder arrangeChannels(ConvSpec.Builder builder) {
        return builder.depthwise(depthMultiplier);
    }

    @Override
    protected Parameter addKernel(int[] filterShape) {
        return addParameter("depthwise_kernel", filterShape, true, depthwiseInitializer, depthwiseRegularizer,
                depthwiseConstraint);
    }
}
