package dev.depthwise.bench;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.FilterLayout;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.SeparableSpec;

/**
 * One layer shape of a network: a 3x3 depthwise layer ('same' padding, multiplier 1), a pointwise
 * (1x1) layer, or a separable block (that depthwise layer, ReLU, then the pointwise layer).
 *
 * @param kind   which of the three
 * @param h      input height
 * @param w      input width
 * @param c      input channels
 * @param stride the depthwise stride (1 for a pointwise layer)
 * @param k      output channels of the pointwise stage ({@code c} for a depthwise layer)
 */
public record Layer(Kind kind, int h, int w, int c, int stride, int k) {

    /** The three kinds of layer the benchmarks time. */
    public enum Kind {
        /** 3x3 depthwise. */
        DW,
        /** 1x1 pointwise. */
        PW,
        /** 3x3 depthwise, ReLU, 1x1 pointwise. */
        SEP
    }

    /** The depthwise kernel size of every layer here. */
    public static final int KERNEL = 3;

    public static Layer dw(int h, int w, int c, int stride) {
        return new Layer(Kind.DW, h, w, c, stride, c);
    }

    public static Layer pw(int h, int w, int c, int k) {
        return new Layer(Kind.PW, h, w, c, 1, k);
    }

    public static Layer sep(int h, int w, int c, int stride, int k) {
        return new Layer(Kind.SEP, h, w, c, stride, k);
    }

    /** For the table: {@code 112x112x32 s1} (dw), {@code 112x112 32>16} (pw), {@code 112x112x32 s1 >16} (sep). */
    public String name() {
        return switch (kind) {
            case DW -> h + "x" + w + "x" + c + " s" + stride;
            case PW -> h + "x" + w + " " + c + ">" + k;
            case SEP -> h + "x" + w + "x" + c + " s" + stride + " >" + k;
        };
    }

    /** For JMH parameters (no spaces): {@code 112x112x32s1}, {@code 112x112:32-16}, {@code 112x112x32s1-16}. */
    public String id() {
        return switch (kind) {
            case DW -> h + "x" + w + "x" + c + "s" + stride;
            case PW -> h + "x" + w + ":" + c + "-" + k;
            case SEP -> h + "x" + w + "x" + c + "s" + stride + "-" + k;
        };
    }

    /** Output height ('same' padding: ceil(h / stride)). */
    public int outH() {
        return (h + stride - 1) / stride;
    }

    /** Output width. */
    public int outW() {
        return (w + stride - 1) / stride;
    }

    /** The filter layout that goes with a data layout: TensorFlow's HWIO for NHWC, ONNX's OIHW for NCHW. */
    public static FilterLayout filterLayout(Layout layout) {
        return layout == Layout.CHANNELS_LAST ? FilterLayout.SPATIAL_IN_OUT : FilterLayout.OUT_IN_SPATIAL;
    }

    /** The depthwise stage (DW and SEP). */
    public ConvSpec depthwise(Layout layout, int batch) {
        if (kind == Kind.PW) {
            throw new IllegalStateException("a pointwise layer has no depthwise stage");
        }
        return ConvSpec.builder(layout, shape(layout, batch, c, h, w)).kernel(KERNEL, KERNEL).depthwise(1)
                .stride(stride).padding(Padding.same()).filterLayout(filterLayout(layout)).build();
    }

    /** The pointwise stage (PW and SEP): from the depthwise output for SEP, from the input for PW. */
    public ConvSpec pointwise(Layout layout, int batch) {
        if (kind == Kind.DW) {
            throw new IllegalStateException("a depthwise layer has no pointwise stage");
        }
        return ConvSpec.builder(layout, shape(layout, batch, c, outH(), outW())).pointwise(k)
                .filterLayout(filterLayout(layout)).build();
    }

    /** The single conv of a DW or PW layer. */
    public ConvSpec conv(Layout layout, int batch) {
        return kind == Kind.PW ? pointwise(layout, batch) : depthwise(layout, batch);
    }

    /** A SEP block as one spec: depthwise (with bias), ReLU, pointwise (with bias), no BN scale. */
    public SeparableSpec separable(Layout layout, int batch) {
        return SeparableSpec.of(depthwise(layout, batch), new SeparableSpec.Middle(false, Activation.RELU), k,
                Activation.NONE);
    }

    /** Elements of the input. */
    public long inputLength(int batch) {
        return (long) batch * h * w * c;
    }

    /** Elements of the output. */
    public long outputLength(int batch) {
        return (long) batch * outH() * outW() * k;
    }

    /** Filter and bias elements of every stage. */
    public long weightLength() {
        long dw = (long) KERNEL * KERNEL * c + c;
        long pw = (long) c * k + k;
        return switch (kind) {
            case DW -> dw;
            case PW -> pw;
            case SEP -> dw + pw;
        };
    }

    /** Floating-point operations of one forward pass: two per multiply-add (bias and ReLU not counted). */
    public long flops(int batch) {
        long dw = 2L * KERNEL * KERNEL * batch * outH() * outW() * c;
        long pw = 2L * batch * outH() * outW() * c * k;
        return switch (kind) {
            case DW -> dw;
            case PW -> pw;
            case SEP -> dw + pw;
        };
    }

    /**
     * Bytes a forward pass must move at least once: input, output and weights, as floats. A SEP
     * block's intermediate tensor is not counted (a fused kernel need not write it).
     */
    public long bytes(int batch) {
        return 4 * (inputLength(batch) + outputLength(batch) + weightLength());
    }

    private static int[] shape(Layout layout, int n, int c, int h, int w) {
        return layout == Layout.CHANNELS_LAST ? new int[] {n, h, w, c} : new int[] {n, c, h, w};
    }
}
