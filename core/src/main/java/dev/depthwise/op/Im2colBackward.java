package dev.depthwise.op;

import dev.depthwise.kernel.Col2imNhwc;
import dev.depthwise.kernel.GemmScratch;
import dev.depthwise.kernel.Im2colFilterOrder;
import dev.depthwise.kernel.Im2colNhwc;
import dev.depthwise.kernel.PwBiasGradient;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;

/**
 * The gradients of {@link Im2colForward}'s convolution, block of output pixels by block, per group,
 * from the same column matrix:
 * <ul>
 * <li>{@code dW_g[taps*C/g x O/g] += cols^T . dZ_g}, summed over the blocks;</li>
 * <li>{@code dcols = dZ_g . W_g^T}, added back onto dx by {@link Col2imNhwc};</li>
 * <li>{@code dbias}: per channel sums of dZ ({@link PwBiasGradient}).</li>
 * </ul>
 * Threads take whole images, so the overlapping receptive fields that col2im adds up never meet
 * across threads; each thread sums its own dW and dbias, and the shares are added in thread order
 * at the end (the same result for the same thread count, run after run).
 */
final class Im2colBackward implements BackwardPath {
    private final ConvGeometry g;
    private final int threads, k, kg, cg, groups, taps, width, outPixels, rows, inputLength, filterLength;
    private final boolean outIn;

    Im2colBackward(ConvSpec spec, int threads) {
        this.g = spec.geometry();
        this.threads = threads;
        this.k = g.k;
        this.groups = g.groups;
        this.cg = g.cPerGroup;
        this.kg = g.kPerGroup;
        this.taps = g.kD * g.kH * g.kW;
        this.width = taps * cg;
        this.outPixels = g.outD * g.outH * g.outW;
        this.rows = Im2colForward.blockRows(width);
        this.inputLength = spec.inputLength();
        this.filterLength = spec.filterLength();
        this.outIn = spec.filterLayout() == FilterLayout.OUT_IN_SPATIAL;
    }

    /** The same specs as the forward path. */
    static boolean supports(ConvSpec spec) {
        return Im2colForward.supports(spec);
    }

    @Override
    public String name() {
        return "im2col-gemm-nhwc";
    }

    @Override
    public ConvGradients backward(float[] x, float[] w, float[] bias, float[] dz) {
        float[] wm = w;
        if (outIn) {
            wm = new float[filterLength];
            Im2colFilterOrder.toTapsInOut(w, k, cg, taps, wm);
        }
        float[] filter = wm;
        float[] dx = new float[inputLength];
        int parts = Math.max(1, Math.min(threads, g.n));
        float[][] dws = new float[parts][];
        double[][] dbs = new double[parts][];
        boolean withBias = bias != null;
        boolean vector = Simd.enabled();
        Parallel.forRange(parts, parts, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                GemmScratch s = GemmScratch.local();
                float[] buf = s.extra(2 * rows * width);
                int dcols = rows * width;
                float[] dw = new float[filterLength];
                dws[t] = dw;
                int qa = (int) ((long) g.n * t / parts) * outPixels;
                int qb = (int) ((long) g.n * (t + 1) / parts) * outPixels;
                for (int q0 = qa; q0 < qb; q0 += rows) {
                    int q1 = Math.min(qb, q0 + rows);
                    int m = q1 - q0;
                    for (int gi = 0; gi < groups; gi++) {
                        int zOff = q0 * k + gi * kg;
                        Im2colNhwc.copy(g, x, 0, gi * cg, cg, q0, q1, buf, 0, width);
                        PointwiseForward.product(width, kg, m, buf, 0, 1, width, dz, zOff, k, 1,
                                dw, gi * kg, k, true, false, vector ? s : null, null, 0, 0);
                        PointwiseForward.product(m, width, kg, dz, zOff, k, 1, filter, gi * kg, 1, k,
                                buf, dcols, width, false, false, vector ? s : null, null, 0, 0);
                        Col2imNhwc.add(g, buf, dcols, width, q0, q1, dx, 0, gi * cg, cg);
                    }
                }
                if (withBias) {
                    dbs[t] = new double[k];
                    PwBiasGradient.columns(dz, qa * k, qb - qa, k, k, dbs[t]);
                }
            }
        });
        float[] dw = dws[0];
        for (int t = 1; t < parts; t++) {
            float[] p = dws[t];
            for (int i = 0; i < filterLength; i++) {
                dw[i] += p[i];
            }
        }
        if (outIn) {
            float[] df = new float[filterLength];
            Im2colFilterOrder.toOutInTaps(dw, k, cg, taps, df);
            dw = df;
        }
        return new ConvGradients(dx, dw, withBias ? sum(dbs) : null);
    }

    private float[] sum(double[][] parts) {
        float[] db = new float[k];
        for (int o = 0; o < k; o++) {
            double total = 0;
            for (double[] p : parts) {
                total += p[o];
            }
            db[o] = (float) total;
        }
        return db;
    }
}
