package dev.depthwise.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adam and AdamW against steps worked by hand (PyTorch's formulas), weights {1, -2}, the gradients of
 * {@link TinyParams}, learning rate 0.01, weight decay 0.1, betas 0.9 and 0.999, epsilon 1e-8.
 */
class AdamTest {
    private static final float TOL = 1e-6f;

    @Test
    void adamWithCoupledWeightDecay() {
        Parameter p = TinyParams.kernel();
        float[][] w = TinyParams.run(new Adam(List.of(p), 0.9, 0.999, 1e-8, 0.1, false), p, 0.01);
        // step 1: g = 0.5 + 0.1*1 = 0.6, m = 0.06, v = 0.00036; bias-corrected m/(1-0.9) = 0.6 and
        // sqrt(v/(1-0.999)) = 0.6, so the step is lr * 0.6 / (0.6 + 1e-8): 1 - 0.01 = 0.99 (less 2e-10)
        assertArrayEquals(new float[] {0.99f, -2.009999998f}, w[0], TOL);
        assertArrayEquals(new float[] {0.983311836f, -2.018849305f}, w[1], TOL);
        assertArrayEquals(new float[] {0.97547026f, -2.016268411f}, w[2], TOL);
    }

    @Test
    void adamWDecaysTheWeightsApartFromTheMoments() {
        Parameter p = TinyParams.kernel();
        float[][] w = TinyParams.run(Adam.adamW(List.of(p), 0.1), p, 0.01);
        // step 1: w = 1 * (1 - 0.01*0.1) = 0.999, then the Adam step of g = 0.5 alone: 0.999 - 0.01 = 0.989
        assertArrayEquals(new float[] {0.989f, -2.008f}, w[0], TOL);
        assertArrayEquals(new float[] {0.98290074f, -2.015853178f}, w[1], TOL);
        assertArrayEquals(new float[] {0.975272277f, -2.018359562f}, w[2], TOL);
    }

    @Test
    void stateHoldsBothMomentsByName() {
        Parameter p = TinyParams.kernel();
        Adam adam = Adam.adam(List.of(p));
        p.setGradient(new float[] {0.5f, 0.25f});
        adam.step(0.01);
        assertEquals(List.of("m/dense_1/kernel", "v/dense_1/kernel"), List.copyOf(adam.state().keySet()));
        assertArrayEquals(new float[] {0.05f, 0.025f}, adam.state().get("m/dense_1/kernel"), 1e-9f);
        assertArrayEquals(new float[] {0.00025f, 0.0000625f}, adam.state().get("v/dense_1/kernel"), 1e-10f);
        assertEquals("adam", adam.name());
        assertEquals("adamw", Adam.adamW(List.of(p), 0.01).name());
    }

    @Test
    void refusesBadHyperParameters() {
        Parameter p = TinyParams.kernel();
        SgdTest.assertMessage("adam: beta1 must be in [0.0, 1.0), got 1.0",
                () -> new Adam(List.of(p), 1, 0.999, 1e-8, 0, false));
        SgdTest.assertMessage("adamw: beta2 must be in [0.0, 1.0), got -0.5",
                () -> new Adam(List.of(p), 0.9, -0.5, 1e-8, 0, true));
        SgdTest.assertMessage("adam: epsilon must be in", () -> new Adam(List.of(p), 0.9, 0.999, 0, 0, false));
        SgdTest.assertMessage("adamw: weight decay must be in", () -> Adam.adamW(List.of(p), Double.NaN));
    }
}
