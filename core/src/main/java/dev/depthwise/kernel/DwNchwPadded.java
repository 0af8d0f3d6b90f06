package dev.depthwise.kernel;

import dev.depthwise.spec.ConvGeometry;

/**
 * The scratch plane of the channels-first 3x3 kernels: the input rows of one plane copied between
 * zero columns, so every vector of a row, the ones at its ends too, is a plain unaligned load (no
 * masks, no branches); and the exact scalar form of a row's outputs, which the kernels use for the
 * few outputs whose window meets the left or right padding (so a non-finite weight on a padded tap
 * is skipped, as in the reference) and for the scalar mode.
 */
public final class DwNchwPadded {
    /** Zero columns before each row: the largest padding the kernels take. */
    public static final int LEFT = 2;

    private DwNchwPadded() {
    }

    /** Floats between scratch rows: room for every load of every vector of a row. */
    public static int rowLength(ConvGeometry g, int lanes) {
        return LEFT + g.inW + 4 + 2 * g.sW * lanes;
    }

    /** Floats of scratch a thread needs. */
    public static int length(ConvGeometry g, int lanes) {
        return g.inH * rowLength(g, lanes) + lanes;
    }

    /** Zeroes the columns around the rows: once per call, the row copies never touch them. */
    public static void clearMargins(ConvGeometry g, int lanes, float[] scratch) {
        int r = rowLength(g, lanes);
        for (int h = 0; h < g.inH; h++) {
            java.util.Arrays.fill(scratch, h * r, h * r + LEFT, 0f);
            java.util.Arrays.fill(scratch, h * r + LEFT + g.inW, (h + 1) * r, 0f);
        }
    }

    /** Copies input rows {@code [hFrom, hTo)} of the plane at {@code xPlane} into the scratch rows. */
    public static void copyRows(ConvGeometry g, int lanes, float[] x, int xPlane, int hFrom, int hTo, float[] scratch) {
        int r = rowLength(g, lanes);
        for (int h = hFrom; h < hTo; h++) {
            System.arraycopy(x, xPlane + h * g.inW, scratch, h * r + LEFT, g.inW);
        }
    }

    /**
     * Outputs {@code [owFrom, owTo)} of output row {@code oh} of a 3x3 dilation-1 plane, straight from
     * x, taps in the padding skipped: {@code fo} is the plane's first filter element.
     */
    public static void scalarRow(ConvGeometry g, float[] x, int xPlane, float[] f, int fo, float b, int act,
                                 float alpha, float[] y, int yr, int oh, int owFrom, int owTo) {
        int h0 = oh * g.sH - g.padH;
        int j0 = DwTaps.first(h0, 1), j1 = DwTaps.end(h0, 1, 3, g.inH);
        for (int ow = owFrom; ow < owTo; ow++) {
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
            y[yr + ow] = DwActivation.apply(acc, act, alpha);
        }
    }
}
