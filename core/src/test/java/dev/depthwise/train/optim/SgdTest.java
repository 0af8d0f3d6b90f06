package dev.depthwise.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.nn.Parameter;
import dev.depthwise.spec.ShapeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SGD against steps worked by hand (PyTorch's formulas, dampening 0), weights {1, -2}, gradients
 * {0.5, 0.25}, {-0.1, 0.4}, {0.3, -0.2}, learning rate 0.1.
 */
class SgdTest {
    private static final float TOL = 1e-6f;

    @Test
    void plainSgdSubtractsTheScaledGradient() {
        Parameter p = TinyParams.kernel();
        float[][] w = TinyParams.run(new Sgd(List.of(p)), p, 0.1);
        // 1 - 0.1*0.5 = 0.95, -2 - 0.1*0.25 = -2.025; then +0.01, -0.04; then -0.03, +0.02
        assertArrayEquals(new float[] {0.95f, -2.025f}, w[0], TOL);
        assertArrayEquals(new float[] {0.96f, -2.065f}, w[1], TOL);
        assertArrayEquals(new float[] {0.93f, -2.045f}, w[2], TOL);
    }

    @Test
    void momentumWithWeightDecay() {
        Parameter p = TinyParams.kernel();
        float[][] w = TinyParams.run(new Sgd(List.of(p), 0.9, false, 0.01), p, 0.1);
        // step 1: g = 0.5 + 0.01*1 = 0.51, v = 0.51, w = 1 - 0.051 = 0.949;
        //         g = 0.25 + 0.01*-2 = 0.23, v = 0.23, w = -2 - 0.023 = -2.023
        assertArrayEquals(new float[] {0.949f, -2.023f}, w[0], TOL);
        // step 2: g = -0.1 + 0.00949 = -0.09051, v = 0.459 - 0.09051 = 0.36849, w = 0.949 - 0.036849
        assertArrayEquals(new float[] {0.912151f, -2.081677f}, w[1], TOL);
        assertArrayEquals(new float[] {0.848074749f, -2.112404623f}, w[2], TOL);
    }

    @Test
    void nesterovLooksAhead() {
        Parameter p = TinyParams.kernel();
        float[][] w = TinyParams.run(new Sgd(List.of(p), 0.9, true, 0.01), p, 0.1);
        // step 1: g = 0.51, v = 0.51, d = g + 0.9 v = 0.969, w = 1 - 0.0969 = 0.9031
        assertArrayEquals(new float[] {0.9031f, -2.0437f}, w[0], TOL);
        assertArrayEquals(new float[] {0.87907411f, -2.13444697f}, w[1], TOL);
        assertArrayEquals(new float[] {0.790593358f, -2.139903124f}, w[2], TOL);
    }

    @Test
    void zeroLearningRateChangesNothingButTheMomentum() {
        Parameter p = TinyParams.kernel();
        Sgd sgd = new Sgd(List.of(p), 0.9, false, 0);
        p.setGradient(new float[] {1, 2});
        sgd.step(0);
        assertArrayEquals(new float[] {1, -2}, p.value());
        assertArrayEquals(new float[] {1, 2}, sgd.state().get("momentum/dense_1/kernel"));
        assertEquals(1, sgd.steps());
    }

    @Test
    void refusesBadHyperParameters() {
        Parameter p = TinyParams.kernel();
        assertMessage("sgd: momentum must be in [0.0, 1.0), got 1.0", () -> new Sgd(List.of(p), 1, false, 0));
        assertMessage("sgd: weight decay must be in [0.0, ", () -> new Sgd(List.of(p), 0.9, false, -1));
        assertMessage("sgd: Nesterov momentum needs momentum > 0", () -> new Sgd(List.of(p), 0, true, 0));
        Sgd sgd = new Sgd(List.of(p));
        assertMessage("sgd: learning rate must be finite and >= 0, got NaN", () -> sgd.step(Double.NaN));
        assertMessage("sgd: learning rate must be finite and >= 0, got -0.1", () -> sgd.step(-0.1));
    }

    static void assertMessage(String start, org.junit.jupiter.api.function.Executable e) {
        ShapeException x = assertThrows(ShapeException.class, e);
        assertTrue(x.getMessage().startsWith(start), x.getMessage());
    }
}
