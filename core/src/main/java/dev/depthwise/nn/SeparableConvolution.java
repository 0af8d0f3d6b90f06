package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.SeparableConv;
import dev.depthwise.op.SeparableGradients;
import dev.depthwise.op.SeparableWeights;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.ShapeException;
import java.util.List;

/**
 * A depthwise-separable convolution layer ({@code SeparableConv1D/2D}): a depthwise stage (stride,
 * dilation, padding) then a pointwise stage to {@code filters} channels, with nothing between them
 * (Keras, Xception); bias and activation come after the pointwise stage. Keras's {@code filters},
 * {@code depth_multiplier} (1), and initializer ({@code glorot_uniform}), regularizer and constraint
 * of both kernels. Parameters {@code depthwise_kernel [k..., C, M]},
 * {@code pointwise_kernel [1..., C*M, filters]} and {@code bias [filters]}.
 *
 * @param <T> the concrete layer
 */
public abstract class SeparableConvolution<T extends SeparableConvolution<T>> extends ConvolutionLayer<T> {
    private final int filters;
    private int depthMultiplier = 1;
    private Initializer depthwiseInitializer = Initializer.glorotUniform();
    private Initializer pointwiseInitializer = Initializer.glorotUniform();
    private Regularizer depthwiseRegularizer;
    private Regularizer pointwiseRegularizer;
    private Constraint depthwiseConstraint;
    private Constraint pointwiseConstraint;
    private Parameter depthwise;
    private Parameter pointwise;
    private Parameter bias;
    private SeparableSpec unitSpec;
    private SeparableConv op;
    private NdArray lastX;

    protected SeparableConvolution(int rank, int filters, int[] kernelSize) {
        super(rank, kernelSize);
        if (filters < 1) {
            throw new ShapeException(getClass().getSimpleName() + ": filters must be >= 1, got " + filters);
        }
        this.filters = filters;
    }

    /** Keras {@code depth_multiplier}: depthwise output channels per input channel. */
    public T depthMultiplier(int m) {
        requireUnbuilt();
        if (m < 1) {
            throw new ShapeException(who() + ": depth_multiplier must be >= 1, got " + m);
        }
        this.depthMultiplier = m;
        return self();
    }

    public T depthwiseInitializer(Initializer init) {
        requireUnbuilt();
        this.depthwiseInitializer = init;
        return self();
    }

    public T pointwiseInitializer(Initializer init) {
        requireUnbuilt();
        this.pointwiseInitializer = init;
        return self();
    }

    public T depthwiseRegularizer(Regularizer r) {
        requireUnbuilt();
        this.depthwiseRegularizer = r;
        return self();
    }

    public T pointwiseRegularizer(Regularizer r) {
        requireUnbuilt();
        this.pointwiseRegularizer = r;
        return self();
    }

    public T depthwiseConstraint(Constraint c) {
        requireUnbuilt();
        this.depthwiseConstraint = c;
        return self();
    }

    public T pointwiseConstraint(Constraint c) {
        requireUnbuilt();
        this.pointwiseConstraint = c;
        return self();
    }

    public int filters() { return filters; }

    public int depthMultiplier() { return depthMultiplier; }

    /** The {@code depthwise_kernel} parameter (after build). */
    public Parameter depthwiseKernel() { return depthwise; }

    /** The {@code pointwise_kernel} parameter (after build). */
    public Parameter pointwiseKernel() { return pointwise; }

    /** The {@code bias} parameter, or null without bias. */
    public Parameter bias() { return bias; }

    private SeparableSpec spec(int batch, int[] in) {
        ConvSpec dw = specBuilder(batch, in).depthwise(depthMultiplier).activation(Activation.NONE).build();
        return SeparableSpec.of(dw, SeparableSpec.Middle.NONE, filters, activation());
    }

    @Override
    protected int[] build(int[][] shapes) {
        int[] in = singleInput(shapes);
        unitSpec = spec(1, in);
        depthwise = addParameter("depthwise_kernel", unitSpec.depthwise().filterShape(), true, depthwiseInitializer,
                depthwiseRegularizer, depthwiseConstraint);
        pointwise = addParameter("pointwise_kernel", unitSpec.pointwise().filterShape(), true,
                pointwiseInitializer, pointwiseRegularizer, pointwiseConstraint);
        bias = addBias(filters);
        return Shapes.withoutBatch(unitSpec.pointwise().outputShape());
    }

    private SeparableConv op(int batch) {
        if (op == null || op.spec().depthwise().batch() != batch) {
            op = SeparableConv.of(spec(batch, inputShapes()[0]));
        }
        return op;
    }

    private SeparableWeights weights() {
        return SeparableWeights.of(depthwise.value(), pointwise.value(), bias == null ? null : bias.value());
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        SeparableConv c = op(n);
        lastX = inputs[0];
        return new NdArray(c.spec().pointwise().outputShape(), c.forward(inputs[0].data(), weights()));
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        SeparableConv c = op(x.shape()[0]);
        checkInput(dy, outputShape(), "output gradient");
        SeparableGradients g = c.backward(x.data(), weights(), dy.data());
        depthwise.setGradient(g.depthwiseFilter());
        pointwise.setGradient(g.pointwiseFilter());
        if (bias != null) {
            bias.setGradient(g.pointwiseBias());
        }
        return new NdArray[] {new NdArray(x.shape(), g.dx())};
    }

    @Override
    public List<OpCost> costs() {
        ConvSpec dw = unitSpec.depthwise();
        ConvSpec pw = unitSpec.pointwise();
        return List.of(new OpCost(OpCost.Kind.DEPTHWISE, dw.kernel(), dw.multAdds(), dw.filterLength()),
                new OpCost(OpCost.Kind.CONVOLUTION, pw.kernel(), pw.multAdds(), pw.filterLength()));
    }
}
