package dev.depthwise.op;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.kernel.MatMulRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/**
 * A dense (fully connected) layer's math, {@code y = act(x w + bias)} for {@code x[rows, in]},
 * {@code w[in, units]} (Keras's kernel layout) and {@code bias[units]}. Thread-safe.
 */
public final class MatMul {
    private static final String OP = "dense";
    private final int rows, in, units;
    private final Activation activation;

    private MatMul(int rows, int in, int units, Activation activation) {
        this.rows = rows;
        this.in = in;
        this.units = units;
        this.activation = activation;
    }

    /** The op for {@code rows} inputs of {@code in} features each, to {@code units} outputs. */
    public static MatMul of(int rows, int in, int units, Activation activation) {
        Checks.positive(OP, "rows", rows);
        Checks.positive(OP, "input features", in);
        Checks.positive(OP, "units", units);
        if (activation == null) {
            throw new ShapeException(OP + ": activation must not be null");
        }
        Checks.elementCount(OP, "input", rows, in);
        Checks.elementCount(OP, "kernel", in, units);
        Checks.elementCount(OP, "output", rows, units);
        return new MatMul(rows, in, units, activation);
    }

    /** The gradients w.r.t. x, the kernel and the bias (null without bias). */
    public record Gradients(float[] dx, float[] dkernel, float[] dbias) {
    }

    /** Multiply-adds of one forward pass: {@code rows * in * units}. */
    public long multAdds() { return (long) rows * in * units; }

    /** {@code act(x kernel + bias)}; {@code bias} may be null. */
    public float[] forward(float[] x, float[] kernel, float[] bias) {
        check(x, kernel, bias);
        float[] y = new float[rows * units];
        MatMulRef.forward(x, kernel, bias, activation, y, rows, in, units);
        return y;
    }

    /** The gradients for {@code dy}; with an activation the pre-activation output is recomputed. */
    public Gradients backward(float[] x, float[] kernel, float[] bias, float[] dy) {
        check(x, kernel, bias);
        Checks.length(OP, "dy", dy, rows * units, new int[] {rows, units});
        float[] dz = dy;
        if (activation.kind() != Activation.Kind.NONE) {
            float[] z = new float[rows * units];
            MatMulRef.forward(x, kernel, bias, Activation.NONE, z, rows, in, units);
            ActivationRef.backward(activation, z, dy, z);
            dz = z;
        }
        float[] dx = new float[rows * in];
        MatMulRef.backwardData(dz, kernel, dx, rows, in, units);
        float[] dk = new float[in * units];
        float[] db = bias == null ? null : new float[units];
        MatMulRef.backwardWeights(x, dz, dk, db, rows, in, units);
        return new Gradients(dx, dk, db);
    }

    private void check(float[] x, float[] kernel, float[] bias) {
        Checks.length(OP, "x", x, rows * in, new int[] {rows, in});
        Checks.length(OP, "kernel", kernel, in * units, new int[] {in, units});
        if (bias != null) {
            Checks.length(OP, "bias", bias, units, new int[] {units});
        }
    }
}
