package dev.depthwise.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The width Surefire asked for (-Ddepthwise.simd) is the width the kernels really run at. */
@Tag("simd")
class SimdTest {
    @Test
    void theRequestedWidthIsInForce() {
        String want = System.getProperty(Simd.PROPERTY, "preferred");
        assertTrue(Simd.AVAILABLE, "the tests run with --add-modules jdk.incubator.vector");
        switch (want) {
            case "scalar" -> {
                assertEquals(0, Simd.BITS);
                assertEquals(0, VecSpecies.bound(1000), "no vector body runs in scalar mode");
            }
            case "128" -> {
                assertEquals(128, Simd.BITS);
                assertEquals(4, VecSpecies.LEN);
                assertEquals(8, VecSpecies.bound(11));
            }
            default -> {
                assertEquals(VecSpecies.preferredBits(), Simd.BITS);
                assertEquals(Simd.BITS / 32, VecSpecies.LEN);
            }
        }
        System.out.println("SimdTest: kernels run at " + Simd.describe());
    }
}
