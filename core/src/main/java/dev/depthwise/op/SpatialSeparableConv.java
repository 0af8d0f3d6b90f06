package dev.depthwise.op;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.ShapeException;
import dev.depthwise.spec.SpatialSeparableSpec;

/** A kh x 1 depthwise stage then a 1 x kw one (bias and activation on the second). Thread-safe. */
public final class SpatialSeparableConv {
    private static final String OP = "spatially separable conv";
    private final SpatialSeparableSpec spec;
    private final Conv vertical;
    private final Conv horizontal;

    private SpatialSeparableConv(SpatialSeparableSpec spec) {
        this.spec = spec;
        this.vertical = Conv.of(spec.vertical());
        this.horizontal = Conv.of(spec.horizontal());
    }

    public static SpatialSeparableConv of(SpatialSeparableSpec spec) {
        if (spec == null) {
            throw new ShapeException(OP + ": spec must not be null");
        }
        return new SpatialSeparableConv(spec);
    }

    public SpatialSeparableSpec spec() {
        return spec;
    }

    /** The output; {@code bias} may be null. */
    public float[] forward(float[] x, float[] verticalFilter, float[] horizontalFilter, float[] bias) {
        check(x, verticalFilter, horizontalFilter, bias);
        return horizontal.forward(vertical.forward(x, verticalFilter, null), horizontalFilter, bias);
    }

    /** Gradients: {@code dx}, vertical filter, horizontal filter, bias (null without bias). */
    public Gradients backward(float[] x, float[] verticalFilter, float[] horizontalFilter, float[] bias,
                              float[] dy) {
        check(x, verticalFilter, horizontalFilter, bias);
        ConvSpec h = spec.horizontal();
        Checks.length(OP, "dy", dy, h.outputLength(), h.outputShape());
        float[] u = vertical.forward(x, verticalFilter, null);
        ConvGradients gh = horizontal.backward(u, horizontalFilter, bias, dy);
        ConvGradients gv = vertical.backward(x, verticalFilter, null, gh.dx());
        return new Gradients(gv.dx(), gv.dfilter(), gh.dfilter(), gh.dbias());
    }

    /** The gradients of a spatially separable convolution. */
    public record Gradients(float[] dx, float[] verticalFilter, float[] horizontalFilter, float[] bias) {
    }

    private void check(float[] x, float[] vf, float[] hf, float[] bias) {
        ConvSpec v = spec.vertical();
        ConvSpec h = spec.horizontal();
        Checks.length(OP, "x", x, v.inputLength(), v.inputShape());
        Checks.length(OP, "vertical filter", vf, v.filterLength(), v.filterShape());
        Checks.length(OP, "horizontal filter", hf, h.filterLength(), h.filterShape());
        if (bias != null) {
            Checks.length(OP, "bias", bias, h.outChannels(), h.biasShape());
        }
    }
}
