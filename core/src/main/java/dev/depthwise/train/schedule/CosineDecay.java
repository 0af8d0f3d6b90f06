package dev.depthwise.train.schedule;

import dev.depthwise.spec.ShapeException;

/**
 * Cosine decay (Loshchilov and Hutter's SGDR without restarts; PyTorch's {@code CosineAnnealingLR}):
 * <pre>
 *   rate(t) = min + (base - min) * (1 + cos(pi * t / totalSteps)) / 2    for t < totalSteps
 *   rate(t) = min                                                        after
 * </pre>
 *
 * @param base the rate at step 0, finite and >= 0
 * @param totalSteps steps to reach {@code min}, >= 1
 * @param min the final rate, in [0, base]
 */
public record CosineDecay(double base, long totalSteps, double min) implements LearningRateSchedule {

    public CosineDecay {
        LearningRateSchedule.checkRate("cosine schedule", "base rate", base);
        if (totalSteps < 1) {
            throw new ShapeException("cosine schedule: total steps must be >= 1, got " + totalSteps);
        }
        if (!(min >= 0 && min <= base)) {
            throw new ShapeException("cosine schedule: min rate must be in [0, " + base + "] (the base rate), got " + min);
        }
    }

    @Override
    public double rate(long step) {
        LearningRateSchedule.checkStep(step);
        if (step >= totalSteps) {
            return min;
        }
        return min + (base - min) * (1 + Math.cos(Math.PI * step / totalSteps)) / 2;
    }

    @Override
    public String toString() {
        return "cosine(" + base + " -> " + min + " over " + totalSteps + " steps)";
    }
}
