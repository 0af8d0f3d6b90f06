package dev.depthwise.nn;

import dev.depthwise.spec.Activation;
import dev.depthwise.spec.ShapeException;

/**
 * Keras's {@code Activation} layer: {@code linear}, {@code relu}, {@code relu6}, {@code leaky_relu},
 * {@code sigmoid} or {@code hard_swish} applied element-wise ({@link Softmax} is a layer of its own,
 * since it is not element-wise).
 */
public final class ActivationLayer extends ActivationFunction {
    private final Activation activation;

    /** The layer applying {@code activation}. */
    public ActivationLayer(Activation activation) {
        if (activation == null) {
            throw new ShapeException("Activation: activation must not be null");
        }
        this.activation = activation;
    }

    /** Keras's spelling, e.g. {@code new ActivationLayer("relu")}. */
    public ActivationLayer(String keras) {
        this(Activation.parse(keras, Activation.DEFAULT_LEAKY_ALPHA));
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public String type() {
        return "Activation";
    }
}
