package dev.depthwise.spec;

/**
 * The geometry of one grouped convolution as plain ints, the only thing kernels take from a spec
 * (NNlib's {@code DepthwiseConvDims} idea: one small object owns the geometry; forward and both
 * gradients read it). Every convolution is seen as 3-D: a 1-D or 2-D one has leading spatial sizes
 * of 1 and no padding there. Element {@code (n, c, d, h, w)} of x sits at
 * {@code n*xN + c*xC + d*xD + h*xH + w*xW}; the strides encode the layout, so kernels never branch
 * on it. Built only by {@link ConvSpec}, which has checked that every index fits an int.
 */
public final class ConvGeometry {
    /** Batch, input channels, output channels, groups, input and output channels per group. */
    public final int n, c, k, groups, cPerGroup, kPerGroup;
    /** Input sizes. */
    public final int inD, inH, inW;
    /** Output sizes. */
    public final int outD, outH, outW;
    /** Kernel sizes. */
    public final int kD, kH, kW;
    /** Strides. */
    public final int sD, sH, sW;
    /** Dilations. */
    public final int dD, dH, dW;
    /** Padding before each axis (the amount after is implied by the output size). */
    public final int padD, padH, padW;
    /** What the padded border holds. */
    public final PadMode padMode;
    /** Element strides of x. */
    public final int xN, xC, xD, xH, xW;
    /** Element strides of y. */
    public final int yN, yK, yD, yH, yW;
    /** Element strides of the filter: output channel, input channel within its group, taps. */
    public final int fO, fI, fD, fH, fW;

    ConvGeometry(int n, int c, int k, int groups, int[] in, int[] out, int[] kernel, int[] stride,
                 int[] dilation, int[] padBefore, PadMode padMode, Layout layout, FilterLayout filterLayout) {
        this.n = n;
        this.c = c;
        this.k = k;
        this.groups = groups;
        this.cPerGroup = c / groups;
        this.kPerGroup = k / groups;
        inD = in[0]; inH = in[1]; inW = in[2];
        outD = out[0]; outH = out[1]; outW = out[2];
        kD = kernel[0]; kH = kernel[1]; kW = kernel[2];
        sD = stride[0]; sH = stride[1]; sW = stride[2];
        dD = dilation[0]; dH = dilation[1]; dW = dilation[2];
        padD = padBefore[0]; padH = padBefore[1]; padW = padBefore[2];
        this.padMode = padMode;
        int[] xs = activationStrides(layout, c, in);
        xN = xs[0]; xC = xs[1]; xD = xs[2]; xH = xs[3]; xW = xs[4];
        int[] ys = activationStrides(layout, k, out);
        yN = ys[0]; yK = ys[1]; yD = ys[2]; yH = ys[3]; yW = ys[4];
        int taps = kD * kH * kW;
        if (filterLayout == FilterLayout.SPATIAL_IN_OUT) {
            fO = 1; fI = k; fW = cPerGroup * k; fH = kW * fW; fD = kH * fH;
        } else {
            fW = 1; fH = kW; fD = kH * kW; fI = taps; fO = cPerGroup * taps;
        }
    }

    /** Strides {N, C, D, H, W} of a tensor with {@code ch} channels and spatial sizes {@code s}. */
    private static int[] activationStrides(Layout layout, int ch, int[] s) {
        if (layout == Layout.CHANNELS_LAST) {
            int w = ch, h = s[2] * w, d = s[1] * h;
            return new int[] {s[0] * d, 1, d, h, w};
        }
        int h = s[2], d = s[1] * h, cs = s[0] * d;
        return new int[] {ch * cs, cs, d, h, 1};
    }
}
