package dev.depthwise.kernel;

/**
 * Reference batch normalization over an {@code n x c x spatial} view (channel stride {@code cs},
 * position stride {@code ps}, as in {@link ChannelRef}): batch statistics, normalization and the
 * training-mode gradient. Statistics are taken over batch and space, in double, two-pass.
 */
public final class BatchNormRef {
    private BatchNormRef() {
    }

    private static int at(int b, int ch, int p, int c, int spatial, int cs, int ps) {
        return b * c * spatial + ch * cs + p * ps;
    }

    /** Per-channel mean and biased variance ({@code / count}, not {@code count - 1}). */
    public static void moments(float[] x, double[] mean, double[] variance, int n, int c, int spatial, int cs,
                               int ps) {
        double count = (double) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < spatial; p++) {
                    s += x[at(b, ch, p, c, spatial, cs, ps)];
                }
            }
            double m = s / count;
            double v = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < spatial; p++) {
                    double d = x[at(b, ch, p, c, spatial, cs, ps)] - m;
                    v += d * d;
                }
            }
            mean[ch] = m;
            variance[ch] = v / count;
        }
    }

    /** {@code y = gamma * (x - mean) * invStd + beta}; gamma or beta may be null (1 and 0). */
    public static void normalize(float[] x, double[] mean, double[] invStd, float[] gamma, float[] beta,
                                 float[] y, int n, int c, int spatial, int cs, int ps) {
        for (int ch = 0; ch < c; ch++) {
            double g = gamma == null ? 1 : gamma[ch];
            double t = beta == null ? 0 : beta[ch];
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < spatial; p++) {
                    int i = at(b, ch, p, c, spatial, cs, ps);
                    y[i] = (float) (g * (x[i] - mean[ch]) * invStd[ch] + t);
                }
            }
        }
    }

    /**
     * The gradient of training-mode batch norm, where mean and variance depend on x:
     * {@code dx = gamma * invStd / m * (m * dy - sum(dy) - xhat * sum(dy * xhat))} with
     * {@code m = n * spatial}; {@code dgamma = sum(dy * xhat)}, {@code dbeta = sum(dy)}. The
     * parameter gradients are written even when gamma is null (the caller drops them).
     */
    public static void backward(float[] x, double[] mean, double[] invStd, float[] gamma, float[] dy, float[] dx,
                                float[] dgamma, float[] dbeta, int n, int c, int spatial, int cs, int ps) {
        double m = (double) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < spatial; p++) {
                    int i = at(b, ch, p, c, spatial, cs, ps);
                    double xhat = (x[i] - mean[ch]) * invStd[ch];
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * xhat;
                }
            }
            double k = (gamma == null ? 1 : gamma[ch]) * invStd[ch] / m;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < spatial; p++) {
                    int i = at(b, ch, p, c, spatial, cs, ps);
                    double xhat = (x[i] - mean[ch]) * invStd[ch];
                    dx[i] = (float) (k * (m * dy[i] - sumDy - xhat * sumDyXhat));
                }
            }
            dgamma[ch] = (float) sumDyXhat;
            dbeta[ch] = (float) sumDy;
        }
    }
}
