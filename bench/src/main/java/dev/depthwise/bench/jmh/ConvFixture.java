package dev.depthwise.bench.jmh;

import dev.depthwise.bench.Layer;
import dev.depthwise.bench.MobileNets;
import dev.depthwise.op.Conv;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import java.util.SplittableRandom;

/**
 * One network layer ready to run through {@link Conv}: random input, weights and bias, and
 * input/output buffers rotated so that together they span at least {@value #ROTATE_BYTES} bytes
 * (an input is not still in cache from the call before).
 */
final class ConvFixture {
    static final long ROTATE_BYTES = 8L << 20;

    final Layer layer;
    final int batch;
    final Conv conv;
    final float[] filter;
    final float[] bias;
    final float[][] xs;
    final float[][] ys;
    /** Floating-point operations and bytes of one call, in units of 10^9. */
    final double gigaFlops;
    final double gigaBytes;
    private int next;

    /**
     * @param id     {@code v1/...} or {@code v2/...} and a {@link Layer#id()}
     * @param layout {@code NHWC} or {@code NCHW}
     */
    ConvFixture(Layer.Kind kind, String id, int batch, String layout, int threads) {
        int slash = id.indexOf('/');
        MobileNets.Model model = MobileNets.Model.parse(id.substring(0, slash));
        this.layer = MobileNets.byId(model, kind, id.substring(slash + 1));
        this.batch = batch;
        ConvSpec spec = layer.conv(Layout.parse(layout, 2), batch);
        this.conv = Conv.of(spec, threads);
        SplittableRandom r = new SplittableRandom(42);
        filter = uniform(r, spec.filterLength(), 1 / Math.sqrt((double) spec.filterLength() / spec.outChannels()));
        bias = uniform(r, spec.outChannels(), 0.1);
        long perBuffer = 4L * (spec.inputLength() + spec.outputLength());
        int buffers = (int) Math.max(1, Math.min(64, (ROTATE_BYTES + perBuffer - 1) / perBuffer));
        float[] x = uniform(r, spec.inputLength(), 1);
        xs = new float[buffers][];
        ys = new float[buffers][];
        for (int i = 0; i < buffers; i++) {
            xs[i] = x.clone();
            ys[i] = new float[spec.outputLength()];
        }
        gigaFlops = layer.flops(batch) / 1e9;
        gigaBytes = layer.bytes(batch) / 1e9;
    }

    /** One forward pass on the next buffer. */
    float[] forward() {
        int i = next;
        next = i + 1 == xs.length ? 0 : i + 1;
        conv.forward(xs[i], filter, bias, ys[i]);
        return ys[i];
    }

    private static float[] uniform(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
