package dev.depthwise.op;

import dev.depthwise.kernel.DwBackwardBiasNhwc;
import dev.depthwise.kernel.DwBackwardLayout;
import dev.depthwise.kernel.DwBackwardNhwc3x3s1;
import dev.depthwise.kernel.DwBackwardNhwc9t;
import dev.depthwise.kernel.NchwToNhwc;
import dev.depthwise.kernel.NhwcToNchw;
import dev.depthwise.kernel.Simd;
import dev.depthwise.spec.ConvGeometry;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.PadMode;
import java.util.Arrays;

/**
 * The fast gradients of a zero-padded depthwise convolution, any rank, stride, dilation and
 * multiplier: {@link DwBackwardNhwc9t} (or, for a 2-D 3x3 stride-1 layer with multiplier 1,
 * {@link DwBackwardNhwc3x3s1}, which keeps the dz columns in registers along a row and sums the bias
 * gradient from them: in the dwgrad bench it took MobileNetV2's stride-1 layers from 2.1-2.8x their
 * forward time to 1.2-1.9x) computes dx and the filter gradient in one gather over the input rows,
 * which the threads split, straight into the caller's dx (channels-last); each thread
 * sums the filter (and {@link DwBackwardBiasNhwc} bias) gradient into its own part of a kept array,
 * and these are added in a fixed order, so a given thread count always gives the same bits. Warm,
 * it allocates no arrays: the copies, sums and tables live in the calling thread's kept memory.
 *
 * <p>The kernels read channels-last data, with the output channel {@code c*M + m} as M planes of C
 * channels and the weights as {@code [taps][m][c]}: this class packs the filter from either filter
 * layout, moves channels-first tensors to channels-last and dx back ({@link NchwToNhwc},
 * {@link NhwcToNchw}), and splits the planes for M > 1 ({@link DwBackwardLayout}). Converting costs
 * one read and write of x, dz and dx; channels-first 3x3 stride-1 layers with multiplier 1 avoid it
 * ({@link DepthwiseBackwardNchw3x3s1}), while at strides 2 and 3 a row-vectorised kernel's loads
 * would turn into gathers.
 */
final class DepthwiseBackward implements BackwardPath {
    /**
     * The calling thread's working memory, grown on demand and kept, so a warm op allocates no
     * arrays: the layout copies, the packed filter and each part's filter and bias sums in one float
     * array, each part's kernel tables in its own int array. The parts run on other threads, but
     * the caller waits for them, so they can use the caller's memory.
     */
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** The sums of one part start on their own cache line (16 floats), away from the next part's. */
    private static final int LINE = 16;

    private final ConvGeometry g;
    private final int threads;
    private final boolean channelsFirst;
    private final boolean tfFilter;
    private final int taps;
    private final int inSpatial;
    private final int outSpatial;
    /** {@link DwBackwardNhwc3x3s1} fits (else {@link DwBackwardNhwc9t}). */
    private final boolean s1;

    /** Depthwise, zero padding, and the Vector API present (else no class of the kernels is loaded). */
    static boolean supports(ConvSpec spec) {
        return Simd.AVAILABLE && spec.isDepthwise() && spec.padMode() == PadMode.ZEROS;
    }

    DepthwiseBackward(ConvSpec spec, int threads) {
        this.g = spec.geometry();
        this.threads = threads;
        this.channelsFirst = spec.layout() == Layout.CHANNELS_FIRST;
        this.taps = g.kD * g.kH * g.kW;
        // TensorFlow's [taps][C][M] is already the kernels' [taps][m][c] when M = 1
        this.tfFilter = spec.filterLayout() == FilterLayout.SPATIAL_IN_OUT && g.kPerGroup == 1;
        this.inSpatial = g.inD * g.inH * g.inW;
        this.outSpatial = g.outD * g.outH * g.outW;
        this.s1 = DwBackwardNhwc3x3s1.fits(g);
    }

    @Override
    public void backward(float[] x, float[] filter, float[] bias, float[] dz, float[] dx, float[] dfilter,
                         float[] dbias) {
        final int c = g.c;
        final int m = g.kPerGroup;
        final int k = g.k;
        final boolean wantBias = bias != null;
        final int rows = g.n * g.inD * g.inH;
        final int parts = Math.min(threads, rows);
        final int outPixels = g.n * outSpatial;
        final int accLen = taps * k + (wantBias ? k : 0);
        final int accStride = (accLen + LINE - 1) / LINE * LINE;
        // the floats, as needed: [x | dz | dz planes | dx] (layout copies) [packed filter] [sums of each part]
        final int xLen = x.length;
        final int dzLen = dz.length;
        final int dzAt = channelsFirst ? xLen : 0;
        final int planesAt = dzAt + (channelsFirst ? dzLen : 0);
        final int dxAt = planesAt + (m > 1 ? dzLen : 0);
        final int wAt = dxAt + (channelsFirst ? xLen : 0);
        final int accAt = wAt + (tfFilter ? 0 : taps * k);
        Work work = WORK.get();
        final float[] tmp = work.floats(accAt + parts * accStride);
        final int[][] tables = work.tables(parts, DwBackwardNhwc9t.scratchLength(g));
        final float[] w = tfFilter ? filter : tmp;
        final int wOff = tfFilter ? 0 : wAt;
        if (!tfFilter) {
            pack(filter, tmp, wAt);
        }
        if (channelsFirst) {
            channelsLast(x, c, inSpatial, tmp, 0);
            channelsLast(dz, k, outSpatial, tmp, dzAt);
        }
        if (m > 1) {
            float[] src = channelsFirst ? tmp : dz;
            Parallel.forRange(threads, outPixels,
                    (from, to) -> DwBackwardLayout.splitPlanes(src, dzAt, tmp, planesAt, c, m, from, to));
        }
        final float[] xl = channelsFirst ? tmp : x;
        final float[] dzl = channelsFirst || m > 1 ? tmp : dz;
        final int dzlAt = m > 1 ? planesAt : dzAt;
        // the kernel writes every dx element of its rows, so the caller's dx needs no zeroing
        final float[] dxl = channelsFirst ? tmp : dx;
        final int dxlAt = channelsFirst ? dxAt : 0;
        Parallel.forRange(parts, parts, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int r0 = share(rows, p, parts);
                int r1 = share(rows, p + 1, parts);
                int at = accAt + p * accStride;
                Arrays.fill(tmp, at, at + accLen, 0f);
                if (s1) {
                    // sums the bias gradient in the same pass
                    DwBackwardNhwc3x3s1.rows(g, xl, 0, dzl, dzlAt, w, wOff, dxl, dxlAt, tmp, at,
                            wantBias ? at + taps * k : -1, r0, r1);
                } else {
                    DwBackwardNhwc9t.rows(g, xl, 0, dzl, dzlAt, w, wOff, dxl, dxlAt, tmp, at, r0, r1, tables[p]);
                }
                if (channelsFirst) {
                    toChannelsFirst(dxl, dxlAt, dx, r0 * g.inW, r1 * g.inW);
                }
                if (wantBias && !s1) {
                    DwBackwardBiasNhwc.pixels(dzl, dzlAt, k, tmp, at + taps * k, share(outPixels, p, parts),
                            share(outPixels, p + 1, parts));
                }
            }
        });
        // the parts' sums added in part order: the same bits for the same thread count
        for (int p = 1; p < parts; p++) {
            int a = accAt + p * accStride;
            for (int i = 0; i < accLen; i++) {
                tmp[accAt + i] += tmp[a + i];
            }
        }
        if (tfFilter) {
            System.arraycopy(tmp, accAt, dfilter, 0, taps * k);
        } else {
            unpack(tmp, accAt, dfilter);
        }
        if (wantBias) {
            int b = accAt + taps * k;
            for (int p = 0; p < m; p++) {
                for (int ch = 0; ch < c; ch++) {
                    dbias[ch * m + p] = tmp[b + p * c + ch];
                }
            }
        }
    }

    /** A thread's kept working memory (see {@link #WORK}). */
    private static final class Work {
        private float[] floats = new float[0];
        private int[][] tables = new int[0][];

        /** At least {@code length} floats; contents undefined. */
        float[] floats(int length) {
            if (floats.length < length) {
                floats = new float[length];
            }
            return floats;
        }

        /** At least {@code parts} int arrays of at least {@code length} each; contents undefined. */
        int[][] tables(int parts, int length) {
            if (tables.length < parts) {
                tables = Arrays.copyOf(tables, parts);
            }
            for (int p = 0; p < parts; p++) {
                if (tables[p] == null || tables[p].length < length) {
                    tables[p] = new int[length];
                }
            }
            return tables;
        }
    }

    /** The start of part {@code p} of {@code n} items split into {@code parts}. */
    private static int share(int n, int p, int parts) {
        return (int) ((long) n * p / parts);
    }

    /** Channels-first {@code a} of {@code ch} channels, channels-last into {@code out} at {@code off}. */
    private void channelsLast(float[] a, int ch, int spatial, float[] out, int off) {
        Parallel.forRange(threads, g.n * spatial, (from, to) -> {
            for (int pos = from; pos < to; ) {
                int n = pos / spatial;
                int s1 = Math.min(spatial, to - n * spatial);
                int image = n * ch * spatial;
                NchwToNhwc.convert(a, image, ch, spatial, 1, out, off + image, pos - n * spatial, s1);
                pos = n * spatial + s1;
            }
        });
    }

    /** Positions {@code [from, to)} of the flattened (n, spatial) of channels-last dx, channels-first. */
    private void toChannelsFirst(float[] dxl, int off, float[] dx, int from, int to) {
        int c = g.c;
        for (int pos = from; pos < to; ) {
            int n = pos / inSpatial;
            int s1 = Math.min(inSpatial, to - n * inSpatial);
            int image = n * c * inSpatial;
            NhwcToNchw.convert(dxl, off + image, c, inSpatial, dx, image, pos - n * inSpatial, s1);
            pos = n * inSpatial + s1;
        }
    }

    /** Index into the user's filter of tap {@code t}, output channel {@code ch*M + p}. */
    private int filterIndex(int t, int ch, int p) {
        int kw = t % g.kW;
        int kh = t / g.kW % g.kH;
        int kd = t / g.kW / g.kH;
        return (ch * g.kPerGroup + p) * g.fO + kd * g.fD + kh * g.fH + kw * g.fW;
    }

    /** The filter as {@code [taps][m][c]}, into {@code w} at {@code off}. */
    private void pack(float[] filter, float[] w, int off) {
        int c = g.c;
        int m = g.kPerGroup;
        for (int t = 0; t < taps; t++) {
            for (int p = 0; p < m; p++) {
                for (int ch = 0; ch < c; ch++) {
                    w[off + (t * m + p) * c + ch] = filter[filterIndex(t, ch, p)];
                }
            }
        }
    }

    /** The filter gradient into {@code df}, in the user's filter layout, from {@code [taps][m][c]} sums at {@code off}. */
    private void unpack(float[] sums, int off, float[] df) {
        int c = g.c;
        int m = g.kPerGroup;
        for (int t = 0; t < taps; t++) {
            for (int p = 0; p < m; p++) {
                for (int ch = 0; ch < c; ch++) {
                    df[filterIndex(t, ch, p)] = sums[off + (t * m + p) * c + ch];
                }
            }
        }
    }

    @Override
    public String name() {
        return (s1 ? "DwBackwardNhwc3x3s1" : "DwBackwardNhwc9t") + (g.kPerGroup > 1 ? "+planes" : "")
                + (channelsFirst ? " via NHWC" : "");
    }
}
