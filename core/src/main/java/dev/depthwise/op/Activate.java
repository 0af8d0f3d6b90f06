package dev.depthwise.op;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/** An element-wise activation as an op of its own (the convolutions fuse theirs). Thread-safe. */
public final class Activate {
    private final Activation activation;

    private Activate(Activation activation) {
        this.activation = activation;
    }

    /** The op applying {@code activation}. */
    public static Activate of(Activation activation) {
        if (activation == null) {
            throw new ShapeException("activation: must not be null");
        }
        return new Activate(activation);
    }

    public Activation activation() { return activation; }

    /** {@code act(x)} as a new array. */
    public float[] forward(float[] x) {
        if (x == null) {
            throw new ShapeException("activation " + activation + ": x must not be null");
        }
        float[] y = x.clone();
        ActivationRef.applyInPlace(activation, y);
        return y;
    }

    /** {@code dy * act'(x)} (from the input: hard-swish's derivative cannot be read off its output). */
    public float[] backward(float[] x, float[] dy) {
        if (x == null) {
            throw new ShapeException("activation " + activation + ": x must not be null");
        }
        Checks.length("activation " + activation, "dy", dy, x.length, new int[] {x.length});
        float[] dx = new float[x.length];
        ActivationRef.backward(activation, x, dy, dx);
        return dx;
    }
}
