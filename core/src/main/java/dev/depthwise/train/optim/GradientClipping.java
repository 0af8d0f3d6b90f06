package dev.depthwise.train.optim;

import dev.depthwise.nn.Parameter;
import dev.depthwise.spec.ShapeException;
import java.util.List;

/**
 * Gradient clipping before an optimizer step, as PyTorch's {@code clip_grad_norm_} and
 * {@code clip_grad_value_} do it: by the global L2 norm over all the given parameters (the gradient's
 * direction is kept, its length capped), or element by element.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * Scales every gradient by {@code maxNorm / (norm + 1e-6)} when the global norm
     * {@code sqrt(sum of all squared gradient elements)} exceeds {@code maxNorm} (PyTorch's formula; the
     * 1e-6 keeps a zero norm harmless). A non-finite norm leaves the gradients alone: scaling would only
     * turn them all into NaN, and the caller sees the norm and the loss.
     *
     * @return the global norm before clipping
     * @throws ShapeException if {@code maxNorm} is not finite and > 0
     */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new ShapeException("gradient clipping: max norm must be finite and > 0, got " + maxNorm);
        }
        double norm = globalNorm(parameters);
        if (norm > maxNorm && Double.isFinite(norm)) {
            double scale = maxNorm / (norm + 1e-6);
            for (Parameter p : parameters) {
                float[] g = p.gradient();
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (g[i] * scale);
                }
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient element to {@code [-maxValue, maxValue]} (NaN stays NaN).
     *
     * @throws ShapeException if {@code maxValue} is not finite and > 0
     */
    public static void clipValue(List<Parameter> parameters, double maxValue) {
        if (!(maxValue > 0) || Double.isInfinite(maxValue)) {
            throw new ShapeException("gradient clipping: max value must be finite and > 0, got " + maxValue);
        }
        float hi = (float) maxValue;
        for (Parameter p : parameters) {
            float[] g = p.gradient();
            for (int i = 0; i < g.length; i++) {
                if (g[i] > hi) {
                    g[i] = hi;
                } else if (g[i] < -hi) {
                    g[i] = -hi;
                }
            }
        }
    }

    /** {@code sqrt(sum of all squared gradient elements)}, summed in double. */
    public static double globalNorm(List<Parameter> parameters) {
        double s = 0;
        for (Parameter p : parameters) {
            for (float v : p.gradient()) {
                s += (double) v * v;
            }
        }
        return Math.sqrt(s);
    }
}
