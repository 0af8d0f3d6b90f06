package dev.depthwise.bench;

import dev.depthwise.op.Conv;
import dev.depthwise.op.PreparedConv;
import dev.depthwise.op.SeparableConv;
import dev.depthwise.op.SeparableWeights;
import dev.depthwise.spec.Layout;

/**
 * This library on one layer, for a caller whose data is in {@code dataLayout}. Weights are handed
 * over in the filter layout that goes with the kernel's layout (converted once, untimed: a caller
 * stores them so). If the caller's layout is NCHW and the library runs that only with its reference
 * loops while NHWC has a fast path, the caller transposes: NCHW to NHWC, the NHWC op, back to NCHW,
 * all inside the timed call.
 *
 * <p>Both sides prepack their weights before timing: ONNX Runtime when it creates its session, this
 * library through {@link Conv#prepare} for the depthwise and pointwise layers (untimed, once), so a
 * timed call is {@link PreparedConv#forward(float[], float[])}. The separable layers hand their
 * weights over on every call ({@link SeparableConv} has no prepared form) and write into a kept
 * output, as the other layers do.
 */
final class OurSide implements Side {
    private final Layer layer;
    private final int batch;
    private final Layout dataLayout;
    private final boolean transposes;
    private final String path;
    private final PreparedConv conv;
    private final SeparableConv separable;
    private final SeparableWeights weights;
    private final float[][] xs;
    private final float[][] ys;
    private final float[] xScratch;
    private final float[] yScratch;

    /** The way a caller with {@code dataLayout} data would use the library: see the class comment. */
    static OurSide of(LayerData d, Layout dataLayout, int threads, int buffers) {
        boolean transposes = dataLayout == Layout.CHANNELS_FIRST
                && forwardPaths(d.layer(), Layout.CHANNELS_FIRST, d.batch(), threads).contains("reference")
                && !forwardPaths(d.layer(), Layout.CHANNELS_LAST, d.batch(), threads).contains("reference");
        return new OurSide(d, dataLayout, transposes, threads, buffers);
    }

    /** {@code transposes}: NCHW data through the NHWC op, the transposes timed with it. */
    OurSide(LayerData d, Layout dataLayout, boolean transposes, int threads, int buffers) {
        this.layer = d.layer();
        this.batch = d.batch();
        this.dataLayout = dataLayout;
        this.transposes = transposes && dataLayout == Layout.CHANNELS_FIRST;
        Layout kernelLayout = this.transposes ? Layout.CHANNELS_LAST : dataLayout;
        String kernelPath = forwardPaths(layer, kernelLayout, batch, threads);
        this.path = this.transposes ? "T+" + kernelPath : kernelPath;

        boolean last = kernelLayout == Layout.CHANNELS_LAST;
        int taps = Layer.KERNEL * Layer.KERNEL;
        float[] dwF = d.dwFilter() == null || !last ? d.dwFilter() : Layouts.oihwToHwio(d.dwFilter(), layer.c(), 1, taps);
        float[] pwF = d.pwFilter() == null || !last ? d.pwFilter() : Layouts.oihwToHwio(d.pwFilter(), layer.k(), layer.c(), 1);
        if (layer.kind() == Layer.Kind.SEP) {
            conv = null;
            separable = SeparableConv.of(layer.separable(kernelLayout, batch), threads);
            weights = new SeparableWeights(dwF, d.dwBias(), null, null, pwF, d.pwBias());
        } else {
            float[] filter = layer.kind() == Layer.Kind.DW ? dwF : pwF;
            float[] bias = layer.kind() == Layer.Kind.DW ? d.dwBias() : d.pwBias();
            conv = Conv.of(layer.conv(kernelLayout, batch), threads).prepare(filter, bias);
            separable = null;
            weights = null;
        }

        float[] x = dataLayout == Layout.CHANNELS_LAST ? toNhwc(d.x(), layer.c(), layer.h() * layer.w()) : d.x();
        int outLength = Math.toIntExact(layer.outputLength(batch));
        xs = new float[buffers][];
        ys = new float[buffers][];
        for (int i = 0; i < buffers; i++) {
            xs[i] = x.clone();
            ys[i] = new float[outLength];
        }
        xScratch = this.transposes ? new float[x.length] : null;
        yScratch = this.transposes ? new float[outLength] : null;
    }

    /** The forward path of each stage, e.g. {@code reference} or {@code dw:reference pw:reference}. */
    static String forwardPaths(Layer layer, Layout layout, int batch, int threads) {
        return switch (layer.kind()) {
            case DW, PW -> forwardPath(Conv.of(layer.conv(layout, batch), threads));
            case SEP -> {
                String dw = forwardPath(Conv.of(layer.depthwise(layout, batch), threads));
                String pw = forwardPath(Conv.of(layer.pointwise(layout, batch), threads));
                yield dw.equals(pw) ? dw : "dw:" + dw + " pw:" + pw;
            }
        };
    }

    /** {@link Conv#paths()} reads {@code forward / backward}; the benchmark times the forward one. */
    private static String forwardPath(Conv conv) {
        String p = conv.paths();
        int slash = p.indexOf(" / ");
        return slash < 0 ? p : p.substring(0, slash);
    }

    /** The path column: the kernel path, with {@code T+} when the caller's transposes are timed too. */
    String path() {
        return path;
    }

    boolean transposes() {
        return transposes;
    }

    @Override
    public void run(int buffer) {
        float[] x = xs[buffer];
        if (transposes) {
            Layouts.nchwToNhwc(x, xScratch, batch, layer.c(), layer.h() * layer.w());
            x = xScratch;
        }
        float[] y = transposes ? yScratch : ys[buffer];
        if (conv != null) {
            conv.forward(x, y);
        } else {
            separable.forward(x, weights, y);
        }
        if (transposes) {
            Layouts.nhwcToNchw(y, ys[buffer], batch, layer.k(), layer.outH() * layer.outW());
        }
    }

    @Override
    public float[] outputNchw(int buffer) {
        if (dataLayout == Layout.CHANNELS_FIRST) {
            return ys[buffer];
        }
        float[] r = new float[ys[buffer].length];
        Layouts.nhwcToNchw(ys[buffer], r, batch, layer.k(), layer.outH() * layer.outW());
        return r;
    }

    private float[] toNhwc(float[] nchw, int c, int hw) {
        float[] r = new float[nchw.length];
        Layouts.nchwToNhwc(nchw, r, batch, c, hw);
        return r;
    }
}
