package dev.depthwise.spec;

/**
 * The geometry of one pooling as plain ints, lifted to 3-D (a 1-D or 2-D pooling has leading sizes
 * of 1): what the pooling kernels read. Element {@code (n, c, d, h, w)} of x sits at
 * {@code n*xN + c*xC + d*xD + h*xH + w*xW}. Built only by {@link PoolSpec}.
 */
public final class PoolGeometry {
    /** Batch and channels. */
    public final int n, c;
    /** Input sizes. */
    public final int inD, inH, inW;
    /** Output sizes. */
    public final int outD, outH, outW;
    /** Window sizes. */
    public final int kD, kH, kW;
    /** Strides. */
    public final int sD, sH, sW;
    /** Padding before each axis. */
    public final int padD, padH, padW;
    /** Element strides of x. */
    public final int xN, xC, xD, xH, xW;
    /** Element strides of y. */
    public final int yN, yC, yD, yH, yW;

    PoolGeometry(int n, int c, int[] in, int[] out, int[] pool, int[] stride, int[] padBefore, Layout layout) {
        this.n = n;
        this.c = c;
        inD = in[0]; inH = in[1]; inW = in[2];
        outD = out[0]; outH = out[1]; outW = out[2];
        kD = pool[0]; kH = pool[1]; kW = pool[2];
        sD = stride[0]; sH = stride[1]; sW = stride[2];
        padD = padBefore[0]; padH = padBefore[1]; padW = padBefore[2];
        int[] xs = strides(layout, c, in);
        xN = xs[0]; xC = xs[1]; xD = xs[2]; xH = xs[3]; xW = xs[4];
        int[] ys = strides(layout, c, out);
        yN = ys[0]; yC = ys[1]; yD = ys[2]; yH = ys[3]; yW = ys[4];
    }

    private static int[] strides(Layout layout, int ch, int[] s) {
        if (layout == Layout.CHANNELS_LAST) {
            int w = ch, h = s[2] * w, d = s[1] * h;
            return new int[] {s[0] * d, 1, d, h, w};
        }
        int h = s[2], d = s[1] * h, cs = s[0] * d;
        return new int[] {ch * cs, cs, d, h, 1};
    }
}
