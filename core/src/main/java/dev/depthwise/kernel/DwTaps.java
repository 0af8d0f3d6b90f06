package dev.depthwise.kernel;

/**
 * The taps of one output position that land inside the input along one axis: the kernels loop over
 * {@code [first, end)} instead of testing every tap against the border (zero padding adds nothing,
 * so skipping those taps is exact, as in the reference).
 */
public final class DwTaps {
    private DwTaps() {
    }

    /** The first tap {@code t >= 0} whose input position {@code start + t*dilation} is {@code >= 0}. */
    public static int first(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last tap {@code t < k} whose input position {@code start + t*dilation} is {@code < in}. */
    public static int end(int start, int dilation, int k, int in) {
        int room = in - 1 - start;
        return room < 0 ? 0 : Math.min(k, room / dilation + 1);
    }

    /**
     * The first output position {@code o} whose whole window lies at or after input 0
     * ({@code o*stride - pad >= 0}), capped at {@code out}.
     */
    public static int interiorFrom(int pad, int stride, int out) {
        return Math.min(out, (pad + stride - 1) / stride);
    }

    /**
     * One past the last output position whose whole window (extent {@code span}) ends inside the
     * input ({@code o*stride - pad + span - 1 < in}); never below {@code from}.
     */
    public static int interiorTo(int pad, int stride, int span, int in, int out, int from) {
        int room = in - span + pad;
        int to = room < 0 ? 0 : Math.min(out, room / stride + 1);
        return Math.max(from, to);
    }
}
