package dev.depthwise.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depthwise.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void globalNormIsScaledDownToTheLimitKeepingTheDirection() {
        Parameter p = TinyParams.kernel();
        p.setGradient(new float[] {3, 4}); // norm 5
        double norm = GradientClipping.clipGlobalNorm(List.of(p), 1);
        assertEquals(5, norm, 1e-12);
        // PyTorch's factor: 1 / (5 + 1e-6)
        assertArrayEquals(new float[] {(float) (3 / (5 + 1e-6)), (float) (4 / (5 + 1e-6))}, p.gradient(), 1e-7f);
    }

    @Test
    void aNormBelowTheLimitIsLeftAlone() {
        Parameter p = TinyParams.kernel();
        p.setGradient(new float[] {0.3f, 0.4f});
        assertEquals(0.5, GradientClipping.clipGlobalNorm(List.of(p), 1), 1e-7);
        assertArrayEquals(new float[] {0.3f, 0.4f}, p.gradient());
    }

    @Test
    void nonFiniteNormLeavesTheGradientsForTheCallerToSee() {
        Parameter p = TinyParams.kernel();
        p.setGradient(new float[] {Float.NaN, 4});
        assertEquals(Double.NaN, GradientClipping.clipGlobalNorm(List.of(p), 1));
        assertEquals(4, p.gradient()[1]);
    }

    @Test
    void valueClippingClampsEachElement() {
        Parameter p = TinyParams.kernel();
        p.setGradient(new float[] {-3, 0.5f});
        GradientClipping.clipValue(List.of(p), 1);
        assertArrayEquals(new float[] {-1, 0.5f}, p.gradient());
    }

    @Test
    void refusesBadLimits() {
        Parameter p = TinyParams.kernel();
        SgdTest.assertMessage("gradient clipping: max norm must be finite and > 0, got 0.0",
                () -> GradientClipping.clipGlobalNorm(List.of(p), 0));
        SgdTest.assertMessage("gradient clipping: max value must be finite and > 0, got Infinity",
                () -> GradientClipping.clipValue(List.of(p), Double.POSITIVE_INFINITY));
    }
}
