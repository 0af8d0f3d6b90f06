package dev.depthwise.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.spec.ShapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each schedule against rates worked by hand. */
class LearningRateScheduleTest {
    private static final double TOL = 1e-12;

    @Test
    void constant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.1);
        assertEquals(0.1, s.rate(0));
        assertEquals(0.1, s.rate(1_000_000));
    }

    @Test
    void stepDecayDividesEveryStepSize() {
        LearningRateSchedule s = LearningRateSchedule.step(0.1, 3, 0.5);
        double[] want = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        for (int t = 0; t < want.length; t++) {
            assertEquals(want[t], s.rate(t), TOL, "step " + t);
        }
    }

    @Test
    void cosineFromBaseToMin() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 4, 0.2);
        // min + (base - min) (1 + cos(pi t / 4)) / 2
        assertEquals(1.0, s.rate(0), TOL);
        assertEquals(0.2 + 0.8 * (1 + Math.sqrt(0.5)) / 2, s.rate(1), TOL);
        assertEquals(0.6, s.rate(2), TOL);
        assertEquals(0.2 + 0.8 * (1 - Math.sqrt(0.5)) / 2, s.rate(3), TOL);
        assertEquals(0.2, s.rate(4), TOL);
        assertEquals(0.2, s.rate(99), TOL);
    }

    @Test
    void warmUpClimbsLinearlyThenHandsOver() {
        LearningRateSchedule s = new WarmUp(4, LearningRateSchedule.step(0.8, 2, 0.5));
        // 0.8 * (t + 1) / 4 during the warm-up, then the step schedule from its own step 0
        double[] want = {0.2, 0.4, 0.6, 0.8, 0.8, 0.8, 0.4, 0.4, 0.2};
        for (int t = 0; t < want.length; t++) {
            assertEquals(want[t], s.rate(t), TOL, "step " + t);
        }
    }

    @Test
    void warmUpCosineSpansTheWholeRun() {
        LearningRateSchedule s = LearningRateSchedule.warmUpCosine(0.1, 2, 10, 0);
        assertEquals(0.05, s.rate(0), TOL);
        assertEquals(0.1, s.rate(1), TOL);
        assertEquals(0.1, s.rate(2), TOL);        // cosine step 0 of 8
        assertEquals(0.05, s.rate(6), TOL);       // cosine step 4 of 8: half way
        assertEquals(0.0, s.rate(10), TOL);
        assertEquals(LearningRateSchedule.cosine(0.1, 10, 0), LearningRateSchedule.warmUpCosine(0.1, 0, 10, 0));
    }

    @Test
    void refusesBadArguments() {
        assertMessage("constant schedule: rate must be finite and >= 0, got -1.0", () -> new ConstantRate(-1));
        assertMessage("step schedule: step size must be >= 1, got 0", () -> new StepDecay(0.1, 0, 0.5));
        assertMessage("step schedule: gamma must be in [0, 1], got 2.0", () -> new StepDecay(0.1, 1, 2));
        assertMessage("cosine schedule: total steps must be >= 1, got 0", () -> new CosineDecay(0.1, 0, 0));
        assertMessage("cosine schedule: min rate must be in [0, 0.1] (the base rate), got 0.5",
                () -> new CosineDecay(0.1, 10, 0.5));
        assertMessage("warm-up schedule: warm-up steps must be >= 1, got 0",
                () -> new WarmUp(0, LearningRateSchedule.constant(1)));
        assertMessage("learning rate schedule: step must be >= 0, got -1",
                () -> LearningRateSchedule.constant(1).rate(-1));
    }

    private static void assertMessage(String want, Executable e) {
        ShapeException x = assertThrows(ShapeException.class, e);
        assertTrue(x.getMessage().startsWith(want), x.getMessage());
    }
}
