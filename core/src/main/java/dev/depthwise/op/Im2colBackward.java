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
import java.util.Arrays;

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

    /**
     * col2im adds into dx, so each thread first zeroes the caller's dx over its own images; part 0
     * sums dW straight into the caller's dfilter when no reordering follows.
     */
    @Override
    public void backward(float[] x, float[] w, float[] bias, float[] dz, float[] dx, float[] dfilter,
                         float[] dbias) {
        KeptArrays kept = KEPT.get();
        int parts = Math.max(1, Math.min(threads, g.n));
        // [0] the filter reordered (outIn only), [1 + t] part t's dW (part 0's only when reordered)
        float[][] floats = kept.floats(1 + parts, filterLength);
        float[] filter = w;
        if (outIn) {
            filter = floats[0];
            Im2colFilterOrder.toTapsInOut(w, k, cg, taps, filter);
        }
        float[] wm = filter;
        float[][] dws = floats;
        boolean withBias = bias != null;
        double[][] dbs = withBias ? kept.doubles(parts, k) : null;
        boolean vector = Simd.enabled();
        int image = inputLength / g.n;
        Parallel.forRange(parts, parts, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                GemmScratch s = GemmScratch.local();
                float[] buf = s.extra(2 * rows * width);
                int dcols = rows * width;
                float[] dw = t == 0 && !outIn ? dfilter : dws[1 + t];
                Arrays.fill(dw, 0, filterLength, 0f);
                int na = (int) ((long) g.n * t / parts);
                int nb = (int) ((long) g.n * (t + 1) / parts);
                Arrays.fill(dx, na * image, nb * image, 0f);
                int qa = na * outPixels;
                int qb = nb * outPixels;
                for (int q0 = qa; q0 < qb; q0 += rows) {
                    int q1 = Math.min(qb, q0 + rows);
                    int m = q1 - q0;
                    for (int gi = 0; gi < groups; gi++) {
                        int zOff = q0 * k + gi * kg;
                        Im2colNhwc.copy(g, x, 0, gi * cg, cg, q0, q1, buf, 0, width);
                        PointwiseForward.product(width, kg, m, buf, 0, 1, width, dz, zOff, k, 1,
                                dw, gi * kg, k, true, false, vector ? s : null, null, 0, 0);
                        PointwiseForward.product(m, width, kg, dz, zOff, k, 1, wm, gi * kg, 1, k,
                                buf, dcols, width, false, false, vector ? s : null, null, 0, 0);
                        Col2imNhwc.add(g, buf, dcols, width, q0, q1, dx, 0, gi * cg, cg);
                    }
                }
                if (withBias) {
                    Arrays.fill(dbs[t], 0, k, 0.0);
                    PwBiasGradient.columns(dz, qa * k, qb - qa, k, k, dbs[t]);
                }
            }
        });
        float[] dw = outIn ? dws[1] : dfilter;
        for (int t = 1; t < parts; t++) {
            float[] p = dws[1 + t];
            for (int i = 0; i < filterLength; i++) {
                dw[i] += p[i];
            }
        }
        if (outIn) {
            Im2colFilterOrder.toOutInTaps(dw, k, cg, taps, dfilter);
        }
        if (withBias) {
            for (int o = 0; o < k; o++) {
                double total = 0;
                for (int t = 0; t < parts; t++) {
                    total += dbs[t][o];
                }
                dbias[o] = (float) total;
            }
        }
    }

    /**
     * The calling thread's kept filter copies and partial sums, grown on demand, so a warm op
     * allocates no arrays (the parts run on other threads, but the caller waits for them).
     */
    private static final ThreadLocal<KeptArrays> KEPT = ThreadLocal.withInitial(KeptArrays::new);
}
