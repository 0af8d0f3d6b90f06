package dev.depthwise.train.schedule;

/**
 * The learning rate of each optimizer step. Steps count mini-batches from 0 (the first update uses
 * {@code rate(0)}); a training loop turns epochs into steps with its batches per epoch.
 *
 * <pre>{@code
 * // 1 epoch of linear warm-up, then a cosine decay to 0 over the other 9, 125 batches an epoch:
 * LearningRateSchedule s = LearningRateSchedule.warmUpCosine(0.1, 125, 10 * 125, 0);
 * }</pre>
 *
 * Implementations are immutable records, pure functions of the step: a resumed run gets the same rates.
 */
public sealed interface LearningRateSchedule permits ConstantRate, StepDecay, CosineDecay, WarmUp {

    /** The learning rate of step {@code step} (>= 0). */
    double rate(long step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double rate) {
        return new ConstantRate(rate);
    }

    /** {@code base * gamma^floor(step / stepSize)}. */
    static LearningRateSchedule step(double base, long stepSize, double gamma) {
        return new StepDecay(base, stepSize, gamma);
    }

    /** Cosine from {@code base} at step 0 down to {@code min} at {@code totalSteps}, then {@code min}. */
    static LearningRateSchedule cosine(double base, long totalSteps, double min) {
        return new CosineDecay(base, totalSteps, min);
    }

    /**
     * {@code warmupSteps} of linear warm-up to {@code base}, then a cosine decay to {@code min} over the
     * rest of {@code totalSteps}. With no warm-up it is the plain cosine.
     */
    static LearningRateSchedule warmUpCosine(double base, long warmupSteps, long totalSteps, double min) {
        if (warmupSteps == 0) {
            return cosine(base, totalSteps, min);
        }
        return new WarmUp(warmupSteps, cosine(base, Math.max(1, totalSteps - warmupSteps), min));
    }

    /** Checks a step argument. */
    static void checkStep(long step) {
        if (step < 0) {
            throw new dev.depthwise.spec.ShapeException("learning rate schedule: step must be >= 0, got " + step);
        }
    }

    /** Checks a rate: finite and >= 0. */
    static double checkRate(String schedule, String name, double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new dev.depthwise.spec.ShapeException(schedule + ": " + name + " must be finite and >= 0, got " + rate);
        }
        return rate;
    }
}
