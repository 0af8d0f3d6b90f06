package dev.depthwise.spec;

/**
 * A 2-D depthwise convolution with a kh x kw kernel factored into a kh x 1 stage then a 1 x kw
 * stage (EffNet; Sobel-style rank-1 filters). The vertical stage carries the channel multiplier and
 * the height's stride, dilation and padding; the horizontal one the width's, plus the bias and
 * activation. With zero padding (or any other mode, which is per axis) the result equals a full
 * kh x kw depthwise convolution whose filter is the outer product of the two.
 */
public final class SpatialSeparableSpec {
    private final ConvSpec full;
    private final ConvSpec vertical;
    private final ConvSpec horizontal;

    private SpatialSeparableSpec(ConvSpec full, ConvSpec vertical, ConvSpec horizontal) {
        this.full = full;
        this.vertical = vertical;
        this.horizontal = horizontal;
    }

    /** Factors the 2-D depthwise convolution {@code full} into its two stages. */
    public static SpatialSeparableSpec of(ConvSpec full) {
        if (full == null || full.rank() != 2 || full.groups() != full.inChannels()) {
            throw new ShapeException("spatially separable conv: needs a 2-D depthwise spec, got " + full);
        }
        int[] k = full.kernel();
        int[] s = full.stride();
        int[] d = full.dilation();
        int[] pb = full.padBefore();
        int[] pa = full.padAfter();
        ConvSpec vertical = ConvSpec.builder(full.layout(), full.inputShape()).kernel(k[0], 1)
                .depthwise(full.multiplier()).stride(s[0], 1).dilation(d[0], 1)
                .padding(Padding.explicit(new int[] {pb[0], 0}, new int[] {pa[0], 0}))
                .padMode(full.padMode()).filterLayout(full.filterLayout()).build();
        ConvSpec horizontal = ConvSpec.builder(full.layout(), vertical.outputShape()).kernel(1, k[1])
                .depthwise(1).stride(1, s[1]).dilation(1, d[1])
                .padding(Padding.explicit(new int[] {0, pb[1]}, new int[] {0, pa[1]}))
                .padMode(full.padMode()).filterLayout(full.filterLayout()).activation(full.activation()).build();
        return new SpatialSeparableSpec(full, vertical, horizontal);
    }

    /** The kh x kw convolution this factors. */
    public ConvSpec full() { return full; }

    /** The kh x 1 stage. */
    public ConvSpec vertical() { return vertical; }

    /** The 1 x kw stage (bias and activation). */
    public ConvSpec horizontal() { return horizontal; }

    @Override
    public String toString() {
        return vertical + " | " + horizontal.toString().replaceFirst("^\\S+ (NC\\S* )?", "");
    }
}
