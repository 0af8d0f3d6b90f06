package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.op.MatMul;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ShapeException;
import java.util.List;

/**
 * Keras's {@code Dense}: {@code units}, {@code activation} (none), {@code use_bias} (true), kernel
 * initializer ({@code glorot_uniform}), bias initializer (zeros), regularizers and constraints.
 * Applies to the last axis (earlier per-sample axes act as more batch). Parameters
 * {@code kernel [in, units]} and {@code bias [units]}.
 */
public final class Dense extends Layer {
    private final int units;
    private Activation activation = Activation.NONE;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Initializer biasInitializer = Initializer.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private Parameter kernel;
    private Parameter bias;
    private int in;
    private int rowsPerSample;
    private NdArray lastX;

    /** A dense layer with {@code units} outputs. */
    public Dense(int units) {
        if (units < 1) {
            throw new ShapeException("Dense: units must be >= 1, got " + units);
        }
        this.units = units;
    }

    @Override
    public String type() {
        return "Dense";
    }

    /** The activation applied to the output (fused into the op). */
    public Dense activation(Activation a) {
        requireUnbuilt();
        if (a == null) {
            throw new ShapeException(who() + ": activation must not be null");
        }
        this.activation = a;
        return this;
    }

    /** Keras's spelling: {@code "relu"}, {@code "sigmoid"}... */
    public Dense activation(String keras) {
        return activation(Activation.parse(keras, Activation.DEFAULT_LEAKY_ALPHA));
    }

    /** Whether the layer adds a bias (Keras {@code use_bias}, default true). */
    public Dense useBias(boolean b) {
        requireUnbuilt();
        this.useBias = b;
        return this;
    }

    public Dense kernelInitializer(Initializer i) {
        requireUnbuilt();
        this.kernelInitializer = i;
        return this;
    }

    public Dense kernelInitializer(String keras) {
        return kernelInitializer(Initializer.parse(keras));
    }

    public Dense biasInitializer(Initializer i) {
        requireUnbuilt();
        this.biasInitializer = i;
        return this;
    }

    public Dense kernelRegularizer(Regularizer r) {
        requireUnbuilt();
        this.kernelRegularizer = r;
        return this;
    }

    public Dense biasRegularizer(Regularizer r) {
        requireUnbuilt();
        this.biasRegularizer = r;
        return this;
    }

    public Dense kernelConstraint(Constraint c) {
        requireUnbuilt();
        this.kernelConstraint = c;
        return this;
    }

    public Dense biasConstraint(Constraint c) {
        requireUnbuilt();
        this.biasConstraint = c;
        return this;
    }

    public int units() { return units; }

    public Parameter kernel() { return kernel; }

    public Parameter bias() { return bias; }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        int[] s = shapes[0];
        if (s.length < 1) {
            throw new ShapeException(who() + ": input must have at least 1 axis per sample, got a scalar");
        }
        in = s[s.length - 1];
        rowsPerSample = Shapes.product(s) / in;
        kernel = addParameter("kernel", new int[] {in, units}, true, kernelInitializer, kernelRegularizer,
                kernelConstraint);
        bias = useBias ? addParameter("bias", new int[] {units}, true, biasInitializer, biasRegularizer,
                biasConstraint) : null;
        int[] out = s.clone();
        out[out.length - 1] = units;
        return out;
    }

    private MatMul op(int batch) {
        return MatMul.of(batch * rowsPerSample, in, units, activation);
    }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        lastX = inputs[0];
        float[] y = op(n).forward(inputs[0].data(), kernel.value(), bias == null ? null : bias.value());
        return new NdArray(Shapes.withBatch(n, outputShape()), y);
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        checkInput(dy, outputShape(), "output gradient");
        MatMul.Gradients g = op(x.shape()[0]).backward(x.data(), kernel.value(), bias == null ? null : bias.value(),
                dy.data());
        kernel.setGradient(g.dkernel());
        if (bias != null) {
            bias.setGradient(g.dbias());
        }
        return new NdArray[] {new NdArray(x.shape(), g.dx())};
    }

    @Override
    public List<OpCost> costs() {
        return List.of(new OpCost(OpCost.Kind.DENSE, new int[0], (long) rowsPerSample * in * units,
                (long) in * units));
    }
}
