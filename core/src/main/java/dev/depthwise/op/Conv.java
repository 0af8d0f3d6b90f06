package dev.depthwise.op;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.ShapeException;

/**
 * A convolution bound to its {@link ConvSpec}: depthwise, pointwise, grouped or full, 1-D to 3-D,
 * forward and backward. Holds no mutable state, so one instance may be used from many threads at
 * once. Every method checks its arrays against the spec before it allocates or writes anything.
 * The kernels are picked once, here, from the spec (fast Vector API kernels where one supports
 * the spec, the reference loops otherwise).
 */
public final class Conv {
    private final ConvSpec spec;
    private final int threads;
    private final ForwardPath forward;
    private final ForwardPath linearForward;
    private final BackwardPath backward;

    private Conv(ConvSpec spec, int threads) {
        this.spec = spec;
        this.threads = threads;
        this.forward = ConvPaths.forward(spec, threads);
        this.linearForward = spec.activation().kind() == Activation.Kind.NONE ? forward
                : ConvPaths.forward(spec.toBuilder().activation(Activation.NONE).build(), threads);
        this.backward = ConvPaths.backward(spec, threads);
    }

    /** The op for {@code spec}, using {@link Parallel#defaultThreads()} threads. */
    public static Conv of(ConvSpec spec) {
        return of(spec, Parallel.defaultThreads());
    }

    /** The op for {@code spec}, splitting its work over {@code threads} threads. */
    public static Conv of(ConvSpec spec, int threads) {
        if (spec == null) {
            throw new ShapeException("conv: spec must not be null");
        }
        Checks.positive("conv", "threads", threads);
        return new Conv(spec, threads);
    }

    public ConvSpec spec() {
        return spec;
    }

    /** The number of threads this op splits its work over. */
    public int threads() {
        return threads;
    }

    /** The names of the forward and backward paths, e.g. {@code dw-nhwc / reference}. */
    public String paths() {
        return forward.name() + " / " + backward.name();
    }

    /** {@code act(conv(x, filter) + bias)} as a new array in the output layout; {@code bias} may be null. */
    public float[] forward(float[] x, float[] filter, float[] bias) {
        checkInputs(x, filter, bias);
        float[] y = new float[spec.outputLength()];
        forward.forward(x, filter, bias, y);
        return y;
    }

    /** As {@link #forward(float[], float[], float[])}, writing into {@code y}. */
    public void forward(float[] x, float[] filter, float[] bias, float[] y) {
        checkInputs(x, filter, bias);
        Checks.length(spec.opName(), "y", y, spec.outputLength(), spec.outputShape());
        forward.forward(x, filter, bias, y);
    }

    /**
     * The gradients w.r.t. x, filter and bias for the output gradient {@code dy}. With an
     * activation, the pre-activation output is recomputed from x, filter and bias (hard-swish's
     * derivative cannot be read off its output).
     */
    public ConvGradients backward(float[] x, float[] filter, float[] bias, float[] dy) {
        checkInputs(x, filter, bias);
        Checks.length(spec.opName(), "dy", dy, spec.outputLength(), spec.outputShape());
        return backward.backward(x, filter, bias, preActivationGradient(x, filter, bias, dy));
    }

    /** {@code dy} carried back through the activation: {@code dy * act'(z)}. */
    private float[] preActivationGradient(float[] x, float[] filter, float[] bias, float[] dy) {
        Activation act = spec.activation();
        if (act.kind() == Activation.Kind.NONE) {
            return dy;
        }
        float[] z = new float[spec.outputLength()];
        linearForward.forward(x, filter, bias, z);
        ActivationRef.backward(act, z, dy, z);
        return z;
    }

    private void checkInputs(float[] x, float[] filter, float[] bias) {
        String op = spec.opName();
        Checks.length(op, "x", x, spec.inputLength(), spec.inputShape());
        Checks.length(op, "filter", filter, spec.filterLength(), spec.filterShape());
        if (bias != null) {
            Checks.length(op, "bias", bias, spec.outChannels(), spec.biasShape());
        }
    }
}
