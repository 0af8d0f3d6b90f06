package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;

/**
 * The scalar form of the channels-first 3x3 kernels, taps in the padding skipped as in the
 * reference: for the scalar mode, for a plane with a non-finite weight (where the vector kernels'
 * zero padding would give Inf times 0 = NaN), and for the few rows whose vector loads would leave
 * the array.
 */
final class DwNchwExact {
    private DwNchwExact() {
    }

    /** True when the nine weights of output channel {@code o} are finite. */
    static boolean finite(ConvGeometry g, float[] f, int o) {
        int fo = o * g.fO;
        boolean finite = true;
        for (int j = 0; j < 3; j++) {
            for (int l = 0; l < 3; l++) {
                finite &= Float.isFinite(f[fo + j * g.fH + l * g.fW]);
            }
        }
        return finite;
    }

    /** True when every element of {@code f} is finite: one vector pass, so that planes need not check. */
    static boolean allFinite(float[] f) {
        return DwWeightsPacked.allFinite(f, f.length);
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of output plane {@code o} (at {@code yPlane}) of a 3x3 dilation-1
     * geometry, from the input plane at {@code xPlane}.
     */
    static void rows(ConvGeometry g, float[] x, int xPlane, float[] f, float[] bias, int o, int act,
                            float alpha, float[] y, int yPlane, int rowFrom, int rowTo) {
        int fo = o * g.fO;
        float b = bias == null ? 0f : bias[o];
        for (int oh = rowFrom; oh < rowTo; oh++) {
            int h0 = oh * g.sH - g.padH;
            int j0 = DwTaps.first(h0, 1), j1 = DwTaps.end(h0, 1, 3, g.inH);
            for (int ow = 0; ow < g.outW; ow++) {
                int c0 = ow * g.sW - g.padW;
                int l0 = DwTaps.first(c0, 1), l1 = DwTaps.end(c0, 1, 3, g.inW);
                float acc = b;
                for (int j = j0; j < j1; j++) {
                    int q = xPlane + (h0 + j) * g.inW + c0;
                    int fj = fo + j * g.fH;
                    for (int l = l0; l < l1; l++) {
                        acc += x[q + l] * f[fj + l * g.fW];
                    }
                }
                y[yPlane + oh * g.outW + ow] = DwActivation.apply(acc, act, alpha);
            }
        }
    }
}
