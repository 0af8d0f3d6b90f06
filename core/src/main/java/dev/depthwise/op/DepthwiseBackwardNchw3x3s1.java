package dev.depthwise.op;

import dev.depthwise.kernel.DwActivation;
import dev.depthwise.kernel.DwNchw3x3s1;
import dev.depthwise.kernel.DwNchw3x3s1FilterGrad;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;
import dev.depthwise.spec.Padding;

/**
 * The gradients of a channels-first depthwise 3x3 layer, stride 1, dilation 1, multiplier 1, in
 * the tensors' own layout: no transposes, which cost {@link DepthwiseBackward} a read and write of
 * x, dz and dx and made channels-first training 2.3x slower than channels-last. At stride 1 the
 * input gradient is a forward convolution of dz with the filter turned by 180 degrees and the
 * padding mirrored (2 - before on each side), so the channels-first forward tiles
 * ({@link DwNchw3x3s1}) compute it; the filter and bias gradients come from
 * {@link DwNchw3x3s1FilterGrad}, a channel per task. Every channel's sums are made by one thread in
 * a fixed order: the bits do not depend on the thread count.
 */
final class DepthwiseBackwardNchw3x3s1 implements BackwardPath {
    /** The calling thread's turned filter and gradient sums, grown on demand and kept. */
    private static final ThreadLocal<float[][]> WORK = ThreadLocal.withInitial(() -> new float[2][0]);

    private final ConvGeometry g;
    /** dz as the input of a forward convolution that yields dx. */
    private final ConvGeometry back;
    private final int threads;
    private final int none = DwActivation.code(Activation.NONE);

    private DepthwiseBackwardNchw3x3s1(ConvGeometry g, ConvGeometry back, int threads) {
        this.g = g;
        this.back = back;
        this.threads = threads;
    }

    /** This path for {@code spec}, or null when it does not apply. */
    static DepthwiseBackwardNchw3x3s1 of(ConvSpec spec, int threads) {
        ConvGeometry g = spec.geometry();
        if (!Simd.enabled() || spec.layout() != Layout.CHANNELS_FIRST || spec.padMode() != PadMode.ZEROS
                || !spec.isDepthwise() || g.kPerGroup != 1 || g.inD != 1 || g.kH != 3 || g.kW != 3
                || g.sH != 1 || g.sW != 1 || g.dH != 1 || g.dW != 1) {
            return null;
        }
        // the padding after each axis, and the mirrored padding of the input gradient's convolution
        int afterH = g.outH + 2 - g.inH - g.padH;
        int afterW = g.outW + 2 - g.inW - g.padW;
        if (g.padH > 2 || g.padW > 2 || afterH < 0 || afterH > 2 || afterW < 0 || afterW > 2) {
            return null;
        }
        ConvGeometry back = ConvSpec.builder(Layout.CHANNELS_FIRST, g.n, g.k, g.outH, g.outW).kernel(3, 3)
                .depthwise(1).padding(Padding.explicit(new int[] {2 - g.padH, 2 - g.padW},
                        new int[] {2 - afterH, 2 - afterW})).filterLayout(FilterLayout.OUT_IN_SPATIAL).build()
                .geometry();
        if (back.outH != g.inH || back.outW != g.inW) {
            return null;
        }
        return new DepthwiseBackwardNchw3x3s1(g, back, threads);
    }

    @Override
    public void backward(float[] x, float[] filter, float[] bias, float[] dz, float[] dx, float[] dfilter,
                         float[] dbias) {
        int k = g.k;
        float[][] work = WORK.get();
        if (work[0].length < 9 * k) {
            work[0] = new float[9 * k];
        }
        if (work[1].length < DwNchw3x3s1FilterGrad.PER_CHANNEL * k) {
            work[1] = new float[DwNchw3x3s1FilterGrad.PER_CHANNEL * k];
        }
        float[] turned = work[0];
        float[] sums = work[1];
        // tap (j, l) of the turned filter is tap (2 - j, 2 - l) of the layer's
        for (int ch = 0; ch < k; ch++) {
            for (int j = 0; j < 3; j++) {
                for (int l = 0; l < 3; l++) {
                    turned[ch * 9 + j * 3 + l] = filter[ch * g.fO + (2 - j) * g.fH + (2 - l) * g.fW];
                }
            }
        }
        Parallel.forRange(threads, g.n * k, (from, to) -> DwNchw3x3s1.planes(back, dz, 0, turned, null, none, 0f, dx,
                0, from, to, 0, back.outH));
        Parallel.forRange(threads, k, (from, to) -> DwNchw3x3s1FilterGrad.channels(g, x, dz, sums, from, to));
        for (int ch = 0; ch < k; ch++) {
            int s = ch * DwNchw3x3s1FilterGrad.PER_CHANNEL;
            for (int j = 0; j < 3; j++) {
                for (int l = 0; l < 3; l++) {
                    dfilter[ch * g.fO + j * g.fH + l * g.fW] = sums[s + j * 3 + l];
                }
            }
            if (dbias != null) {
                dbias[ch] = sums[s + 9];
            }
        }
    }

    @Override
    public String name() {
        return "DwBackwardNchw3x3s1";
    }
}
