package dev.depthwise.bench;

import dev.depthwise.op.Conv;
import dev.depthwise.spec.Layout;

/**
 * This library's backward pass of one depthwise layer in one layout: dx, the filter gradient and
 * the bias gradient of {@code Conv.backward}, written into kept arrays (dx one per rotating buffer;
 * the small dfilter and dbias shared), as a training loop that keeps its gradients would call it.
 * Data and filter are in the layout's own order (NHWC with HWIO, NCHW with OIHW), converted once,
 * untimed.
 */
final class OurBackwardSide implements Side {
    private final Layer layer;
    private final int batch;
    private final Layout layout;
    private final Conv conv;
    private final float[] filter;
    private final float[] bias;
    private final float[][] xs;
    private final float[][] dys;
    private final float[][] dxs;
    private final float[] dfilter;
    private final float[] dbias;

    /** {@code d}'s layer with the output gradient {@code dyNchw} (NCHW, as {@code d.x()}). */
    OurBackwardSide(LayerData d, float[] dyNchw, Layout layout, int threads, int buffers) {
        this.layer = d.layer();
        this.batch = d.batch();
        this.layout = layout;
        this.conv = Conv.of(layer.conv(layout, batch), threads);
        boolean last = layout == Layout.CHANNELS_LAST;
        int taps = Layer.KERNEL * Layer.KERNEL;
        this.filter = last ? Layouts.oihwToHwio(d.dwFilter(), layer.c(), 1, taps) : d.dwFilter().clone();
        this.bias = d.dwBias().clone();
        float[] x = last ? toNhwc(d.x(), layer.h() * layer.w()) : d.x();
        float[] dy = last ? toNhwc(dyNchw, layer.outH() * layer.outW()) : dyNchw;
        xs = new float[buffers][];
        dys = new float[buffers][];
        dxs = new float[buffers][];
        for (int i = 0; i < buffers; i++) {
            xs[i] = x.clone();
            dys[i] = dy.clone();
            dxs[i] = new float[x.length];
        }
        dfilter = new float[filter.length];
        dbias = new float[bias.length];
    }

    /** The backward path, e.g. {@code dw-nhwc} (the part of {@link Conv#paths()} after the slash). */
    String path() {
        String p = conv.paths();
        int slash = p.indexOf(" / ");
        return slash < 0 ? p : p.substring(slash + 3);
    }

    @Override
    public void run(int buffer) {
        conv.backward(xs[buffer], filter, bias, dys[buffer], dxs[buffer], dfilter, dbias);
    }

    /** dx of the last run on {@code buffer}, as NCHW. */
    @Override
    public float[] outputNchw(int buffer) {
        if (layout == Layout.CHANNELS_FIRST) {
            return dxs[buffer];
        }
        float[] r = new float[dxs[buffer].length];
        Layouts.nhwcToNchw(dxs[buffer], r, batch, layer.c(), layer.h() * layer.w());
        return r;
    }

    /** The filter gradient of the last run, as ONNX's OIHW. */
    float[] dfilterOihw() {
        return layout == Layout.CHANNELS_FIRST ? dfilter.clone()
                : hwcmToOihw(dfilter, layer.c());
    }

    /** The bias gradient of the last run. */
    float[] dbias() {
        return dbias.clone();
    }

    /** A depthwise filter {@code [taps][C]} (HWIO, or DL4J's HWCM, with M = 1) as {@code [C][taps]} (OIHW). */
    static float[] hwcmToOihw(float[] f, int c) {
        int taps = f.length / c;
        float[] r = new float[f.length];
        for (int t = 0; t < taps; t++) {
            for (int ch = 0; ch < c; ch++) {
                r[ch * taps + t] = f[t * c + ch];
            }
        }
        return r;
    }

    private float[] toNhwc(float[] nchw, int hw) {
        float[] r = new float[nchw.length];
        Layouts.nchwToNhwc(nchw, r, batch, layer.c(), hw);
        return r;
    }
}
