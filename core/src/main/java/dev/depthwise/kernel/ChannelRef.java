package dev.depthwise.kernel;

/**
 * Per-channel element-wise reference kernels. A tensor is seen as {@code n x c x spatial} with the
 * channel at element stride {@code cs} and the spatial position at stride {@code ps}
 * (channels-last: {@code cs = 1, ps = c}; channels-first: {@code cs = spatial, ps = 1}).
 */
public final class ChannelRef {
    private ChannelRef() {
    }

    /** Index of (batch b, channel ch, spatial position p). */
    private static int at(int b, int ch, int p, int c, int spatial, int cs, int ps) {
        return b * c * spatial + ch * cs + p * ps;
    }

    /** {@code v = u * scale[ch] + shift[ch]}. */
    public static void affine(float[] u, float[] scale, float[] shift, float[] v, int n, int c, int spatial,
                              int cs, int ps) {
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < spatial; p++) {
                    int i = at(b, ch, p, c, spatial, cs, ps);
                    v[i] = (float) ((double) u[i] * scale[ch] + shift[ch]);
                }
            }
        }
    }

    /**
     * Backward of {@link #affine}: {@code du = dv * scale}, {@code dscale = sum(dv * u)},
     * {@code dshift = sum(dv)} over batch and space.
     */
    public static void affineBackward(float[] u, float[] scale, float[] dv, float[] du, float[] dscale,
                                      float[] dshift, int n, int c, int spatial, int cs, int ps) {
        for (int ch = 0; ch < c; ch++) {
            double ds = 0;
            double dt = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < spatial; p++) {
                    int i = at(b, ch, p, c, spatial, cs, ps);
                    ds += (double) dv[i] * u[i];
                    dt += dv[i];
                    du[i] = (float) ((double) dv[i] * scale[ch]);
                }
            }
            dscale[ch] = (float) ds;
            dshift[ch] = (float) dt;
        }
    }

    /**
     * Channel permutation: output channel {@code j} is input channel {@code source[j]}. Its gradient
     * is {@link #unpermute} with the same map.
     */
    public static void permute(float[] x, int[] source, float[] y, int n, int c, int spatial, int cs, int ps) {
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < spatial; p++) {
                    y[at(b, ch, p, c, spatial, cs, ps)] = x[at(b, source[ch], p, c, spatial, cs, ps)];
                }
            }
        }
    }

    /** The inverse of {@link #permute}: input channel {@code source[j]} receives output channel {@code j}. */
    public static void unpermute(float[] dy, int[] source, float[] dx, int n, int c, int spatial, int cs, int ps) {
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < spatial; p++) {
                    dx[at(b, source[ch], p, c, spatial, cs, ps)] = dy[at(b, ch, p, c, spatial, cs, ps)];
                }
            }
        }
    }
}
