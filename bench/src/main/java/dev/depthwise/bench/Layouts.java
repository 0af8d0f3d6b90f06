package dev.depthwise.bench;

import dev.depthwise.kernel.NchwToNhwc;
import dev.depthwise.kernel.NhwcToNchw;

/**
 * Layout conversions a caller pays for when its data is in one layout and a kernel wants the
 * other: NCHW &lt;-&gt; NHWC activations, with the library's own converters (the ones its ops use
 * for channels-first data: vector register-tile transposes), and ONNX's OIHW filters to
 * TensorFlow's HWIO.
 */
final class Layouts {
    private Layouts() {
    }

    /** {@code src[n][c][p]} to {@code dst[n][p][c]}, {@code p} over {@code hw} pixels. */
    static void nchwToNhwc(float[] src, float[] dst, int n, int c, int hw) {
        int image = Math.multiplyExact(c, hw);
        for (int b = 0; b < n; b++) {
            NchwToNhwc.convert(src, b * image, c, hw, 1, dst, b * image, 0, hw);
        }
    }

    /** {@code src[n][p][c]} to {@code dst[n][c][p]}. */
    static void nhwcToNchw(float[] src, float[] dst, int n, int c, int hw) {
        int image = Math.multiplyExact(c, hw);
        for (int b = 0; b < n; b++) {
            NhwcToNchw.convert(src, b * image, c, hw, dst, b * image, 0, hw);
        }
    }

    /** An {@code [o][i][spatial]} filter (OIHW) as {@code [spatial][i][o]} (HWIO; HWCM for depthwise with M = 1). */
    static float[] oihwToHwio(float[] f, int o, int i, int spatial) {
        float[] r = new float[f.length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < i; b++) {
                for (int s = 0; s < spatial; s++) {
                    r[(s * i + b) * o + a] = f[(a * i + b) * spatial + s];
                }
            }
        }
        return r;
    }
}
