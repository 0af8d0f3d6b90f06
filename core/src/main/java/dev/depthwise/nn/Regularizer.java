package dev.depthwise.nn;

import dev.depthwise.spec.ShapeException;

/**
 * A weight penalty added to the loss, Keras's {@code L1}, {@code L2} and {@code L1L2}:
 * {@code l1 * sum(|w|) + l2 * sum(w^2)}. Its gradient, {@code l1 * sign(w) + 2 * l2 * w}, is added to
 * the parameter's gradient by {@link Model#backward}.
 */
public record Regularizer(double l1, double l2) {

    public Regularizer {
        if (!(l1 >= 0) || !(l2 >= 0) || !Double.isFinite(l1) || !Double.isFinite(l2)) {
            throw new ShapeException("regularizer: l1 and l2 must be finite and >= 0, got l1=" + l1 + " l2=" + l2);
        }
    }

    /** Keras {@code L1(l1)}; Keras's default factor is 0.01. */
    public static Regularizer l1(double l1) { return new Regularizer(l1, 0); }

    /** Keras {@code L2(l2)}; Keras's default factor is 0.01. */
    public static Regularizer l2(double l2) { return new Regularizer(0, l2); }

    /** Keras {@code L1L2(l1, l2)}. */
    public static Regularizer l1l2(double l1, double l2) { return new Regularizer(l1, l2); }

    /** The penalty of {@code w}. */
    public double penalty(float[] w) {
        double a = 0;
        double s = 0;
        for (float v : w) {
            a += Math.abs(v);
            s += (double) v * v;
        }
        return l1 * a + l2 * s;
    }

    /** Adds the penalty's gradient at {@code w} to {@code grad}. */
    public void addGradient(float[] w, float[] grad) {
        for (int i = 0; i < w.length; i++) {
            grad[i] += (float) (l1 * Math.signum(w[i]) + 2 * l2 * w[i]);
        }
    }

    @Override
    public String toString() {
        return l2 == 0 ? "l1(" + l1 + ")" : l1 == 0 ? "l2(" + l2 + ")" : "l1_l2(" + l1 + ", " + l2 + ")";
    }
}
