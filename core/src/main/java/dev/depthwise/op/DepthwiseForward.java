package dev.depthwise.op;

import dev.depthwise.kernel.DwActivation;
import dev.depthwise.kernel.DwChannelRepeat;
import dev.depthwise.kernel.DwNchw3x3s1;
import dev.depthwise.kernel.DwNchw3x3s2;
import dev.depthwise.kernel.DwNhwc3x3s1;
import dev.depthwise.kernel.DwNhwc3x3s2;
import dev.depthwise.kernel.DwNhwcGeneral;
import dev.depthwise.kernel.DwWeightsPacked;
import dev.depthwise.kernel.NchwToNhwc;
import dev.depthwise.kernel.NhwcToNchw;
import dev.depthwise.kernel.Simd;
import dev.depthwise.kernel.VecSpecies;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;

/**
 * The fast depthwise forward pass, bias and activation fused. Channels-last: channel-vectorised
 * kernels over packed {@code [bias | taps]} weights (packed per call into a buffer the calling
 * thread keeps, or once by {@link #prepare}), a 3x3 kernel each for stride 1 and 2 and a general
 * one for every other size, stride, dilation and rank (a multiplier above 1 first repeats the input
 * channels). Channels-first 3x3 stride 1 and 2 (2-D, any padding): width-vectorised kernels that
 * read the tensor as it is, since transposing to channels-last and back costs more than the
 * convolution; every other channels-first spec is transposed at the boundary. Work is split over
 * output rows (channels-last) or planes (channels-first), and over channel blocks or row blocks as
 * well when those are fewer than the threads can share evenly.
 */
final class DepthwiseForward implements ForwardPath {
    /** The kernels, named for {@link #name()}. */
    enum Kernel {
        NHWC_GENERAL("dw-nhwc-general", DwNhwcGeneral::rows, null),
        NHWC_3X3S1("dw-nhwc-3x3s1", DwNhwc3x3s1::rows, null),
        NHWC_3X3S2("dw-nhwc-3x3s2", DwNhwc3x3s2::rows, null),
        NCHW_3X3S1("dw-nchw-3x3s1", null, DwNchw3x3s1::planes),
        NCHW_3X3S2("dw-nchw-3x3s2", null, DwNchw3x3s2::planes),
        NCHW_VIA_NHWC_GENERAL("dw-nchw>nhwc-general", DwNhwcGeneral::rows, null),
        NCHW_VIA_NHWC_3X3S1("dw-nchw>nhwc-3x3s1", DwNhwc3x3s1::rows, null),
        NCHW_VIA_NHWC_3X3S2("dw-nchw>nhwc-3x3s2", DwNhwc3x3s2::rows, null);

        final String label;
        final NhwcRows rows;
        final NchwPlanes planes;

        Kernel(String label, NhwcRows rows, NchwPlanes planes) {
            this.label = label;
            this.rows = rows;
            this.planes = planes;
        }

        boolean convertsLayout() {
            return label.startsWith("dw-nchw>");
        }
    }

    /** The signature of {@link DwNchw3x3s1#planes}, shared by the channels-first kernels. */
    @FunctionalInterface
    interface NchwPlanes {
        void planes(ConvGeometry g, float[] x, int xOff, float[] f, float[] bias, int act, float alpha, float[] y,
                    int yOff, int planeFrom, int planeTo, int rowFrom, int rowTo);
    }

    /** The signature of {@link DwNhwcGeneral#rows}, shared by the channels-last kernels. */
    @FunctionalInterface
    interface NhwcRows {
        void rows(ConvGeometry g, float[] x, int xOff, float[] w, int act, float alpha, float[] y, int yOff,
                  int rowFrom, int rowTo, int cFrom, int cTo);
    }

    /** Depthwise (one input channel a group, any multiplier), zero padding, Vector API present. */
    static boolean supports(ConvSpec spec) {
        return Simd.AVAILABLE && spec.padMode() == PadMode.ZEROS && spec.groups() == spec.inChannels();
    }

    /** The kernel for a supported spec. */
    static Kernel choose(ConvSpec spec) {
        ConvGeometry g = spec.geometry();
        boolean last = spec.layout() == Layout.CHANNELS_LAST;
        boolean k3 = g.kD == 1 && g.kH == 3 && g.kW == 3 && g.dH == 1 && g.dW == 1;
        // The channels-first 3x3 kernels take 2-D planes with any padding.
        boolean planar = g.inD == 1;
        if (k3 && g.sH == 1 && g.sW == 1) {
            return last ? Kernel.NHWC_3X3S1 : planar ? Kernel.NCHW_3X3S1 : Kernel.NCHW_VIA_NHWC_3X3S1;
        }
        if (k3 && g.sH == 2 && g.sW == 2) {
            return last ? Kernel.NHWC_3X3S2 : planar ? Kernel.NCHW_3X3S2 : Kernel.NCHW_VIA_NHWC_3X3S2;
        }
        return last ? Kernel.NHWC_GENERAL : Kernel.NCHW_VIA_NHWC_GENERAL;
    }

    /** Work items per thread below which channel blocks are split too. */
    private static final int ITEMS_PER_THREAD = 4;
    /** Spatial positions per work item of a layout conversion. */
    private static final int CONVERT_BLOCK = 2048;

    private final ConvGeometry g;
    private final int threads;
    private final Kernel kernel;
    private final int act;
    private final float alpha;
    private final int multiplier;
    private final int inPixels, outPixels;

    DepthwiseForward(ConvSpec spec, int threads) {
        this(spec, threads, choose(spec));
    }

    /** With a given kernel, for tests and benchmarks that compare kernels on one spec. */
    DepthwiseForward(ConvSpec spec, int threads, Kernel kernel) {
        this.g = spec.geometry();
        this.threads = threads;
        this.kernel = kernel;
        this.act = DwActivation.code(spec.activation());
        this.alpha = spec.activation().alpha();
        this.multiplier = g.kPerGroup;
        this.inPixels = g.inD * g.inH * g.inW;
        this.outPixels = g.outD * g.outH * g.outW;
    }

    @Override
    public void forward(float[] x, float[] filter, float[] bias, float[] y) {
        if (kernel.planes != null) {
            nchw(x, filter, bias, y);
            return;
        }
        float[] w = packed(packedLength());
        DwWeightsPacked.pack(g, filter, bias, VecSpecies.LEN, w);
        forwardPacked(x, w, y);
    }

    /**
     * Channels-first kernels read the weights where they are: the default snapshot. The channels-last
     * ones take them packed, here once instead of per call: packing and checking every weight costs a
     * few microseconds, which on the small late layers of a network (7x7x960) is a sixth of the call.
     */
    @Override
    public Prepared prepare(float[] filter, float[] bias) {
        if (kernel.planes != null) {
            return ForwardPath.super.prepare(filter, bias);
        }
        float[] w = new float[packedLength()];
        DwWeightsPacked.pack(g, filter, bias, VecSpecies.LEN, w);
        return (x, y) -> forwardPacked(x, w, y);
    }

    private int packedLength() {
        return DwWeightsPacked.length(g.k, g.kD * g.kH * g.kW, VecSpecies.LEN);
    }

    /** The channels-last kernels with weights packed by {@link DwWeightsPacked#pack}. */
    private void forwardPacked(float[] x, float[] w, float[] y) {
        if (kernel.convertsLayout()) {
            float[] xt = new float[g.n * inPixels * g.k];
            float[] yt = new float[g.n * outPixels * g.k];
            toChannelsLast(x, xt);
            nhwc(xt, w, yt);
            toChannelsFirst(yt, y);
        } else {
            float[] xk = x;
            if (multiplier > 1) {
                xk = new float[g.n * inPixels * g.k];
                repeatChannels(x, xk);
            }
            nhwc(xk, w, y);
        }
    }

    /** Runs the channels-last kernel over every output row, split over threads. */
    private void nhwc(float[] x, float[] w, float[] y) {
        int rows = g.n * g.outD * g.outH;
        int tiles = (g.k + VecSpecies.LEN - 1) / VecSpecies.LEN;
        int want = threads * ITEMS_PER_THREAD;
        int chunks = threads == 1 || rows >= want ? 1 : Math.min(tiles, (want + rows - 1) / rows);
        NhwcRows kernelRows = kernel.rows;
        Parallel.forRange(threads, rows * chunks, (from, to) -> {
            if (chunks == 1) {
                kernelRows.rows(g, x, 0, w, act, alpha, y, 0, from, to, 0, g.k);
                return;
            }
            for (int item = from; item < to; item++) {
                int row = item / chunks;
                int chunk = item % chunks;
                int cFrom = tiles * chunk / chunks * VecSpecies.LEN;
                int cTo = Math.min(g.k, tiles * (chunk + 1) / chunks * VecSpecies.LEN);
                kernelRows.rows(g, x, 0, w, act, alpha, y, 0, row, row + 1, cFrom, cTo);
            }
        });
    }

    /** Runs a channels-first kernel over every output plane, and over row blocks when planes are few. */
    private void nchw(float[] x, float[] filter, float[] bias, float[] y) {
        int planes = g.n * g.k;
        int want = threads * ITEMS_PER_THREAD;
        int chunks = threads == 1 || planes >= want ? 1 : Math.min(g.outH, (want + planes - 1) / planes);
        NchwPlanes kernelPlanes = kernel.planes;
        Parallel.forRange(threads, planes * chunks, (from, to) -> {
            if (chunks == 1) {
                kernelPlanes.planes(g, x, 0, filter, bias, act, alpha, y, 0, from, to, 0, g.outH);
                return;
            }
            for (int item = from; item < to; item++) {
                int plane = item / chunks;
                int chunk = item % chunks;
                kernelPlanes.planes(g, x, 0, filter, bias, act, alpha, y, 0, plane, plane + 1,
                        g.outH * chunk / chunks, g.outH * (chunk + 1) / chunks);
            }
        });
    }

    /**
     * Packed weights of the calling thread, grown on demand and kept: no allocation (nor zeroing) per
     * call once warm. The worker threads only read them, while the caller waits.
     */
    private static final ThreadLocal<float[][]> PACKED = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] packed(int length) {
        float[][] holder = PACKED.get();
        if (holder[0].length < length) {
            holder[0] = new float[length];
        }
        return holder[0];
    }

    private void repeatChannels(float[] x, float[] xk) {
        int blocks = (inPixels + CONVERT_BLOCK - 1) / CONVERT_BLOCK;
        Parallel.forRange(threads, g.n * blocks, (from, to) -> {
            for (int item = from; item < to; item++) {
                int n = item / blocks;
                int p0 = item % blocks * CONVERT_BLOCK;
                DwChannelRepeat.repeat(x, n * inPixels * g.c, g.c, multiplier, xk, n * inPixels * g.k, p0,
                        Math.min(inPixels, p0 + CONVERT_BLOCK));
            }
        });
    }

    private void toChannelsLast(float[] x, float[] xt) {
        int blocks = (inPixels + CONVERT_BLOCK - 1) / CONVERT_BLOCK;
        Parallel.forRange(threads, g.n * blocks, (from, to) -> {
            for (int item = from; item < to; item++) {
                int n = item / blocks;
                int p0 = item % blocks * CONVERT_BLOCK;
                NchwToNhwc.convert(x, n * inPixels * g.c, g.c, inPixels, multiplier, xt, n * inPixels * g.k, p0,
                        Math.min(inPixels, p0 + CONVERT_BLOCK));
            }
        });
    }

    private void toChannelsFirst(float[] yt, float[] y) {
        int blocks = (outPixels + CONVERT_BLOCK - 1) / CONVERT_BLOCK;
        Parallel.forRange(threads, g.n * blocks, (from, to) -> {
            for (int item = from; item < to; item++) {
                int n = item / blocks;
                int p0 = item % blocks * CONVERT_BLOCK;
                int off = n * outPixels * g.k;
                NhwcToNchw.convert(yt, off, g.k, outPixels, y, off, p0, Math.min(outPixels, p0 + CONVERT_BLOCK));
            }
        });
    }

    @Override
    public String name() {
        return kernel.label;
    }
}
