package dev.depthwise.train.schedule;

import dev.depthwise.spec.ShapeException;

/**
 * Step decay (PyTorch's {@code StepLR}): {@code base * gamma^floor(step / stepSize)}, e.g. the rate divided
 * by 10 every 30 epochs' worth of steps.
 *
 * @param base the rate of the first {@code stepSize} steps, finite and >= 0
 * @param stepSize steps between decays, >= 1
 * @param gamma the factor of each decay, in [0, 1]
 */
public record StepDecay(double base, long stepSize, double gamma) implements LearningRateSchedule {

    public StepDecay {
        LearningRateSchedule.checkRate("step schedule", "base rate", base);
        if (stepSize < 1) {
            throw new ShapeException("step schedule: step size must be >= 1, got " + stepSize);
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new ShapeException("step schedule: gamma must be in [0, 1], got " + gamma);
        }
    }

    @Override
    public double rate(long step) {
        LearningRateSchedule.checkStep(step);
        return base * Math.pow(gamma, step / stepSize);
    }

    @Override
    public String toString() {
        return "step(" + base + ", every " + stepSize + " steps x" + gamma + ")";
    }
}
