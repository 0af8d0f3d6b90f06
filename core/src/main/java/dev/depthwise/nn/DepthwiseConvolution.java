package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.Conv;
import dev.depthwise.op.ConvGradients;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.ShapeException;
import java.util.List;

/**
 * A depthwise convolution layer ({@code DepthwiseConv1D/2D/3D}): each input channel is filtered on
 * its own into {@code depth_multiplier} output channels (channel {@code c*M + m}). Keras's
 * {@code depth_multiplier} (1) and the depthwise kernel's initializer ({@code glorot_uniform}),
 * regularizer and constraint, plus everything in {@link ConvolutionLayer}. Parameters
 * {@code depthwise_kernel [k..., C, M]} and {@code bias [C*M]}.
 *
 * @param <T> the concrete layer
 */
public abstract class DepthwiseConvolution<T extends DepthwiseConvolution<T>> extends ConvolutionLayer<T> {
    private int depthMultiplier = 1;
    private Initializer depthwiseInitializer = Initializer.glorotUniform();
    private Regularizer depthwiseRegularizer;
    private Constraint depthwiseConstraint;
    private Parameter kernel;
    private Parameter bias;
    private ConvSpec unitSpec;
    private Conv op;
    private NdArray lastX;

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

    /** The {@code depthwise_kernel} parameter (after build). */
    public Parameter kernel() { return kernel; }

    /** The {@code bias} parameter, or null without bias. */
    public Parameter bias() { return bias; }

    private ConvSpec spec(int batch) {
        return specBuilder(batch, inputShapes()[0]).depthwise(depthMultiplier).activation(activation()).build();
    }

    @Override
    protected int[] build(int[][] shapes) {
        int[] in = singleInput(shapes);
        unitSpec = specBuilder(1, in).depthwise(depthMultiplier).activation(activation()).build();
        kernel = addParameter("depthwise_kernel", unitSpec.filterShape(), true, depthwiseInitializer,
                depthwiseRegularizer, depthwiseConstraint);
        bias = addBias(unitSpec.outChannels());
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
        return List.of(new OpCost(OpCost.Kind.DEPTHWISE, unitSpec.kernel(), unitSpec.multAdds(),
                unitSpec.filterLength()));
    }
}
