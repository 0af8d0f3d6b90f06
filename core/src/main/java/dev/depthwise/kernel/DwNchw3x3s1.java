package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;

/**
 * Depthwise 3x3, stride 1, dilation 1, channels-first (2-D), vectorised along the width and reading
 * the tensor as it is. Strips of one vector of output columns walk down the plane together, as many
 * as a row holds up to eight (the tiles DwNchw3x3s1w1 to w8, {@link DwNchwStrips}), so memory moves
 * row after row: each input row comes in once per strip as three shifted vectors (the columns
 * outside the input zeroed) and feeds the three output rows that use it, the oldest of which is
 * then complete and stored. Every input element is loaded three times, not nine, and the nine
 * weights and the bias stay in registers. Planes at most half a vector wide go two to a vector
 * ({@link DwNchw3x3s1p2}). Rows of padding read zeros, so the loops have no branch; ReLU and ReLU6
 * are a clamp before the store. The plane loop, the other activations and non-finite weights:
 * {@link DwNchw3x3}.
 *
 * <p>x and y are dense channels-first: plane {@code (n, c)} of x at {@code xOff + (n*C + c)*inH*inW},
 * plane {@code (n, o)} of y at {@code yOff + (n*K + o)*outH*outW}; output plane {@code o} reads input
 * plane {@code o / M}. The filter is read through the geometry's strides.
 */
public final class DwNchw3x3s1 {
    private DwNchw3x3s1() {
    }

    /** Output planes {@code [planeFrom, planeTo)} (plane {@code n*K + o}), rows {@code [rowFrom, rowTo)} of each. */
    public static void planes(ConvGeometry g, float[] x, int xOff, float[] f, float[] bias, int act, float alpha,
                              float[] y, int yOff, int planeFrom, int planeTo, int rowFrom, int rowTo) {
        DwNchw3x3.planes(g, x, xOff, f, bias, act, alpha, y, yOff, planeFrom, planeTo, rowFrom, rowTo, 1);
    }
}
