package dev.depthwise.train.optim;

import dev.depthwise.nn.Parameter;
import java.util.List;
import java.util.Locale;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019), as PyTorch's {@code torch.optim.Adam}
 * and {@code AdamW} compute them, for step t (from 1) and learning rate {@code lr}:
 * <pre>
 *   Adam:  g = grad + weightDecay * w       (L2 decay, coupled: it passes through the moments)
 *   AdamW: g = grad;  w = w * (1 - lr * weightDecay)   (decoupled decay, applied to the weights)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 * Slots {@code m} and {@code v} hold the moments. Weight decay applies to every parameter the optimizer
 * is given, as in PyTorch; to spare biases and batch-norm parameters, give them to a second optimizer
 * without decay.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final boolean decoupled;

    /**
     * @param parameters the trainable parameters
     * @param beta1 first-moment decay in [0, 1) (0.9 usual)
     * @param beta2 second-moment decay in [0, 1) (0.999 usual)
     * @param epsilon added to the denominator, > 0 (1e-8 usual)
     * @param weightDecay >= 0 (PyTorch's defaults: 0 for Adam, 0.01 for AdamW)
     * @param decoupled AdamW's decoupled weight decay instead of Adam's L2 term
     * @throws dev.depthwise.spec.ShapeException naming the hyper-parameter, its value and the rule
     */
    public Adam(List<Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay,
                boolean decoupled) {
        super(decoupled ? "adamw" : "adam", parameters, "m", "v");
        String n = decoupled ? "adamw" : "adam";
        this.beta1 = check(n, "beta1", beta1, 0, 1, true);
        this.beta2 = check(n, "beta2", beta2, 0, 1, true);
        this.epsilon = check(n, "epsilon", epsilon, Double.MIN_VALUE, Double.MAX_VALUE, false);
        this.weightDecay = check(n, "weight decay", weightDecay, 0, Double.MAX_VALUE, false);
        this.decoupled = decoupled;
    }

    /** Adam with PyTorch's defaults: betas 0.9 and 0.999, epsilon 1e-8, no weight decay. */
    public static Adam adam(List<Parameter> parameters) {
        return new Adam(parameters, 0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW with PyTorch's defaults and decoupled weight decay {@code weightDecay} (PyTorch: 0.01). */
    public static Adam adamW(List<Parameter> parameters, double weightDecay) {
        return new Adam(parameters, 0.9, 0.999, 1e-8, weightDecay, true);
    }

    /** The first-moment decay. */
    public double beta1() { return beta1; }

    /** The second-moment decay. */
    public double beta2() { return beta2; }

    /** The denominator's epsilon. */
    public double epsilon() { return epsilon; }

    /** The weight decay factor (L2 for Adam, decoupled for AdamW). */
    public double weightDecay() { return weightDecay; }

    /** True for AdamW. */
    public boolean decoupled() { return decoupled; }

    @Override
    protected void update(float[] w, float[] g, float[][] state, double lr, long t) {
        float[] m = state[0];
        float[] v = state[1];
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double shrink = decoupled ? 1 - lr * weightDecay : 1;
        double l2 = decoupled ? 0 : weightDecay;
        for (int i = 0; i < w.length; i++) {
            double wi = w[i];
            double gi = g[i] + l2 * wi;
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = (float) mi;
            v[i] = (float) vi;
            w[i] = (float) (wi * shrink - lr * (mi / c1) / (Math.sqrt(vi / c2) + epsilon));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(beta1=%s, beta2=%s, epsilon=%s, weight_decay=%s)", name(), beta1, beta2,
                epsilon, weightDecay);
    }
}
