package dev.depthwise.nn;

import dev.depthwise.spec.Activation;

/** Keras's {@code LeakyReLU(alpha=0.3)}: {@code x >= 0 ? x : alpha * x} (EffNet's activation). */
public final class LeakyReLU extends ActivationFunction {
    private final Activation activation;

    /** Keras's default slope, 0.3. */
    public LeakyReLU() {
        this(Activation.DEFAULT_LEAKY_ALPHA);
    }

    /** Negative slope {@code alpha}. */
    public LeakyReLU(float alpha) {
        this.activation = Activation.leakyRelu(alpha);
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public String type() {
        return "LeakyReLU";
    }
}
