package dev.depthwise.kernel;

import dev.depthwise.spec.Activation;

/** The fused activations and their derivatives, in double, as written in the papers. */
public final class ActivationRef {
    private ActivationRef() {
    }

    /** {@code act(z)}. NaN stays NaN for every function. */
    public static double apply(Activation act, double z) {
        return switch (act.kind()) {
            case NONE -> z;
            case RELU -> z > 0 ? z : (z <= 0 ? 0 : z);
            case RELU6 -> z > 6 ? 6 : z > 0 ? z : (z <= 0 ? 0 : z);
            case LEAKY_RELU -> z >= 0 ? z : act.alpha() * z;
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case HARD_SWISH -> z <= -3 ? 0 : z >= 3 ? z : z * (z + 3) / 6;
        };
    }

    /**
     * {@code d act(z) / dz}. At the kinks it takes the value the frameworks take: ReLU's derivative
     * at 0 is 0 (TensorFlow and PyTorch), ReLU6's is 0 at 0 and at 6, hard-swish's is PyTorch's.
     */
    public static double derivative(Activation act, double z) {
        return switch (act.kind()) {
            case NONE -> 1;
            case RELU -> z > 0 ? 1 : 0;
            case RELU6 -> z > 0 && z < 6 ? 1 : 0;
            case LEAKY_RELU -> z >= 0 ? 1 : act.alpha();
            case SIGMOID -> {
                double s = 1 / (1 + Math.exp(-z));
                yield s * (1 - s);
            }
            case HARD_SWISH -> z < -3 ? 0 : z > 3 ? 1 : (2 * z + 3) / 6;
        };
    }

    /** Applies {@code act} to every element of {@code v} in place. */
    public static void applyInPlace(Activation act, float[] v) {
        if (act.kind() == Activation.Kind.NONE) {
            return;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) apply(act, v[i]);
        }
    }

    /** {@code dz[i] = dy[i] * act'(z[i])}: the gradient before the activation. */
    public static void backward(Activation act, float[] z, float[] dy, float[] dz) {
        for (int i = 0; i < dz.length; i++) {
            dz[i] = (float) (dy[i] * derivative(act, z[i]));
        }
    }
}
