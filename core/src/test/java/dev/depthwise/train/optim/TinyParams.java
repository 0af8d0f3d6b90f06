package dev.depthwise.train.optim;

import dev.depthwise.nn.Dense;
import dev.depthwise.nn.Model;
import dev.depthwise.nn.ModelBuilder;
import dev.depthwise.nn.Parameter;

/** Two weights to step by hand: the kernel [1, 2] of a bias-free Dense(2), starting at {1, -2}. */
final class TinyParams {
    private TinyParams() {}

    /** The gradients of the three steps every hand-worked test uses. */
    static final float[][] GRADIENTS = {{0.5f, 0.25f}, {-0.1f, 0.4f}, {0.3f, -0.2f}};

    static Parameter kernel() {
        Model m = ModelBuilder.sequential("tiny", new int[] {1}, 0, new Dense(2).useBias(false));
        Parameter p = m.trainableParameters().getFirst();
        p.set(new float[] {1f, -2f});
        return p;
    }

    /** Runs the three steps at learning rate {@code lr}, returning the weights after each. */
    static float[][] run(Optimizer o, Parameter p, double lr) {
        float[][] after = new float[GRADIENTS.length][];
        for (int s = 0; s < GRADIENTS.length; s++) {
            p.setGradient(GRADIENTS[s]);
            o.step(lr);
            after[s] = p.value().clone();
        }
        return after;
    }
}
