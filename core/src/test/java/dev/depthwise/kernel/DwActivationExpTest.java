package dev.depthwise.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernels' own e^x (for the sigmoid): within 2 ulps of the exact value over its range, held at
 * its ends, NaN kept, and the sigmoid built on it within 2 ulps of the exact one where the result
 * is a normal float. At every vector width (tag simd).
 */
@Tag("simd")
class DwActivationExpTest {
    private static float[] exp(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i + VecSpecies.LEN <= x.length; i += VecSpecies.LEN) {
            DwActivation.exp(FloatVector.fromArray(VecSpecies.F, x, i)).intoArray(y, i);
        }
        return y;
    }

    @Test
    void expIsWithinTwoUlpsOverItsRange() {
        int n = 4096 * VecSpecies.LEN;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -87.3f + 175.6f * i / (n - 1);
        }
        float[] y = exp(x);
        for (int i = 0; i < n; i++) {
            float want = (float) Math.exp(x[i]);
            assertTrue(Math.abs(y[i] - want) <= 2 * Math.ulp(want), "exp(" + x[i] + ") = " + y[i] + ", not " + want);
        }
    }

    @Test
    void expHoldsItsEndsAndKeepsNaN() {
        float[] x = new float[VecSpecies.LEN];
        x[0] = Float.NaN;
        if (x.length > 1) {
            x[1] = -1000f;
        }
        if (x.length > 2) {
            x[2] = Float.POSITIVE_INFINITY;
        }
        if (x.length > 3) {
            x[3] = 0f;
        }
        float[] y = exp(x);
        assertTrue(Float.isNaN(y[0]), "NaN in, NaN out: " + y[0]);
        if (x.length > 3) {
            assertEquals((float) Math.exp(-87.3f), y[1], 2 * Math.ulp((float) Math.exp(-87.3f)));
            assertTrue(Float.isFinite(y[2]) && y[2] > 1e38f, "held at 88.3: " + y[2]);
            assertEquals(1f, y[3]);
        }
    }

    @Test
    void sigmoidIsWithinTwoUlpsWhereItIsNormal() {
        int n = 1024 * VecSpecies.LEN;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = -80f + 160f * i / (n - 1);
        }
        for (int i = 0; i < n; i += VecSpecies.LEN) {
            float[] s = new float[VecSpecies.LEN];
            DwActivation.apply(FloatVector.fromArray(VecSpecies.F, z, i), DwActivation.SIGMOID, 0f).intoArray(s, 0);
            for (int l = 0; l < s.length; l++) {
                float want = (float) (1 / (1 + Math.exp(-(double) z[i + l])));
                assertTrue(Math.abs(s[l] - want) <= 2 * Math.ulp(want), "sigmoid(" + z[i + l] + ") = " + s[l]
                        + ", not " + want);
            }
        }
    }
}
