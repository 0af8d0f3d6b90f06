package dev.depthwise.kernel;

/**
 * Channels-last to channels-first, the way back after a channels-last kernel ran on a
 * channels-first tensor: {@code out[ch*s + p] = x[p*c + ch]}. With the vector bodies on it runs
 * {@link TransposeVxV}'s register tiles; otherwise scalar, blocked in 16x16 tiles.
 */
public final class NhwcToNchw {
    private static final int BLOCK = 16;

    private NhwcToNchw() {
    }

    /** Positions {@code [sFrom, sTo)} of one image of {@code s} positions by {@code c} channels. */
    public static void convert(float[] x, int xOff, int c, int s, float[] out, int outOff, int sFrom, int sTo) {
        // Simd.enabled() is false without the Vector API, so TransposeVxV is then never loaded.
        if (Simd.enabled()) {
            TransposeVxV.rowsToPlanes(x, xOff, c, s, out, outOff, sFrom, sTo);
            return;
        }
        for (int c0 = 0; c0 < c; c0 += BLOCK) {
            int c1 = Math.min(c0 + BLOCK, c);
            for (int p0 = sFrom; p0 < sTo; p0 += BLOCK) {
                int p1 = Math.min(p0 + BLOCK, sTo);
                for (int ch = c0; ch < c1; ch++) {
                    int d = outOff + ch * s;
                    for (int p = p0; p < p1; p++) {
                        out[d + p] = x[xOff + p * c + ch];
                    }
                }
            }
        }
    }
}
