package dev.depthwise.spec;

/**
 * A depthwise-separable convolution: a depthwise stage (which carries the stride, dilation and
 * padding), an optional middle slot, then a pointwise (1x1) stage to {@code outChannels}.
 * Keras's {@code SeparableConv2D} and Xception put nothing in the middle ({@link Middle#NONE});
 * MobileNet puts batch norm and ReLU there ({@link Middle#batchNorm(Activation)}).
 */
public final class SeparableSpec {

    /**
     * What sits between the two stages: an optional per-channel affine map (batch norm in
     * inference form, {@code scale * u + shift}) followed by an activation.
     */
    public record Middle(boolean affine, Activation activation) {
        /** Nothing between the stages (Keras, Xception). */
        public static final Middle NONE = new Middle(false, Activation.NONE);

        public Middle {
            if (activation == null) {
                throw new ShapeException("separable conv: middle activation must not be null");
            }
        }

        /** Batch norm (as a per-channel scale and shift) then {@code activation} (MobileNet). */
        public static Middle batchNorm(Activation activation) {
            return new Middle(true, activation);
        }
    }

    private final ConvSpec depthwise;
    private final Middle middle;
    private final ConvSpec pointwise;

    private SeparableSpec(ConvSpec depthwise, Middle middle, ConvSpec pointwise) {
        this.depthwise = depthwise;
        this.middle = middle;
        this.pointwise = pointwise;
    }

    /**
     * The separable convolution whose first stage is {@code depthwise} (a depthwise spec without
     * activation), then {@code middle}, then a pointwise stage to {@code outChannels} with
     * {@code activation}, in the depthwise spec's layout and filter layout.
     */
    public static SeparableSpec of(ConvSpec depthwise, Middle middle, int outChannels, Activation activation) {
        if (depthwise == null || middle == null || activation == null) {
            throw new ShapeException("separable conv: depthwise spec, middle and activation must not be null");
        }
        if (!depthwise.isDepthwise() && depthwise.groups() != depthwise.inChannels()) {
            throw new ShapeException("separable conv: the first stage must be depthwise (groups == channels "
                    + depthwise.inChannels() + "), got groups " + depthwise.groups());
        }
        if (depthwise.activation().kind() != Activation.Kind.NONE) {
            throw new ShapeException("separable conv: the depthwise stage's activation must be none (the "
                    + "middle slot holds it), got " + depthwise.activation());
        }
        ConvSpec pointwise = ConvSpec.builder(depthwise.layout(), depthwise.outputShape())
                .pointwise(outChannels).filterLayout(depthwise.filterLayout()).activation(activation).build();
        return new SeparableSpec(depthwise, middle, pointwise);
    }

    public ConvSpec depthwise() { return depthwise; }

    public Middle middle() { return middle; }

    public ConvSpec pointwise() { return pointwise; }

    @Override
    public String toString() {
        String mid = middle.affine() ? " | bn" : "";
        if (middle.activation().kind() != Activation.Kind.NONE) {
            mid += (mid.isEmpty() ? " | " : "+") + middle.activation();
        }
        return depthwise + mid + " | " + pointwise.toString().replaceFirst("^\\S+ (NC\\S* )?", "");
    }
}
