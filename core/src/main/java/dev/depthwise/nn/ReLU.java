package dev.depthwise.nn;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ShapeException;

/**
 * Keras's {@code ReLU(max_value)}: {@code max(0, x)}, or {@code min(max(0, x), 6)} with
 * {@code max_value} 6 (ReLU6, MobileNet's activation). Other caps are refused: the kernels have
 * exactly these two.
 */
public final class ReLU extends ActivationFunction {
    private final Activation activation;

    /** Plain ReLU. */
    public ReLU() {
        this.activation = Activation.RELU;
    }

    /** ReLU capped at {@code maxValue}, which must be 6 (ReLU6). */
    public ReLU(double maxValue) {
        if (maxValue != 6) {
            throw new ShapeException("ReLU: max_value must be 6 (ReLU6) or unset, got " + maxValue);
        }
        this.activation = Activation.RELU6;
    }

    /** {@code new ReLU(6)}: MobileNet's activation. */
    public static ReLU relu6() {
        return new ReLU(6);
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public String type() {
        return "ReLU";
    }
}
