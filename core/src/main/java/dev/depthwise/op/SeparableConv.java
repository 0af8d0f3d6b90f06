package dev.depthwise.op;

import dev.depthwise.kernel.ActivationRef;
import dev.depthwise.kernel.ChannelRef;
import dev.depthwise.spec.Activation;
import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.SeparableSpec;
import dev.depthwise.spec.ShapeException;

/**
 * Depthwise-separable convolution: depthwise stage, middle slot (optional affine, activation),
 * pointwise stage. Composed from two {@link Conv} ops; stateless and thread-safe.
 */
public final class SeparableConv {
    private static final String OP = "separable conv";
    private final SeparableSpec spec;
    private final Conv depthwise;
    private final Conv pointwise;

    private SeparableConv(SeparableSpec spec) {
        this.spec = spec;
        this.depthwise = Conv.of(spec.depthwise());
        this.pointwise = Conv.of(spec.pointwise());
    }

    public static SeparableConv of(SeparableSpec spec) {
        if (spec == null) {
            throw new ShapeException(OP + ": spec must not be null");
        }
        return new SeparableConv(spec);
    }

    public SeparableSpec spec() {
        return spec;
    }

    /** The output, in the depthwise spec's layout. */
    public float[] forward(float[] x, SeparableWeights w) {
        check(x, w);
        Stages s = stages(x, w);
        return pointwise.forward(s.activated, w.pointwiseFilter(), w.pointwiseBias());
    }

    /** The gradients of every parameter and of x for the output gradient {@code dy}. */
    public SeparableGradients backward(float[] x, SeparableWeights w, float[] dy) {
        check(x, w);
        ConvSpec pw = spec.pointwise();
        Checks.length(OP, "dy", dy, pw.outputLength(), pw.outputShape());
        Stages s = stages(x, w);
        ConvGradients gp = pointwise.backward(s.activated, w.pointwiseFilter(), w.pointwiseBias(), dy);
        float[] dv = new float[s.depthwise.length];
        ActivationRef.backward(spec.middle().activation(), s.affine, gp.dx(), dv);
        float[] du = dv;
        float[] dscale = null;
        float[] dshift = null;
        if (spec.middle().affine()) {
            ConvSpec dw = spec.depthwise();
            int c = dw.outChannels();
            du = new float[dv.length];
            dscale = new float[c];
            dshift = new float[c];
            int spatial = dv.length / dw.batch() / c;
            boolean last = dw.layout() == Layout.CHANNELS_LAST;
            ChannelRef.affineBackward(s.depthwise, w.scale(), dv, du, dscale, dshift, dw.batch(), c, spatial,
                    last ? 1 : spatial, last ? c : 1);
        }
        ConvGradients gd = depthwise.backward(x, w.depthwiseFilter(), w.depthwiseBias(), du);
        return new SeparableGradients(gd.dx(), gd.dfilter(), gd.dbias(), dscale, dshift, gp.dfilter(), gp.dbias());
    }

    /** The intermediate tensors: after the depthwise stage, after the affine map, after the activation. */
    private record Stages(float[] depthwise, float[] affine, float[] activated) {
    }

    private Stages stages(float[] x, SeparableWeights w) {
        ConvSpec dw = spec.depthwise();
        float[] u = depthwise.forward(x, w.depthwiseFilter(), w.depthwiseBias());
        float[] v = u;
        if (spec.middle().affine()) {
            int c = dw.outChannels();
            int spatial = u.length / dw.batch() / c;
            boolean last = dw.layout() == Layout.CHANNELS_LAST;
            v = new float[u.length];
            ChannelRef.affine(u, w.scale(), w.shift(), v, dw.batch(), c, spatial, last ? 1 : spatial, last ? c : 1);
        }
        float[] a = v;
        if (spec.middle().activation().kind() != Activation.Kind.NONE) {
            a = v.clone();
            ActivationRef.applyInPlace(spec.middle().activation(), a);
        }
        return new Stages(u, v, a);
    }

    private void check(float[] x, SeparableWeights w) {
        ConvSpec dw = spec.depthwise();
        ConvSpec pw = spec.pointwise();
        if (w == null) {
            throw new ShapeException(OP + ": weights must not be null");
        }
        Checks.length(OP, "x", x, dw.inputLength(), dw.inputShape());
        Checks.length(OP, "depthwise filter", w.depthwiseFilter(), dw.filterLength(), dw.filterShape());
        if (w.depthwiseBias() != null) {
            Checks.length(OP, "depthwise bias", w.depthwiseBias(), dw.outChannels(), dw.biasShape());
        }
        if (spec.middle().affine()) {
            Checks.length(OP, "middle scale", w.scale(), dw.outChannels(), dw.biasShape());
            Checks.length(OP, "middle shift", w.shift(), dw.outChannels(), dw.biasShape());
        } else if (w.scale() != null || w.shift() != null) {
            throw new ShapeException(OP + ": middle scale/shift given but the spec's middle has no affine map");
        }
        Checks.length(OP, "pointwise filter", w.pointwiseFilter(), pw.filterLength(), pw.filterShape());
        if (w.pointwiseBias() != null) {
            Checks.length(OP, "pointwise bias", w.pointwiseBias(), pw.outChannels(), pw.biasShape());
        }
    }
}
