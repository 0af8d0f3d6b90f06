package dev.depthwise.nn;

import dev.depthwise.io.NdArray;
import dev.depthwise.spec.ChannelSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.ShapeException;

/**
 * Keras's {@code BatchNormalization}: {@code axis} (-1), {@code momentum} (0.99), {@code epsilon}
 * (1e-3), {@code center} and {@code scale} (true), initializers of beta (zeros), gamma (ones) and the
 * moving mean (zeros) and variance (ones), regularizers and constraints of beta and gamma.
 * Parameters {@code gamma}, {@code beta} (trainable) and {@code moving_mean},
 * {@code moving_variance} (non-trainable, Keras's count).
 *
 * <p>In training mode it normalizes with the batch's statistics and moves the moving ones towards
 * them ({@code moving = moving * momentum + batch * (1 - momentum)}, the biased batch variance as
 * Keras 3 keeps); in inference mode it uses the moving statistics. {@link #fold} merges the
 * inference form into the convolution or dense layer before it.
 */
public final class BatchNorm extends Layer {
    private int axis = -1;
    private float momentum = 0.99f;
    private float epsilon = 1e-3f;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializer.zeros();
    private Initializer gammaInitializer = Initializer.ones();
    private Initializer movingMeanInitializer = Initializer.zeros();
    private Initializer movingVarianceInitializer = Initializer.ones();
    private Regularizer betaRegularizer;
    private Regularizer gammaRegularizer;
    private Constraint betaConstraint;
    private Constraint gammaConstraint;
    private Parameter gamma;
    private Parameter beta;
    private Parameter movingMean;
    private Parameter movingVariance;
    private Layout layout;
    private dev.depthwise.op.BatchNorm op;
    private NdArray lastX;
    private boolean lastTraining;

    public BatchNorm() {
    }

    @Override
    public String type() {
        return "BatchNormalization";
    }

    /** Keras {@code axis}, counting the batch axis: -1 (channels last) or 1 (channels first). */
    public BatchNorm axis(int a) {
        requireUnbuilt();
        this.axis = a;
        return this;
    }

    /** Keras {@code momentum}: how much of the moving statistics each training batch keeps (default 0.99). */
    public BatchNorm momentum(float m) {
        requireUnbuilt();
        if (!(m >= 0 && m <= 1)) {
            throw new ShapeException(who() + ": momentum must be in [0, 1], got " + m);
        }
        this.momentum = m;
        return this;
    }

    /** Keras {@code epsilon}, added to the variance (default 1e-3). */
    public BatchNorm epsilon(float e) {
        requireUnbuilt();
        if (!(e > 0) || Float.isInfinite(e)) {
            throw new ShapeException(who() + ": epsilon must be finite and > 0, got " + e);
        }
        this.epsilon = e;
        return this;
    }

    /** Whether to add the learned offset beta (Keras {@code center}). */
    public BatchNorm center(boolean c) {
        requireUnbuilt();
        this.center = c;
        return this;
    }

    /** Whether to multiply by the learned scale gamma (Keras {@code scale}). */
    public BatchNorm scale(boolean s) {
        requireUnbuilt();
        this.scale = s;
        return this;
    }

    public BatchNorm betaInitializer(Initializer i) {
        requireUnbuilt();
        this.betaInitializer = i;
        return this;
    }

    public BatchNorm gammaInitializer(Initializer i) {
        requireUnbuilt();
        this.gammaInitializer = i;
        return this;
    }

    public BatchNorm movingMeanInitializer(Initializer i) {
        requireUnbuilt();
        this.movingMeanInitializer = i;
        return this;
    }

    public BatchNorm movingVarianceInitializer(Initializer i) {
        requireUnbuilt();
        this.movingVarianceInitializer = i;
        return this;
    }

    public BatchNorm betaRegularizer(Regularizer r) {
        requireUnbuilt();
        this.betaRegularizer = r;
        return this;
    }

    public BatchNorm gammaRegularizer(Regularizer r) {
        requireUnbuilt();
        this.gammaRegularizer = r;
        return this;
    }

    public BatchNorm betaConstraint(Constraint c) {
        requireUnbuilt();
        this.betaConstraint = c;
        return this;
    }

    public BatchNorm gammaConstraint(Constraint c) {
        requireUnbuilt();
        this.gammaConstraint = c;
        return this;
    }

    public float epsilon() { return epsilon; }

    public float momentum() { return momentum; }

    /** gamma, or null with {@code scale(false)}. */
    public Parameter gamma() { return gamma; }

    /** beta, or null with {@code center(false)}. */
    public Parameter beta() { return beta; }

    public Parameter movingMean() { return movingMean; }

    public Parameter movingVariance() { return movingVariance; }

    @Override
    protected int[] build(int[][] shapes) {
        if (shapes.length != 1) {
            throw new ShapeException(who() + ": takes 1 input, got " + shapes.length);
        }
        int[] in = shapes[0];
        int fullRank = in.length + 1;
        int a = axis < 0 ? axis + fullRank : axis;
        if (a == fullRank - 1) {
            layout = Layout.CHANNELS_LAST;
        } else if (a == 1) {
            layout = Layout.CHANNELS_FIRST;
        } else {
            throw new ShapeException(who() + ": axis must be 1 or -1 (channels first or last) for an input of "
                    + fullRank + " axes, got " + axis);
        }
        int c = Shapes.channels(in, layout);
        int[] cs = {c};
        gamma = scale ? addParameter("gamma", cs, true, gammaInitializer, gammaRegularizer, gammaConstraint) : null;
        beta = center ? addParameter("beta", cs, true, betaInitializer, betaRegularizer, betaConstraint) : null;
        movingMean = addParameter("moving_mean", cs, false, movingMeanInitializer, null, null);
        movingVariance = addParameter("moving_variance", cs, false, movingVarianceInitializer, null, null);
        return in.clone();
    }

    private dev.depthwise.op.BatchNorm op(int batch) {
        if (op == null || op.spec().batch() != batch) {
            op = dev.depthwise.op.BatchNorm.of(ChannelSpec.of("batch norm", layout,
                    Shapes.withBatch(batch, inputShapes()[0])), epsilon);
        }
        return op;
    }

    private float[] gammaValue() { return gamma == null ? null : gamma.value(); }

    private float[] betaValue() { return beta == null ? null : beta.value(); }

    @Override
    public NdArray forward(NdArray... inputs) {
        checkArity(inputs, 1);
        int n = checkInput(inputs[0], inputShapes()[0], "input");
        dev.depthwise.op.BatchNorm bn = op(n);
        lastX = inputs[0];
        lastTraining = training();
        if (!training()) {
            return new NdArray(inputs[0].shape(), bn.forwardInference(inputs[0].data(), gammaValue(), betaValue(),
                    movingMean.value(), movingVariance.value()));
        }
        dev.depthwise.op.BatchNorm.Training t = bn.forwardTraining(inputs[0].data(), gammaValue(), betaValue());
        float[] mm = movingMean.value();
        float[] mv = movingVariance.value();
        for (int ch = 0; ch < mm.length; ch++) {
            mm[ch] = (float) (mm[ch] * (double) momentum + t.mean()[ch] * (1.0 - momentum));
            mv[ch] = (float) (mv[ch] * (double) momentum + t.variance()[ch] * (1.0 - momentum));
        }
        return new NdArray(inputs[0].shape(), t.y());
    }

    @Override
    public NdArray[] backward(NdArray dy) {
        NdArray x = remembered(lastX);
        checkInput(dy, outputShape(), "output gradient");
        dev.depthwise.op.BatchNorm bn = op(x.shape()[0]);
        dev.depthwise.op.BatchNorm.Gradients g = lastTraining
                ? bn.backwardTraining(x.data(), gammaValue(), betaValue(), dy.data())
                : bn.backwardInference(x.data(), gammaValue(), betaValue(), movingMean.value(),
                        movingVariance.value(), dy.data());
        if (gamma != null) {
            gamma.setGradient(g.dgamma());
        }
        if (beta != null) {
            beta.setGradient(g.dbeta());
        }
        return new NdArray[] {new NdArray(x.shape(), g.dx())};
    }

    /**
     * This batch norm's inference form folded into {@code kernel} and {@code bias} (may be null) of
     * the convolution or dense layer before it, whose output channel is the kernel's fastest axis
     * (every Keras kernel). Running the layer with the result and no batch norm gives the same output.
     */
    public dev.depthwise.op.BatchNorm.Folded fold(float[] kernel, float[] bias) {
        return dev.depthwise.op.BatchNorm.fold(kernel, bias, movingMean.size(), gammaValue(), betaValue(),
                movingMean.value(), movingVariance.value(), epsilon);
    }
}
