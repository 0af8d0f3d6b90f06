package dev.depthwise.train.schedule;

/**
 * The same learning rate at every step.
 *
 * @param rate the learning rate, finite and >= 0
 */
public record ConstantRate(double rate) implements LearningRateSchedule {

    public ConstantRate {
        LearningRateSchedule.checkRate("constant schedule", "rate", rate);
    }

    @Override
    public double rate(long step) {
        LearningRateSchedule.checkStep(step);
        return rate;
    }

    @Override
    public String toString() {
        return "constant(" + rate + ")";
    }
}
