package dev.depthwise.nn.cost;

import dev.depthwise.spec.ConvSpec;
import dev.depthwise.spec.Layout;
import dev.depthwise.spec.Padding;
import dev.depthwise.spec.ShapeException;
import java.util.Locale;

/**
 * One layer's cost as a standard convolution and as a depthwise-separable one (the MobileNets
 * paper, section 3.1): input {@code H x W x M}, {@code N} output channels, a {@code Dk x Dk}
 * kernel, a stride and a depth multiplier, {@code same} padding, so the output is
 * {@code Df_h x Df_w x N} with {@code Df = ceil(D / stride)}.
 *
 * <pre>
 * standard:  Dk*Dk*M*N*Df*Df             params Dk*Dk*M*N
 * separable: Dk*Dk*M*Df*Df + M*N*Df*Df   params Dk*Dk*M + M*N
 * ratio:     1/N + 1/Dk^2                (times the multiplier when it is not 1)
 * </pre>
 *
 * Parameters are kernel weights only (no biases), as in the paper. Both costs are read off the
 * convolution specs the library would run, so the formula is checked, not assumed.
 */
public final class CostComparison {
    private final int h, w, m, n, k, stride, multiplier;
    private final ConvSpec standard;
    private final ConvSpec depthwise;
    private final ConvSpec pointwise;

    private CostComparison(int h, int w, int m, int n, int k, int stride, int multiplier, ConvSpec standard,
                           ConvSpec depthwise, ConvSpec pointwise) {
        this.h = h;
        this.w = w;
        this.m = m;
        this.n = n;
        this.k = k;
        this.stride = stride;
        this.multiplier = multiplier;
        this.standard = standard;
        this.depthwise = depthwise;
        this.pointwise = pointwise;
    }

    /**
     * The comparison for an {@code h x w x m} input, {@code n} output channels, a {@code k x k}
     * kernel, {@code stride} and depth {@code multiplier}.
     */
    public static CostComparison of(int h, int w, int m, int n, int k, int stride, int multiplier) {
        String[] names = {"input height", "input width", "input channels M", "output channels N", "kernel Dk",
            "stride", "depth multiplier"};
        int[] values = {h, w, m, n, k, stride, multiplier};
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1) {
                throw new ShapeException("explain: " + names[i] + " must be >= 1, got " + values[i]);
            }
        }
        try {
            ConvSpec std = ConvSpec.builder(Layout.CHANNELS_LAST, 1, h, w, m).kernel(k, k).conv(n, 1).stride(stride)
                    .padding(Padding.same()).build();
            ConvSpec dw = ConvSpec.builder(Layout.CHANNELS_LAST, 1, h, w, m).kernel(k, k).depthwise(multiplier)
                    .stride(stride).padding(Padding.same()).build();
            ConvSpec pw = ConvSpec.builder(Layout.CHANNELS_LAST, dw.outputShape()).pointwise(n).build();
            return new CostComparison(h, w, m, n, k, stride, multiplier, std, dw, pw);
        } catch (ShapeException e) {
            throw new ShapeException("explain: " + e.getMessage());
        }
    }

    /** The input as {@code {H, W, M}}. */
    public int[] input() { return new int[] {h, w, m}; }

    /** Output channels {@code N}. */
    public int outputChannels() { return n; }

    /** Kernel size {@code Dk}. */
    public int kernel() { return k; }

    public int stride() { return stride; }

    public int multiplier() { return multiplier; }

    /** Output height and width, {@code Df}. */
    public int[] outputSpatial() { return standard.outputSpatial(); }

    public long standardParams() { return standard.filterLength(); }

    public long standardMultAdds() { return standard.multAdds(); }

    public long depthwiseParams() { return depthwise.filterLength(); }

    public long depthwiseMultAdds() { return depthwise.multAdds(); }

    public long pointwiseParams() { return pointwise.filterLength(); }

    public long pointwiseMultAdds() { return pointwise.multAdds(); }

    public long separableParams() { return depthwiseParams() + pointwiseParams(); }

    public long separableMultAdds() { return depthwiseMultAdds() + pointwiseMultAdds(); }

    /** Measured separable / standard multiply-adds. */
    public double ratio() { return (double) separableMultAdds() / standardMultAdds(); }

    /** Measured separable / standard parameters (the same formula: Df cancels). */
    public double paramsRatio() { return (double) separableParams() / standardParams(); }

    /** The paper's {@code 1/N + 1/Dk^2}, times the depth multiplier. */
    public double formulaRatio() { return multiplier * (1.0 / n + 1.0 / ((double) k * k)); }

    /** The table, the two formulas with this layer's numbers, the measured ratio and the paper's. */
    public String toText() {
        int[] df = outputSpatial();
        String dfs = df[0] == df[1] ? "Df*Df" : "Dfh*Dfw";
        String dfv = df[0] + "*" + df[1];
        String mm = multiplier == 1 ? "M" : "M*" + multiplier;
        String mv = multiplier == 1 ? String.valueOf(m) : m + "*" + multiplier;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Layer: input %dx%dx%d, %d output channels, %dx%d kernel, stride %d%s, "
                + "padding same -> output %dx%dx%d%n%n", h, w, m, n, k, k, stride,
                multiplier == 1 ? "" : ", depth multiplier " + multiplier, df[0], df[1], n));
        String row = "  %-24s %14s %18s%n";
        s.append(String.format(Locale.ROOT, row, "", "params", "mult-adds"));
        s.append(String.format(Locale.ROOT, row, "standard convolution", Summary.group(standardParams()),
                Summary.group(standardMultAdds())));
        s.append(String.format(Locale.ROOT, row, "depthwise separable", Summary.group(separableParams()),
                Summary.group(separableMultAdds())));
        s.append(String.format(Locale.ROOT, row, "  depthwise " + k + "x" + k, Summary.group(depthwiseParams()),
                Summary.group(depthwiseMultAdds())));
        s.append(String.format(Locale.ROOT, row, "  pointwise 1x1", Summary.group(pointwiseParams()),
                Summary.group(pointwiseMultAdds())));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "standard:   Dk*Dk*M*N*%s = %d*%d*%d*%d*%s = %s%n", dfs, k, k, m, n, dfv,
                Summary.group(standardMultAdds())));
        s.append(String.format(Locale.ROOT, "separable:  Dk*Dk*%s*%s + %s*N*%s = %d*%d*%s*%s + %s*%d*%s = %s%n", mm, dfs,
                mm, dfs, k, k, mv, dfv, mv, n, dfv, Summary.group(separableMultAdds())));
        s.append(String.format(Locale.ROOT, "ratio:      %s / %s = %.4f (measured)%n",
                Summary.group(separableMultAdds()), Summary.group(standardMultAdds()), ratio()));
        String times = multiplier == 1 ? "" : multiplier + " * ";
        s.append(String.format(Locale.ROOT, "            %s1/N + 1/Dk^2%s = %s1/%d + 1/%d%s = %.4f (the paper's formula)%n",
                times.isEmpty() ? "" : times + "(", times.isEmpty() ? "" : ")", times.isEmpty() ? "" : times + "(", n,
                k * k, times.isEmpty() ? "" : ")", formulaRatio()));
        s.append(String.format(Locale.ROOT, "            %.1fx fewer mult-adds, %.1fx fewer parameters%n", 1 / ratio(),
                1 / paramsRatio()));
        return s.toString();
    }

    /**
     * One JSON object: {@code input}, {@code output}, {@code kernel}, {@code stride},
     * {@code depth_multiplier}, {@code standard} and {@code separable} (each with {@code params} and
     * {@code mult_adds}; separable also with its {@code depthwise} and {@code pointwise} stages),
     * {@code ratio} (measured mult-adds), {@code params_ratio} and {@code formula_ratio}.
     */
    public String toJson() {
        int[] df = outputSpatial();
        Json j = new Json().begin();
        j.field("input", new int[] {h, w, m}).field("output", new int[] {df[0], df[1], n}).field("kernel", k)
                .field("stride", stride).field("depth_multiplier", multiplier).field("padding", "same");
        j.key("standard").begin().field("params", standardParams()).field("mult_adds", standardMultAdds()).end();
        j.key("separable").begin().field("params", separableParams()).field("mult_adds", separableMultAdds());
        j.key("depthwise").begin().field("params", depthwiseParams()).field("mult_adds", depthwiseMultAdds()).end();
        j.key("pointwise").begin().field("params", pointwiseParams()).field("mult_adds", pointwiseMultAdds()).end();
        j.end();
        j.field("ratio", ratio()).field("params_ratio", paramsRatio()).field("formula_ratio", formulaRatio());
        return j.end().toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}
