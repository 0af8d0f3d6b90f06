package dev.depthwise.op;

import dev.depthwise.kernel.GemmScratch;
import dev.depthwise.kernel.PwBiasGradient;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import java.util.Arrays;

/**
 * The gradients of the pointwise convolution, each one the forward pass's GEMM with its operands
 * read through other strides ({@link PointwiseForward#product}), per group:
 * <ul>
 * <li>{@code dX = dZ . W^T}: channels-last {@code dX[P x C] = dZ[P x O] . W^T}, channels-first
 * {@code dX[C x S] = W^T . dZ[O x S]} per image;</li>
 * <li>{@code dW = X^T . dZ} summed over every position of every image, computed in the filter's
 * own orientation ({@code [C x O]} for TensorFlow's layout, {@code [O x C]} for PyTorch's) so it
 * is written in place. The long side here is k (all positions): with several threads each sums
 * its share of positions and the shares are added at the end, unless the positions are too few
 * for that to pay, when the filter itself is split;</li>
 * <li>{@code dbias}: per channel sums of {@code dZ} ({@link PwBiasGradient}).</li>
 * </ul>
 */
final class PointwiseBackward implements BackwardPath {
    /** Positions a thread must have to itself before the positions, not the filter, are split. */
    static final int MIN_POSITIONS_PER_THREAD = 512;

    private final int batch, spatial, c, k, groups, cg, kg, threads, filterLength;
    private final boolean channelsLast;
    /** Filter element (input ci, output oj) of group g: {@code w[g*wG + ci*wI + oj*wO]}. */
    private final int wG, wI, wO;

    PointwiseBackward(ConvSpec spec, int threads) {
        this.batch = spec.batch();
        this.c = spec.inChannels();
        this.k = spec.outChannels();
        this.groups = spec.groups();
        this.cg = c / groups;
        this.kg = k / groups;
        this.spatial = spec.outputLength() / batch / k;
        this.threads = threads;
        this.filterLength = spec.filterLength();
        this.channelsLast = spec.layout() == Layout.CHANNELS_LAST;
        boolean inOut = spec.filterLayout() == FilterLayout.SPATIAL_IN_OUT;
        this.wG = inOut ? kg : kg * cg;
        this.wI = inOut ? k : 1;
        this.wO = inOut ? 1 : cg;
    }

    /** The same specs as the forward path. */
    static boolean supports(ConvSpec spec) {
        return PointwiseForward.supports(spec);
    }

    @Override
    public String name() {
        return "pw-gemm-" + (channelsLast ? "nhwc" : "nchw");
    }

    /** The products overwrite dx and dw (every element), so the caller's arrays need no zeroing. */
    @Override
    public void backward(float[] x, float[] w, float[] bias, float[] dz, float[] dx, float[] dw, float[] dbias) {
        dataGradient(w, dz, dx);
        filterGradient(x, dz, dw);
        if (bias != null) {
            biasGradient(dz, dbias);
        }
    }

    private void dataGradient(float[] w, float[] dz, float[] dx) {
        if (channelsLast) {
            // dX_g[P x Cg] = dZ_g[P x Kg] . W_g^T
            PointwiseForward.split(threads, groups, batch * spatial, cg, (g, r0, r1, j0, j1, s) ->
                    PointwiseForward.product(r1 - r0, j1 - j0, kg, dz, r0 * k + g * kg, k, 1,
                            w, g * wG + j0 * wI, wO, wI, dx, r0 * c + g * cg + j0, c, false, false, s, null, 0, 0));
        } else {
            // dX_ng[Cg x S] = W_g^T[Cg x Kg] . dZ_ng[Kg x S]
            PointwiseForward.split(threads, batch * groups, cg, spatial, (p, r0, r1, j0, j1, s) -> {
                int n = p / groups;
                int g = p % groups;
                PointwiseForward.product(r1 - r0, j1 - j0, kg, w, g * wG + r0 * wI, wI, wO,
                        dz, (n * k + g * kg) * spatial + j0, spatial, 1,
                        dx, (n * c + g * cg + r0) * spatial + j0, spatial, false, true, s, null, 0, 0);
            });
        }
    }

    /**
     * dW per group in the filter's orientation: rows are input channels when {@code wO == 1}
     * (TensorFlow), output channels otherwise (PyTorch). The depth of the product is the positions:
     * channels-last, position {@code d} is row {@code d} of X and dZ; channels-first,
     * {@code d = n*S + s} and each image is a separate run of columns.
     */
    private void filterGradient(float[] x, float[] dz, float[] dw) {
        boolean rowsIn = wO == 1;
        int rows = rowsIn ? cg : kg;
        int cols = rowsIn ? kg : cg;
        int ldc = rowsIn ? wI : wO;
        int depth = batch * spatial;
        int parts = Math.min(threads, depth / MIN_POSITIONS_PER_THREAD);
        if (parts <= 1) {
            PointwiseForward.split(threads, groups, rows, cols, (g, r0, r1, j0, j1, s) ->
                    filterRegion(x, dz, dw, g, r0, r1, j0, j1, 0, depth, g * wG + r0 * ldc + j0, ldc, s));
            return;
        }
        // each part sums its share of positions, part 0 into dw, the others into kept arrays of their own
        KeptArrays kept = KEPT.get();
        float[][] partial = kept.floats(parts, filterLength); // [0] unused: part 0 writes dw
        Parallel.forRange(parts, parts, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                GemmScratch s = Simd.enabled() ? GemmScratch.local() : null;
                float[] out = t == 0 ? dw : partial[t];
                int d0 = (int) ((long) depth * t / parts);
                int d1 = (int) ((long) depth * (t + 1) / parts);
                for (int g = 0; g < groups; g++) {
                    filterRegion(x, dz, out, g, 0, rows, 0, cols, d0, d1, g * wG, ldc, s);
                }
            }
        });
        for (int t = 1; t < parts; t++) {
            float[] p = partial[t];
            for (int i = 0; i < filterLength; i++) {
                dw[i] += p[i];
            }
        }
    }

    /** Rows {@code [r0, r1)}, columns {@code [j0, j1)} of group g's dW over positions {@code [d0, d1)}, written at {@code out[off]}. */
    private void filterRegion(float[] x, float[] dz, float[] out, int g, int r0, int r1, int j0, int j1,
                              int d0, int d1, int off, int ldc, GemmScratch s) {
        boolean rowsIn = wO == 1;
        boolean first = true;
        for (int d = d0; d < d1; ) {
            int n = channelsLast ? 0 : d / spatial;
            int end = channelsLast ? d1 : Math.min(d1, (n + 1) * spatial);
            int pos = channelsLast ? d : d - n * spatial;
            // operand strides along the positions (kS) and along the channels (chS), and their bases
            int xkS = channelsLast ? c : 1;
            int xchS = channelsLast ? 1 : spatial;
            int xBase = channelsLast ? pos * c + g * cg : (n * c + g * cg) * spatial + pos;
            int zkS = channelsLast ? k : 1;
            int zchS = channelsLast ? 1 : spatial;
            int zBase = channelsLast ? pos * k + g * kg : (n * k + g * kg) * spatial + pos;
            if (rowsIn) {
                PointwiseForward.product(r1 - r0, j1 - j0, end - d, x, xBase + r0 * xchS, xchS, xkS,
                        dz, zBase + j0 * zchS, zkS, zchS, out, off, ldc, !first, false, s, null, 0, 0);
            } else {
                PointwiseForward.product(r1 - r0, j1 - j0, end - d, dz, zBase + r0 * zchS, zchS, zkS,
                        x, xBase + j0 * xchS, xkS, xchS, out, off, ldc, !first, false, s, null, 0, 0);
            }
            first = false;
            d = end;
        }
    }

    private void biasGradient(float[] dz, float[] db) {
        int parts = Math.min(threads, batch * spatial / MIN_POSITIONS_PER_THREAD);
        parts = Math.max(1, parts);
        double[][] acc = KEPT.get().doubles(parts, k);
        int depth = batch * spatial;
        int partsFinal = parts;
        Parallel.forRange(parts, parts, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                Arrays.fill(acc[t], 0, k, 0.0);
                int d0 = (int) ((long) depth * t / partsFinal);
                int d1 = (int) ((long) depth * (t + 1) / partsFinal);
                if (channelsLast) {
                    PwBiasGradient.columns(dz, d0 * k, d1 - d0, k, k, acc[t]);
                } else {
                    for (int d = d0; d < d1; ) {
                        int n = d / spatial;
                        int end = Math.min(d1, (n + 1) * spatial);
                        PwBiasGradient.rows(dz, n * k * spatial + d - n * spatial, k, end - d, spatial, acc[t]);
                        d = end;
                    }
                }
            }
        });
        for (int o = 0; o < k; o++) {
            double sum = 0;
            for (int t = 0; t < parts; t++) {
                sum += acc[t][o];
            }
            db[o] = (float) sum;
        }
    }

    /**
     * The calling thread's kept partial sums, grown on demand, so a warm op allocates no arrays (the
     * parts run on other threads, but the caller waits for them).
     */
    private static final ThreadLocal<KeptArrays> KEPT = ThreadLocal.withInitial(KeptArrays::new);
}
