package dev.depthwise.kernel;

/**
 * Reference softmax along one axis of a tensor viewed as {@code outer x axis x inner}: element
 * {@code (o, a, i)} sits at {@code (o * axis + a) * inner + i}. The maximum is subtracted first, so
 * large logits do not overflow.
 */
public final class SoftmaxRef {
    private SoftmaxRef() {
    }

    /** {@code y = exp(x - max) / sum(exp(x - max))} along the axis. */
    public static void forward(float[] x, float[] y, int outer, int axis, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * axis * inner + i;
                double max = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < axis; a++) {
                    max = Math.max(max, x[base + a * inner]);
                }
                double sum = 0;
                for (int a = 0; a < axis; a++) {
                    sum += Math.exp(x[base + a * inner] - max);
                }
                for (int a = 0; a < axis; a++) {
                    y[base + a * inner] = (float) (Math.exp(x[base + a * inner] - max) / sum);
                }
            }
        }
    }

    /** {@code dx = y * (dy - sum(dy * y))} along the axis, from the forward output {@code y}. */
    public static void backward(float[] y, float[] dy, float[] dx, int outer, int axis, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * axis * inner + i;
                double dot = 0;
                for (int a = 0; a < axis; a++) {
                    dot += (double) dy[base + a * inner] * y[base + a * inner];
                }
                for (int a = 0; a < axis; a++) {
                    int k = base + a * inner;
                    dx[k] = (float) (y[k] * (dy[k] - dot));
                }
            }
        }
    }
}
