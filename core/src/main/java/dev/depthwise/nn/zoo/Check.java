package dev.depthwise.nn.zoo;

import dev.depthwise.spec.ShapeException;

/** The builders' hyper-parameter checks, each naming the model, the parameter, its value and the rule. */
final class Check {
    private Check() {
    }

    /**
     * The largest width multiplier (alpha, scale) accepted: 16 times the paper's widths is already a
     * billion-parameter MobileNet, and larger values would overflow the channel counts.
     */
    static final double MAX_MULTIPLIER = 16;

    /** A width multiplier: {@code 0 < value <= 16}. */
    static double positive(String model, String name, double value) {
        if (!(value > 0) || !(value <= MAX_MULTIPLIER)) {
            throw new ShapeException(model + ": " + name + " must be > 0 and <= " + (int) MAX_MULTIPLIER + ", got "
                    + value);
        }
        return value;
    }

    /** {@code value >= 1}. */
    static int atLeastOne(String model, String name, int value) {
        if (value < 1) {
            throw new ShapeException(model + ": " + name + " must be >= 1, got " + value);
        }
        return value;
    }

    /** A resolution that the architecture's {@code halvings} stride-2 stages divide exactly. */
    static int resolution(String model, int value, int halvings) {
        int unit = 1 << halvings;
        if (value < unit || value % unit != 0) {
            throw new ShapeException(model + ": resolution must be a positive multiple of " + unit + " (its "
                    + halvings + " stride-2 stages halve it exactly), got " + value);
        }
        return value;
    }

    /** {@code int(channels * alpha)} (Keras's rounding), refused when it leaves no channel. */
    static int scaled(String model, String param, double alpha, int channels) {
        int c = (int) (channels * alpha);
        if (c < 1) {
            throw new ShapeException(model + ": " + param + " " + alpha + " leaves " + channels + " * " + alpha
                    + " < 1 channel; it must be >= " + (1.0 / channels));
        }
        return c;
    }
}
