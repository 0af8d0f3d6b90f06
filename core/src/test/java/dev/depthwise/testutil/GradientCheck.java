package dev.depthwise.testutil;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Function;

/**
 * Central finite differences in double for a scalar loss {@code L = sum(y * dy)} of a function of
 * several float tensors: {@code dL/dp[i] ~ (L(p + eps) - L(p - eps)) / (2 eps)}. The convolutions
 * are linear in each parameter, so the difference is exact up to float rounding of y; only the
 * activations add curvature, which is small at {@code eps = 1e-2}.
 */
public final class GradientCheck {
    private static final double EPS = 1e-2;

    private GradientCheck() {
    }

    /** {@code sum(y * dy)} in double. */
    public static double dot(float[] y, float[] dy) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * dy[i];
        }
        return s;
    }

    /**
     * Checks {@code analytic[p]} against finite differences of {@code loss} w.r.t. every element of
     * {@code params[p]}, for every {@code p} whose analytic gradient is non-null. {@code loss} reads
     * the (perturbed) params array it is given.
     */
    public static void check(String what, float[][] params, float[][] analytic, Function<float[][], Double> loss) {
        int checked = 0;
        for (int p = 0; p < params.length; p++) {
            if (analytic[p] == null) {
                continue;
            }
            float[] a = params[p];
            for (int i = 0; i < a.length; i++) {
                float saved = a[i];
                a[i] = (float) (saved + EPS);
                double up = loss.apply(params);
                a[i] = (float) (saved - EPS);
                double down = loss.apply(params);
                a[i] = saved;
                double numeric = (up - down) / ((double) (float) (saved + EPS) - (float) (saved - EPS));
                double got = analytic[p][i];
                if (Math.abs(numeric - got) > 3e-4 + 3e-4 * Math.abs(numeric)) {
                    fail(what + ": d/dparam" + p + "[" + i + "] analytic " + got + ", finite difference " + numeric);
                }
                checked++;
            }
        }
        assertTrue(checked > 0, what + ": no gradient was checked");
    }
}
