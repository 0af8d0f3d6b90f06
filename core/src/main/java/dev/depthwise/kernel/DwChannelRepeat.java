package dev.depthwise.kernel;

/**
 * Repeats each channel of a channels-last tensor {@code m} times: {@code out[p*c*m + ch*m + r] =
 * x[p*c + ch]}. With it a depthwise convolution with multiplier {@code m} becomes one with
 * multiplier 1 over {@code c*m} channels, which the channel-vectorised kernels compute directly.
 */
public final class DwChannelRepeat {
    private DwChannelRepeat() {
    }

    /** Pixels {@code [pFrom, pTo)} of {@code c} channels at {@code xOff} into {@code out} at {@code outOff}. */
    public static void repeat(float[] x, int xOff, int c, int m, float[] out, int outOff, int pFrom, int pTo) {
        int k = c * m;
        for (int p = pFrom; p < pTo; p++) {
            int s = xOff + p * c;
            int d = outOff + p * k;
            for (int ch = 0; ch < c; ch++) {
                float v = x[s + ch];
                for (int r = 0; r < m; r++) {
                    out[d + ch * m + r] = v;
                }
            }
        }
    }
}
