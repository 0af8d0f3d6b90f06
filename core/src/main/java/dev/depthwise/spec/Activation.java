package dev.depthwise.spec;

import java.util.Locale;

/**
 * A fused element-wise activation applied after bias: {@code y = act(conv(x) + bias)}.
 *
 * @param kind  which function
 * @param alpha the negative slope of {@link Kind#LEAKY_RELU}; 0 for the others
 */
public record Activation(Kind kind, float alpha) {

    /** The supported functions. */
    public enum Kind {
        /** Identity. */
        NONE,
        /** {@code max(0, z)}. */
        RELU,
        /** {@code min(max(0, z), 6)} (MobileNet). */
        RELU6,
        /** {@code z >= 0 ? z : alpha * z}. */
        LEAKY_RELU,
        /** {@code 1 / (1 + exp(-z))}. */
        SIGMOID,
        /** {@code z * relu6(z + 3) / 6} (MobileNetV3). */
        HARD_SWISH
    }

    /** Keras's default negative slope for {@code LeakyReLU}. */
    public static final float DEFAULT_LEAKY_ALPHA = 0.3f;

    public static final Activation NONE = new Activation(Kind.NONE, 0f);
    public static final Activation RELU = new Activation(Kind.RELU, 0f);
    public static final Activation RELU6 = new Activation(Kind.RELU6, 0f);
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);
    public static final Activation HARD_SWISH = new Activation(Kind.HARD_SWISH, 0f);

    public Activation {
        if (kind == null) {
            throw new ShapeException("activation: kind must not be null");
        }
        if (!Float.isFinite(alpha)) {
            throw new ShapeException("activation: alpha must be finite, got " + alpha);
        }
        if (kind != Kind.LEAKY_RELU && alpha != 0f) {
            throw new ShapeException("activation: alpha only applies to leaky_relu, got alpha=" + alpha
                    + " for " + kind.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Leaky ReLU with negative slope {@code alpha}. */
    public static Activation leakyRelu(float alpha) {
        return new Activation(Kind.LEAKY_RELU, alpha);
    }

    /**
     * Parses {@code none} (or {@code linear}), {@code relu}, {@code relu6}, {@code leaky_relu}
     * (or {@code leakyrelu}, slope {@code leakyAlpha}), {@code sigmoid}, {@code hard_swish}
     * (or {@code hardswish}).
     */
    public static Activation parse(String text, float leakyAlpha) {
        if (text == null) {
            throw new ShapeException("activation must not be null");
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replace("-", "_");
        return switch (t) {
            case "none", "linear", "identity" -> NONE;
            case "relu" -> RELU;
            case "relu6" -> RELU6;
            case "leaky_relu", "leakyrelu" -> leakyRelu(leakyAlpha);
            case "sigmoid" -> SIGMOID;
            case "hard_swish", "hardswish" -> HARD_SWISH;
            default -> throw new ShapeException("activation must be none, relu, relu6, leaky_relu, sigmoid or "
                    + "hard_swish, got '" + text + "'");
        };
    }

    @Override
    public String toString() {
        String name = kind.name().toLowerCase(Locale.ROOT);
        return kind == Kind.LEAKY_RELU ? name + "(" + alpha + ")" : name;
    }
}
