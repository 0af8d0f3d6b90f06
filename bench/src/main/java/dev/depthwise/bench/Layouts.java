package dev.depthwise.bench;

/**
 * Layout conversions a caller pays for when its data is in one layout and a kernel wants the
 * other: NCHW &lt;-&gt; NHWC activations (a transpose per image, in tiles so that both sides stay
 * in cache lines) and ONNX's OIHW filters to TensorFlow's HWIO.
 */
final class Layouts {
    private static final int TILE = 16;

    private Layouts() {
    }

    /** {@code src[n][c][p]} to {@code dst[n][p][c]}, {@code p} over {@code hw} pixels. */
    static void nchwToNhwc(float[] src, float[] dst, int n, int c, int hw) {
        for (int b = 0; b < n; b++) {
            transpose(src, dst, (long) b * c * hw, c, hw);
        }
    }

    /** {@code src[n][p][c]} to {@code dst[n][c][p]}. */
    static void nhwcToNchw(float[] src, float[] dst, int n, int c, int hw) {
        for (int b = 0; b < n; b++) {
            transpose(src, dst, (long) b * c * hw, hw, c);
        }
    }

    /** The {@code rows x cols} matrix at {@code off} in {@code src}, transposed into {@code dst} at {@code off}. */
    private static void transpose(float[] src, float[] dst, long off, int rows, int cols) {
        int base = (int) off;
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    int s = base + r * cols;
                    for (int c = c0; c < c1; c++) {
                        dst[base + c * rows + r] = src[s + c];
                    }
                }
            }
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
