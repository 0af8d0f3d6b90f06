package dev.depthwise.op;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ConvSpec;

/**
 * A {@link Conv} with its weights bound once ({@link Conv#prepare}), for inference with constant
 * weights: the filter and bias are copied at prepare time, and where a fast path would rearrange
 * them on every call (the pointwise GEMM packs its weight operand into register-tile panels) that
 * is done once, there, as ONNX Runtime does at session creation. Later changes to the caller's
 * arrays are not seen. Results are those of {@link Conv#forward} with the same weights, bit for bit
 * (sigmoid's vector exp, specified within 1 ulp, may round apart between JIT tiers, moving an output
 * by an ulp or two, as it does between two calls of {@link Conv#forward}).
 * Holds no mutable state: one instance may be used from many threads at once.
 */
public final class PreparedConv {
    private final ConvSpec spec;
    private final ForwardPath.Prepared path;

    PreparedConv(ConvSpec spec, ForwardPath.Prepared path) {
        this.spec = spec;
        this.path = path;
    }

    public ConvSpec spec() {
        return spec;
    }

    /** {@code act(conv(x, filter) + bias)} as a new array in the output layout. */
    public float[] forward(float[] x) {
        Checks.length(spec.opName(), "x", x, spec.inputLength(), spec.inputShape());
        float[] y = new float[spec.outputLength()];
        path.forward(x, y);
        return y;
    }

    /** As {@link #forward(float[])}, writing into {@code y}. */
    public void forward(float[] x, float[] y) {
        Checks.length(spec.opName(), "x", x, spec.inputLength(), spec.inputShape());
        Checks.length(spec.opName(), "y", y, spec.outputLength(), spec.outputShape());
        path.forward(x, y);
    }
}
