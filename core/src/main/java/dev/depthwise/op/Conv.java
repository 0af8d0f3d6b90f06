package dev.depthwise.op;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.kernel.ConvRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;

/**
 * A convolution bound to its {@link ConvSpec}: depthwise, pointwise, grouped or full, 1-D to 3-D,
 * forward and backward. Holds no mutable state, so one instance may be used from many threads at
 * once. Every method checks its arrays against the spec before it allocates or writes anything.
 */
public final class Conv {
    private final ConvSpec spec;
    private final ConvGeometry geometry;

    private Conv(ConvSpec spec) {
        this.spec = spec;
        this.geometry = spec.geometry();
    }

    /** The op for {@code spec}. */
    public static Conv of(ConvSpec spec) {
        if (spec == null) {
            throw new dev.depthwise.spec.ShapeException("conv: spec must not be null");
        }
        return new Conv(spec);
    }

    public ConvSpec spec() {
        return spec;
    }

    /** {@code act(conv(x, filter) + bias)} as a new array in the output layout; {@code bias} may be null. */
    public float[] forward(float[] x, float[] filter, float[] bias) {
        checkInputs(x, filter, bias);
        float[] y = new float[spec.outputLength()];
        ConvRef.forward(geometry, x, filter, bias, spec.activation(), y);
        return y;
    }

    /** As {@link #forward(float[], float[], float[])}, writing into {@code y}. */
    public void forward(float[] x, float[] filter, float[] bias, float[] y) {
        checkInputs(x, filter, bias);
        Checks.length(spec.opName(), "y", y, spec.outputLength(), spec.outputShape());
        ConvRef.forward(geometry, x, filter, bias, spec.activation(), y);
    }

    /**
     * The gradients w.r.t. x, filter and bias for the output gradient {@code dy}. With an
     * activation, the pre-activation output is recomputed from x, filter and bias (hard-swish's
     * derivative cannot be read off its output).
     */
    public ConvGradients backward(float[] x, float[] filter, float[] bias, float[] dy) {
        checkInputs(x, filter, bias);
        Checks.length(spec.opName(), "dy", dy, spec.outputLength(), spec.outputShape());
        float[] dz = preActivationGradient(x, filter, bias, dy);
        double[] dxAcc = new double[spec.inputLength()];
        ConvRef.backwardData(geometry, dz, filter, dxAcc);
        float[] dx = new float[dxAcc.length];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = (float) dxAcc[i];
        }
        float[] df = new float[spec.filterLength()];
        ConvRef.backwardFilter(geometry, x, dz, df);
        float[] db = null;
        if (bias != null) {
            db = new float[spec.outChannels()];
            ConvRef.backwardBias(geometry, dz, db);
        }
        return new ConvGradients(dx, df, db);
    }

    /** {@code dy} carried back through the activation: {@code dy * act'(z)}. */
    private float[] preActivationGradient(float[] x, float[] filter, float[] bias, float[] dy) {
        Activation act = spec.activation();
        if (act.kind() == Activation.Kind.NONE) {
            return dy;
        }
        float[] z = new float[spec.outputLength()];
        ConvRef.forward(geometry, x, filter, bias, Activation.NONE, z);
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
