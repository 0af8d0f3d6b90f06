package dev.depthwise.kernel;

/**
 * Filters between PyTorch's order {@code [O, C/g, taps]} and the im2col GEMM's order
 * {@code [taps, C/g, O]} (TensorFlow's, where each group's filter is a {@code (taps*C/g) x O/g}
 * block of a row-major matrix). The GEMM's rows are {@code tap*cg + ci}, which no single stride
 * reaches in PyTorch's order, so its filter is reordered once per call (it is small next to
 * the activations) rather than read tap by tap.
 */
public final class Im2colFilterOrder {
    private Im2colFilterOrder() {
    }

    /** {@code out[(t*cg + ci)*k + o] = f[(o*cg + ci)*taps + t]}. */
    public static void toTapsInOut(float[] f, int k, int cg, int taps, float[] out) {
        for (int o = 0; o < k; o++) {
            for (int ci = 0; ci < cg; ci++) {
                int src = (o * cg + ci) * taps;
                for (int t = 0; t < taps; t++) {
                    out[(t * cg + ci) * k + o] = f[src + t];
                }
            }
        }
    }

    /** The inverse: {@code out[(o*cg + ci)*taps + t] = f[(t*cg + ci)*k + o]}. */
    public static void toOutInTaps(float[] f, int k, int cg, int taps, float[] out) {
        for (int o = 0; o < k; o++) {
            for (int ci = 0; ci < cg; ci++) {
                int dst = (o * cg + ci) * taps;
                for (int t = 0; t < taps; t++) {
                    out[dst + t] = f[(t * cg + ci) * k + o];
                }
            }
        }
    }
}
