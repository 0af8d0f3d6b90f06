package dev.depthwise.kernel;

/**
 * Splits a depthwise output gradient's channels-last channel {@code c*M + m} into M planes of C
 * channels, the layout the backward kernels vectorise over (each plane meets the input channels in
 * order). Touches only the pixels of the range given, so threads can split one call.
 */
public final class DwBackwardLayout {
    private DwBackwardLayout() {
    }

    /**
     * Pixels {@code [from, to)}: {@code dst[dstOff + pos*C*M + p*C + c] = src[srcOff + pos*C*M + c*M + p]}.
     */
    public static void splitPlanes(float[] src, int srcOff, float[] dst, int dstOff, int c, int m, int from,
                                   int to) {
        int k = c * m;
        for (int pos = from; pos < to; pos++) {
            int s = srcOff + pos * k;
            int d = dstOff + pos * k;
            for (int p = 0; p < m; p++) {
                for (int ch = 0; ch < c; ch++) {
                    dst[d + p * c + ch] = src[s + ch * m + p];
                }
            }
        }
    }
}
