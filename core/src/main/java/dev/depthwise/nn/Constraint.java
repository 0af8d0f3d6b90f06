package dev.depthwise.nn;

import dev.depthwise.spec.ShapeException;
import java.util.Arrays;

/**
 * A projection applied to a parameter after each optimizer step (Keras's kernel and bias
 * constraints): {@link Model#applyConstraints()} runs them.
 */
public sealed interface Constraint {

    /** Projects {@code w}, a tensor of {@code shape}, in place. */
    void apply(float[] w, int[] shape);

    /** Keras {@code NonNeg}: negative values become 0. */
    record NonNeg() implements Constraint {
        @Override
        public void apply(float[] w, int[] shape) {
            for (int i = 0; i < w.length; i++) {
                if (w[i] < 0) {
                    w[i] = 0;
                }
            }
        }

        @Override
        public String toString() { return "non_neg"; }
    }

    /**
     * Keras {@code MaxNorm(max_value=2, axis=0)}: the L2 norm over {@code axes} (one norm for each
     * index of the other axes) is clipped to {@code maxValue}. For a conv kernel
     * {@code [kh, kw, in, out]} Keras recommends axes {@code 0, 1, 2}: one norm per filter.
     */
    record MaxNorm(double maxValue, int[] axes) implements Constraint {
        public MaxNorm {
            if (!(maxValue > 0) || !Double.isFinite(maxValue)) {
                throw new ShapeException("max_norm: max_value must be finite and > 0, got " + maxValue);
            }
            if (axes == null || axes.length == 0) {
                throw new ShapeException("max_norm: give at least one axis");
            }
            axes = axes.clone();
        }

        @Override
        public int[] axes() { return axes.clone(); }

        @Override
        public void apply(float[] w, int[] shape) {
            int rank = shape.length;
            boolean[] reduced = new boolean[rank];
            for (int a : axes) {
                int k = a < 0 ? a + rank : a;
                if (k < 0 || k >= rank) {
                    throw new ShapeException("max_norm: axis " + a + " is out of range for a " + rank
                            + "-axis parameter");
                }
                reduced[k] = true;
            }
            // Each element's group is its index with the reduced axes dropped.
            int[] groupOf = new int[w.length];
            int groups = 1;
            for (int a = 0; a < rank; a++) {
                if (!reduced[a]) {
                    groups *= shape[a];
                }
            }
            int[] idx = new int[rank];
            for (int i = 0; i < w.length; i++) {
                int g = 0;
                for (int a = 0; a < rank; a++) {
                    if (!reduced[a]) {
                        g = g * shape[a] + idx[a];
                    }
                }
                groupOf[i] = g;
                for (int a = rank - 1; a >= 0; a--) {
                    if (++idx[a] < shape[a]) {
                        break;
                    }
                    idx[a] = 0;
                }
            }
            double[] norms = new double[groups];
            for (int i = 0; i < w.length; i++) {
                norms[groupOf[i]] += (double) w[i] * w[i];
            }
            for (int i = 0; i < w.length; i++) {
                double n = Math.sqrt(norms[groupOf[i]]);
                double desired = Math.min(n, maxValue);
                w[i] = (float) (w[i] * desired / (1e-7 + n)); // Keras's epsilon keeps a zero norm finite
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MaxNorm m && m.maxValue == maxValue && Arrays.equals(m.axes, axes);
        }

        @Override
        public int hashCode() { return Double.hashCode(maxValue) * 31 + Arrays.hashCode(axes); }

        @Override
        public String toString() { return "max_norm(" + maxValue + ", axis=" + Arrays.toString(axes) + ")"; }
    }

    static Constraint nonNeg() { return new NonNeg(); }

    /** Keras's defaults: {@code max_value=2, axis=0}. */
    static Constraint maxNorm() { return new MaxNorm(2, new int[] {0}); }

    static Constraint maxNorm(double maxValue, int... axes) { return new MaxNorm(maxValue, axes); }
}
