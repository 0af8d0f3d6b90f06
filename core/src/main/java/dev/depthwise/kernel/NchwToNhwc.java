package dev.depthwise.kernel;

/**
 * Channels-first to channels-last, for the ops that run channels-last kernels on channels-first
 * tensors: {@code out[p*c*m + ch*m + r] = x[ch*s + p]}, every input channel written {@code m} times
 * (a depthwise multiplier's repeats, so the kernel sees one input channel per output channel).
 * With the vector bodies on and {@code m == 1} it runs {@link TransposeVxV}'s register tiles (2-3x
 * faster than scalar on MobileNetV2 shapes); otherwise scalar, blocked in 16x16 tiles so both
 * sides stay in cache lines already loaded.
 */
public final class NchwToNhwc {
    private static final int BLOCK = 16;

    private NchwToNhwc() {
    }

    /**
     * Positions {@code [sFrom, sTo)} of one image of {@code c} channels by {@code s} positions at
     * {@code xOff}, into the channels-last image at {@code outOff}.
     */
    public static void convert(float[] x, int xOff, int c, int s, int m, float[] out, int outOff, int sFrom, int sTo) {
        // Simd.enabled() is false without the Vector API, so TransposeVxV is then never loaded.
        if (m == 1 && Simd.enabled()) {
            TransposeVxV.planesToRows(x, xOff, c, s, out, outOff, sFrom, sTo);
            return;
        }
        int k = c * m;
        for (int p0 = sFrom; p0 < sTo; p0 += BLOCK) {
            int p1 = Math.min(p0 + BLOCK, sTo);
            for (int c0 = 0; c0 < c; c0 += BLOCK) {
                int c1 = Math.min(c0 + BLOCK, c);
                for (int p = p0; p < p1; p++) {
                    int d = outOff + p * k;
                    if (m == 1) {
                        for (int ch = c0; ch < c1; ch++) {
                            out[d + ch] = x[xOff + ch * s + p];
                        }
                    } else {
                        for (int ch = c0; ch < c1; ch++) {
                            float v = x[xOff + ch * s + p];
                            for (int r = 0; r < m; r++) {
                                out[d + ch * m + r] = v;
                            }
                        }
                    }
                }
            }
        }
    }
}
