package dev.depthwise.kernel;

import dev.depthwise.spec.PoolGeometry;

/**
 * Reference max and average pooling, forward and backward, over the 3-D lifted geometry. Padded
 * cells are skipped: they never win a max and are not counted in an average (Keras's rule), so each
 * output reads only real input elements. Max ties go to the first element in scan order, forward and
 * backward alike.
 */
public final class PoolRef {
    private PoolRef() {
    }

    /** {@code y} = max or mean over each window. */
    public static void forward(PoolGeometry g, boolean max, float[] x, float[] y) {
        for (int n = 0; n < g.n; n++) {
            for (int c = 0; c < g.c; c++) {
                int xBase = n * g.xN + c * g.xC;
                for (int od = 0; od < g.outD; od++) {
                    for (int oh = 0; oh < g.outH; oh++) {
                        for (int ow = 0; ow < g.outW; ow++) {
                            int yi = n * g.yN + c * g.yC + od * g.yD + oh * g.yH + ow * g.yW;
                            y[yi] = max ? x[argMax(g, x, xBase, od, oh, ow)]
                                    : (float) mean(g, x, xBase, od, oh, ow);
                        }
                    }
                }
            }
        }
    }

    /** {@code dx} (zeroed by the caller) receives each {@code dy} at the max, or spread over the window. */
    public static void backward(PoolGeometry g, boolean max, float[] x, float[] dy, double[] dx) {
        for (int n = 0; n < g.n; n++) {
            for (int c = 0; c < g.c; c++) {
                int xBase = n * g.xN + c * g.xC;
                for (int od = 0; od < g.outD; od++) {
                    for (int oh = 0; oh < g.outH; oh++) {
                        for (int ow = 0; ow < g.outW; ow++) {
                            double d = dy[n * g.yN + c * g.yC + od * g.yD + oh * g.yH + ow * g.yW];
                            if (max) {
                                dx[argMax(g, x, xBase, od, oh, ow)] += d;
                            } else {
                                spread(g, dx, xBase, od, oh, ow, d);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int argMax(PoolGeometry g, float[] x, int base, int od, int oh, int ow) {
        int best = -1;
        for (int i = 0; i < g.kD; i++) {
            int d = od * g.sD - g.padD + i;
            if (d < 0 || d >= g.inD) {
                continue;
            }
            for (int j = 0; j < g.kH; j++) {
                int h = oh * g.sH - g.padH + j;
                if (h < 0 || h >= g.inH) {
                    continue;
                }
                for (int l = 0; l < g.kW; l++) {
                    int w = ow * g.sW - g.padW + l;
                    if (w < 0 || w >= g.inW) {
                        continue;
                    }
                    int xi = base + d * g.xD + h * g.xH + w * g.xW;
                    // "!(x <= best)" lets a NaN win, so NaN propagates as in the frameworks
                    if (best < 0 || !(x[xi] <= x[best])) {
                        best = xi;
                    }
                }
            }
        }
        return best; // the spec guarantees every window holds at least one real element
    }

    private static double mean(PoolGeometry g, float[] x, int base, int od, int oh, int ow) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < g.kD; i++) {
            int d = od * g.sD - g.padD + i;
            if (d < 0 || d >= g.inD) {
                continue;
            }
            for (int j = 0; j < g.kH; j++) {
                int h = oh * g.sH - g.padH + j;
                if (h < 0 || h >= g.inH) {
                    continue;
                }
                for (int l = 0; l < g.kW; l++) {
                    int w = ow * g.sW - g.padW + l;
                    if (w >= 0 && w < g.inW) {
                        sum += x[base + d * g.xD + h * g.xH + w * g.xW];
                        count++;
                    }
                }
            }
        }
        return sum / count;
    }

    private static void spread(PoolGeometry g, double[] dx, int base, int od, int oh, int ow, double d) {
        int count = 0;
        for (int pass = 0; pass < 2; pass++) {
            // pass 0 counts the real cells, pass 1 gives each its share
            for (int i = 0; i < g.kD; i++) {
                int dd = od * g.sD - g.padD + i;
                if (dd < 0 || dd >= g.inD) {
                    continue;
                }
                for (int j = 0; j < g.kH; j++) {
                    int h = oh * g.sH - g.padH + j;
                    if (h < 0 || h >= g.inH) {
                        continue;
                    }
                    for (int l = 0; l < g.kW; l++) {
                        int w = ow * g.sW - g.padW + l;
                        if (w < 0 || w >= g.inW) {
                            continue;
                        }
                        if (pass == 0) {
                            count++;
                        } else {
                            dx[base + dd * g.xD + h * g.xH + w * g.xW] += d / count;
                        }
                    }
                }
            }
        }
    }
}
