package dev.depthwise.op;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.ShapeException;

/**
 * A convolution bound to its {@link ConvSpec}: depthwise, pointwise, grouped or full, 1-D to 3-D,
 * forward and backward. Holds no state between calls (only per-thread scratch), so one instance may
 * be used from many threads at once. Every method checks its arrays against the spec before it allocates or writes anything.
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
     * This convolution with {@code filter} and {@code bias} (may be null) bound for repeated forward
     * passes: checked, copied, and packed once where the fast path would pack them per call. Later
     * changes to the arrays are not seen. See {@link PreparedConv}.
     */
    public PreparedConv prepare(float[] filter, float[] bias) {
        String op = spec.opName();
        Checks.length(op, "filter", filter, spec.filterLength(), spec.filterShape());
        if (bias != null) {
            Checks.length(op, "bias", bias, spec.outChannels(), spec.biasShape());
        }
        return new PreparedConv(spec, forward.prepare(filter, bias));
    }

    /**
     * The gradients w.r.t. x, filter and bias for the output gradient {@code dy}. With an
     * activation, the pre-activation output is recomputed from x, filter and bias (hard-swish's
     * derivative cannot be read off its output).
     */
    public ConvGradients backward(float[] x, float[] filter, float[] bias, float[] dy) {
        checkInputs(x, filter, bias);
        Checks.length(spec.opName(), "dy", dy, spec.outputLength(), spec.outputShape());
        float[] dx = new float[spec.inputLength()];
        float[] dfilter = new float[spec.filterLength()];
        float[] dbias = bias == null ? null : new float[spec.outChannels()];
        backward(x, filter, bias, dy, dx, dfilter, dbias);
        return new ConvGradients(dx, dfilter, dbias);
    }

    /**
     * As {@link #backward(float[], float[], float[], float[])}, writing the gradients into the
     * caller's arrays, so a caller that keeps them (a training loop) allocates nothing per step.
     * Every element of {@code dx}, {@code dfilter} and {@code dbias} is overwritten, never
     * accumulated into. {@code dbias} must be non-null (of the bias's length) exactly when
     * {@code bias} is, and null otherwise. No output may be the same array as an input or as another
     * output (the kernels read their inputs while they write). Every array is checked before
     * anything is written; same results, bit for bit, as the allocating form.
     */
    public void backward(float[] x, float[] filter, float[] bias, float[] dy, float[] dx, float[] dfilter,
                         float[] dbias) {
        String op = spec.opName();
        checkInputs(x, filter, bias);
        Checks.length(op, "dy", dy, spec.outputLength(), spec.outputShape());
        Checks.length(op, "dx", dx, spec.inputLength(), spec.inputShape());
        Checks.length(op, "dfilter", dfilter, spec.filterLength(), spec.filterShape());
        if (bias != null) {
            Checks.length(op, "dbias", dbias, spec.outChannels(), spec.biasShape());
        } else if (dbias != null) {
            throw new ShapeException(op + ": dbias must be null when bias is null, got an array of "
                    + dbias.length + " elements");
        }
        notAnInput(op, "dx", dx, x, filter, bias, dy);
        notAnInput(op, "dfilter", dfilter, x, filter, bias, dy);
        notAnInput(op, "dbias", dbias, x, filter, bias, dy);
        if (dfilter == dx) {
            throw new ShapeException(op + ": dfilter must not be the same array as dx");
        }
        if (dbias != null && (dbias == dx || dbias == dfilter)) {
            throw new ShapeException(op + ": dbias must not be the same array as " + (dbias == dx ? "dx" : "dfilter"));
        }
        backward.backward(x, filter, bias, preActivationGradient(x, filter, bias, dy), dx, dfilter, dbias);
    }

    private static void notAnInput(String op, String name, float[] out, float[] x, float[] filter, float[] bias,
                                   float[] dy) {
        String same = out == null ? null
                : out == x ? "x" : out == filter ? "filter" : out == bias ? "bias" : out == dy ? "dy" : null;
        if (same != null) {
            throw new ShapeException(op + ": " + name + " must not be the same array as " + same);
        }
    }

    /**
     * Per op and thread, the output-sized z of the activation's gradient, kept so that a warm call
     * allocates nothing (per op, not shared, because the paths read the length of the arrays).
     */
    private final ThreadLocal<float[]> preActivation = new ThreadLocal<>();

    /**
     * {@code dy} carried back through the activation: {@code dy * act'(z)}, in this op's kept
     * scratch of the calling thread (the paths never call back into a Conv).
     */
    private float[] preActivationGradient(float[] x, float[] filter, float[] bias, float[] dy) {
        Activation act = spec.activation();
        if (act.kind() == Activation.Kind.NONE) {
            return dy;
        }
        float[] z = preActivation.get();
        if (z == null) {
            z = new float[spec.outputLength()];
            preActivation.set(z);
        }
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
