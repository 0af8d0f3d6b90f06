package dev.depthwise.nn;

import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.ShapeException;

/**
 * A full or grouped convolution layer ({@code Conv1D/2D/3D}, {@link PointwiseConv}): Keras's
 * {@code filters}, {@code groups} (1) and the kernel's initializer ({@code glorot_uniform}),
 * regularizer and constraint, plus everything in {@link ConvolutionLayer}; the plumbing is {@link SingleConvolution}'s. Parameters
 * {@code kernel [k..., C/groups, filters]} and {@code bias [filters]}.
 *
 * @param <T> the concrete layer
 */
public abstract class GroupedConvolution<T extends GroupedConvolution<T>> extends SingleConvolution<T> {
    private final int filters;
    private int groups = 1;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Regularizer kernelRegularizer;
    private Constraint kernelConstraint;

    protected GroupedConvolution(int rank, int filters, int[] kernelSize) {
        super(rank, kernelSize);
        if (filters < 1) {
            throw new ShapeException(getClass().getSimpleName() + ": filters must be >= 1, got " + filters);
        }
        this.filters = filters;
    }

    /** Keras {@code groups}: input and output channels are split into this many independent groups. */
    public T groups(int g) {
        requireUnbuilt();
        if (g < 1) {
            throw new ShapeException(who() + ": groups must be >= 1, got " + g);
        }
        this.groups = g;
        return self();
    }

    /** Keras {@code kernel_initializer} (default {@code glorot_uniform}). */
    public T kernelInitializer(Initializer init) {
        requireUnbuilt();
        this.kernelInitializer = init;
        return self();
    }

    public T kernelInitializer(String keras) {
        return kernelInitializer(Initializer.parse(keras));
    }

    /** Keras {@code kernel_regularizer}: a penalty on the kernel added to the loss. */
    public T kernelRegularizer(Regularizer r) {
        requireUnbuilt();
        this.kernelRegularizer = r;
        return self();
    }

    /** Keras {@code kernel_constraint}: a projection after each optimizer step. */
    public T kernelConstraint(Constraint c) {
        requireUnbuilt();
        this.kernelConstraint = c;
        return self();
    }

    public int filters() { return filters; }

    public int groups() { return groups; }

    @Override
    protected ConvSpec.Builder arrangeChannels(ConvSpec.Builder builder) {
        return builder.conv(filters, groups);
    }

    @Override
    protected Parameter addKernel(int[] filterShape) {
        return addParameter("kernel", filterShape, true, kernelInitializer, kernelRegularizer, kernelConstraint);
    }
}
