package dev.depthwise.train.optim;

import dev.depthwise.nn.Parameter;
import java.util.List;
import java.util.Locale;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and weight decay, as PyTorch's
 * {@code torch.optim.SGD} (dampening 0) computes it, for learning rate {@code lr}:
 * <pre>
 *   g = grad + weightDecay * w              (L2 weight decay, coupled to the gradient)
 *   v = momentum * v + g                    (v starts at 0, so the first v is g)
 *   d = nesterov ? g + momentum * v : v     (d = g without momentum)
 *   w = w - lr * d
 * </pre>
 * Slot {@code momentum} holds v (only when momentum is not 0). Weight decay applies to every parameter the
 * optimizer is given, as in PyTorch.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    /**
     * @param parameters the trainable parameters
     * @param momentum in [0, 1); 0 is plain SGD, 0.9 is usual
     * @param nesterov Nesterov momentum (needs momentum > 0)
     * @param weightDecay L2 factor >= 0, added to the gradient (5e-4 and 1e-4 are usual for CNNs)
     * @throws dev.depthwise.spec.ShapeException naming the hyper-parameter, its value and the rule
     */
    public Sgd(List<Parameter> parameters, double momentum, boolean nesterov, double weightDecay) {
        super("sgd", parameters, momentum == 0 ? new String[0] : new String[] {"momentum"});
        this.momentum = check("sgd", "momentum", momentum, 0, 1, true);
        this.weightDecay = check("sgd", "weight decay", weightDecay, 0, Double.MAX_VALUE, false);
        if (nesterov && momentum == 0) {
            throw new dev.depthwise.spec.ShapeException("sgd: Nesterov momentum needs momentum > 0, got 0");
        }
        this.nesterov = nesterov;
    }

    /** Plain SGD: no momentum, no weight decay. */
    public Sgd(List<Parameter> parameters) {
        this(parameters, 0, false, 0);
    }

    /** The momentum factor; 0 for plain SGD. */
    public double momentum() { return momentum; }

    /** Whether the momentum is Nesterov's. */
    public boolean nesterov() { return nesterov; }

    /** The L2 weight decay factor. */
    public double weightDecay() { return weightDecay; }

    @Override
    protected void update(float[] w, float[] g, float[][] state, double lr, long t) {
        float[] v = momentum == 0 ? null : state[0];
        for (int i = 0; i < w.length; i++) {
            double gi = g[i] + weightDecay * w[i];
            double d = gi;
            if (v != null) {
                double vi = momentum * v[i] + gi;
                v[i] = (float) vi;
                d = nesterov ? gi + momentum * vi : vi;
            }
            w[i] = (float) (w[i] - lr * d);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "sgd(momentum=%s%s, weight_decay=%s)", momentum, nesterov ? ", nesterov" : "",
                weightDecay);
    }
}
