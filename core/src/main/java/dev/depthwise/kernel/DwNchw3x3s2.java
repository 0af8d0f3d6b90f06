package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;

/**
 * Depthwise 3x3, stride 2, dilation 1, channels-first (2-D), vectorised along the width and reading
 * the tensor as it is. Strips of one vector of output columns walk down the plane, two at a time
 * (the tiles DwNchw3x3s2w1 and w2, {@link DwNchwStrips}: wider ones outgrow what the JIT's first
 * compiler can take, and a method it gives up on runs unoptimised for seconds), two input rows per
 * output row. The 2*LEN input columns under a strip come in as two vectors that a two-vector
 * permute splits into even and odd columns (taps 0 and 1); the pair two columns on gives tap 2. The
 * last input row of an output row is the first of the next and is loaded once for both, and the
 * nine weights and the bias stay in registers. Output rows at most half a vector wide go two
 * planes to a vector ({@link DwNchw3x3s2p2}). Same layout contract, plane loop, activations and
 * non-finite weights as {@link DwNchw3x3s1}.
 */
public final class DwNchw3x3s2 {
    private DwNchw3x3s2() {
    }

    /** As {@link DwNchw3x3s1#planes}, for stride 2. */
    public static void planes(ConvGeometry g, float[] x, int xOff, float[] f, float[] bias, int act, float alpha,
                              float[] y, int yOff, int planeFrom, int planeTo, int rowFrom, int rowTo) {
        DwNchw3x3.planes(g, x, xOff, f, bias, act, alpha, y, yOff, planeFrom, planeTo, rowFrom, rowTo, 2);
    }
}
