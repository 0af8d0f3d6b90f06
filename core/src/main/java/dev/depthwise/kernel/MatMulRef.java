package dev.depthwise.kernel;

import dev.depthwise.spec.Activation;

/**
 * Reference dense layer math, {@code y[r, u] = act(sum_k x[r, k] * w[k, u] + bias[u])} for row-major
 * {@code x[rows, in]} and {@code w[in, units]} (Keras's kernel layout), with double accumulators.
 */
public final class MatMulRef {
    private MatMulRef() {
    }

    /** {@code y = act(x w + bias)}; {@code bias} may be null. */
    public static void forward(float[] x, float[] w, float[] bias, Activation act, float[] y, int rows, int in,
                               int units) {
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                double z = bias == null ? 0 : bias[u];
                for (int k = 0; k < in; k++) {
                    z += (double) x[r * in + k] * w[k * units + u];
                }
                y[r * units + u] = (float) ActivationRef.apply(act, z);
            }
        }
    }

    /** {@code dx = dz w^T}. */
    public static void backwardData(float[] dz, float[] w, float[] dx, int rows, int in, int units) {
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < in; k++) {
                double s = 0;
                for (int u = 0; u < units; u++) {
                    s += (double) dz[r * units + u] * w[k * units + u];
                }
                dx[r * in + k] = (float) s;
            }
        }
    }

    /** {@code dw = x^T dz}, {@code dbias = sum over rows of dz} (when {@code dbias} is not null). */
    public static void backwardWeights(float[] x, float[] dz, float[] dw, float[] dbias, int rows, int in,
                                       int units) {
        for (int k = 0; k < in; k++) {
            for (int u = 0; u < units; u++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += (double) x[r * in + k] * dz[r * units + u];
                }
                dw[k * units + u] = (float) s;
            }
        }
        if (dbias != null) {
            for (int u = 0; u < units; u++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += dz[r * units + u];
                }
                dbias[u] = (float) s;
            }
        }
    }
}
