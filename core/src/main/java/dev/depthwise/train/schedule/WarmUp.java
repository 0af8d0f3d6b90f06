package dev.depthwise.train.schedule;

import dev.depthwise.spec.ShapeException;

/**
 * Linear warm-up (Goyal et al. 2017) in front of another schedule: for the first {@code steps} steps the
 * rate climbs in equal parts to the other schedule's first rate, {@code then.rate(0) * (t + 1) / steps},
 * so the first update is already small but not zero and step {@code steps - 1} reaches the full rate;
 * afterwards the other schedule runs from its own step 0: {@code then.rate(t - steps)}.
 *
 * @param steps warm-up steps, >= 1
 * @param then the schedule after the warm-up
 */
public record WarmUp(long steps, LearningRateSchedule then) implements LearningRateSchedule {

    public WarmUp {
        if (steps < 1) {
            throw new ShapeException("warm-up schedule: warm-up steps must be >= 1, got " + steps);
        }
        if (then == null) {
            throw new ShapeException("warm-up schedule: the schedule after the warm-up must not be null");
        }
    }

    @Override
    public double rate(long step) {
        LearningRateSchedule.checkStep(step);
        if (step < steps) {
            return then.rate(0) * (step + 1) / steps;
        }
        return then.rate(step - steps);
    }

    @Override
    public String toString() {
        return "warm-up(" + steps + " steps) then " + then;
    }
}
