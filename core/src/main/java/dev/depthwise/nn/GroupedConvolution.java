package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.Conv;
import dev.depthwise.op.ConvGradients;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.ShapeException;
import java.util.List;

/**
 * A full or grouped convolution layer ({@code Conv1D/2D/3D}, {@link PointwiseConv}): Keras's
 * {@code filters}, {@code groups} (1) and the kernel's initializer ({@code glorot_uniform}),
 * regularizer and constraint, plus everything in {@link ConvolutionLayer}. Parameters
 * {@code kernel [k..., C/groups, filters]} and {@code bias [filters]}.
 *
 * @param <T> the concrete layer
 */
public abstract class GroupedConvolution<T extends GroupedConvolution<T>> extends ConvolutionLayer<T> {
    private final int filters;
    private int groups = 1;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Regularizer kernelRegularizer;
    private Constraint kernelConstraint;
    private Parameter kernel;
    private Parameter bias;
    private ConvSpec unitSpec;
    private Conv op;
    private NdArray lastX;

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

    /** The {@code kernel} parameter (after build). */
    public Parameter kernel() { return kernel; }

    /** The {@code bias} parameter, or null without bias. */
    public Parameter bias() { return bias; }

    private ConvSpec spec(int batch) {
        return specBuilder(batch, inputShapes()[0]).conv(filters, groups).activation(activation()).build();
    }

    @Override
    protected int[] build(int[][] shapes) {
        int[] in = singleInput(shapes);
        unitSpec = specBuilder(1, in).conv(filters, groups).activation(activation()).build();
        kernel = addParameter("kernel", unitSpec.filterShape(), true, kernelInitializer, kernelRegularizer,
                kernelConstraint);
        bias = addBias(filters);
        return Shapes.withoutBatch(unitSpec.outputShape());
    }

    private Conv op(int batch) {
        if (op == null || op.spec().batch() != batch) {
            op = Conv.of(spec(batch));
        }
        return op;
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        Conv c = op(n);
        lastX = inputs[0];
        float[] y = c.forward(inputs[0].data(), kernel.value(), bias == null ? null : bias.value());
        return new NdArray(c.spec().outputShape(), y);
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        Conv c = op(x.shape()[0]);
        checkInput(dy, outputShape(), "output gradient");
        ConvGradients g = c.backward(x.data(), kernel.value(), bias == null ? null : bias.value(), dy.data());
        kernel.setGradient(g.dfilter());
        if (bias != null) {
            bias.setGradient(g.dbias());
        }
        return new NdArray[] {new NdArray(x.shape(), g.dx())};
    }

    @Override
    public List<OpCost> costs() {
        return List.of(new OpCost(unitSpec.isDepthwise() ? OpCost.Kind.DEPTHWISE : OpCost.Kind.CONVOLUTION,
                unitSpec.kernel(), unitSpec.multAdds(), unitSpec.filterLength()));
    }
}
