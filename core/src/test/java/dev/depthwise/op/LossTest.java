package dev.depthwise.op;

import static dev.depthwise.op.BadInputTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.testutil.GradientCheck;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Softmax cross-entropy and mean squared error: hand-worked values, finite differences, bad input. */
class LossTest {

    // ---- softmax cross-entropy ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.1, 1})
    void uniformLogitsGiveLnKWhateverTheSmoothing(double eps) {
        // p = 1/K everywhere, so -sum t log p = ln K for any target that sums to 1.
        for (int k : new int[] {1, 2, 10}) {
            LossResult r = SoftmaxCrossEntropy.of(k, eps).compute(new float[3 * k], new int[] {0, k - 1, k / 2});
            assertEquals(Math.log(k), r.loss(), 1e-12);
        }
    }

    @Test
    void handWorkedTwoClassValues() {
        // Logits (ln 4, 0): p = (0.8, 0.2).
        float[] z = {(float) Math.log(4), 0};
        LossResult plain = SoftmaxCrossEntropy.of(2).compute(z, new int[] {0});
        assertEquals(-Math.log(0.8), plain.loss(), 1e-7);
        assertArrayEquals(new float[] {-0.2f, 0.2f}, plain.gradient(), 1e-7f);
        // eps = 0.2: t = 0.8 * (1, 0) + 0.1 = (0.9, 0.1); gradient p - t = (-0.1, 0.1).
        LossResult smooth = SoftmaxCrossEntropy.of(2, 0.2).compute(z, new int[] {0});
        assertEquals(-(0.9 * Math.log(0.8) + 0.1 * Math.log(0.2)), smooth.loss(), 1e-7);
        assertArrayEquals(new float[] {-0.1f, 0.1f}, smooth.gradient(), 1e-7f);
        // Two rows: the loss is their mean and the gradient is divided by N = 2.
        LossResult two = SoftmaxCrossEntropy.of(2).compute(new float[] {z[0], z[1], z[0], z[1]}, new int[] {0, 1});
        assertEquals((-Math.log(0.8) - Math.log(0.2)) / 2, two.loss(), 1e-7);
        assertArrayEquals(new float[] {-0.1f, 0.1f, 0.4f, -0.4f}, two.gradient(), 1e-7f);
    }

    @Test
    void hugeLogitsStayFinite() {
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(3);
        float[] z = {1000, 0, -1000};
        assertEquals(0, ce.compute(z, new int[] {0}).loss(), 1e-12);
        assertEquals(1000, ce.compute(z, new int[] {1}).loss(), 1e-9);
        assertEquals(2000, ce.compute(z, new int[] {2}).loss(), 1e-9);
        assertArrayEquals(new float[] {1, 0, -1}, ce.compute(z, new int[] {2}).gradient(), 0);
        // A ruled-out class (-inf) costs nothing when it is not the target.
        LossResult r = ce.compute(new float[] {0, 0, Float.NEGATIVE_INFINITY}, new int[] {0});
        assertEquals(Math.log(2), r.loss(), 1e-12);
        assertArrayEquals(new float[] {-0.5f, 0.5f, 0}, r.gradient(), 1e-7f);
        assertTrue(Double.isNaN(ce.compute(new float[] {Float.NaN, 0, 0}, new int[] {0}).loss()));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.1, 0.5})
    void gradientMatchesFiniteDifferences(double eps) {
        Random random = new Random(11);
        int n = 4, k = 5;
        float[] z = new float[n * k];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (2 * random.nextGaussian());
        }
        int[] labels = {0, 4, 2, 2};
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(k, eps);
        LossResult r = ce.compute(z, labels);
        double rowSum = 0;
        for (float g : r.gradient()) {
            rowSum += g;
        }
        assertEquals(0, rowSum, 1e-6, "each row of p - t sums to 0");
        GradientCheck.check("cross-entropy eps=" + eps, new float[][] {z}, new float[][] {r.gradient()},
                p -> ce.compute(p[0], labels).loss());
    }

    @Test
    void crossEntropyRefusesBadInput() {
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(3, 0.1);
        assertRefused(() -> SoftmaxCrossEntropy.of(0), "softmax cross-entropy: classes must be >= 1, got 0");
        assertRefused(() -> SoftmaxCrossEntropy.of(3, -0.1), "label smoothing must be in [0, 1], got -0.1");
        assertRefused(() -> SoftmaxCrossEntropy.of(3, 1.5), "got 1.5");
        assertRefused(() -> SoftmaxCrossEntropy.of(3, Double.NaN), "got NaN");
        assertRefused(() -> ce.compute(new float[6], new int[] {0, 3}), "labels[1] must be in 0..2, got 3");
        assertRefused(() -> ce.compute(new float[6], new int[] {-1, 0}), "labels[0] must be in 0..2, got -1");
        assertRefused(() -> ce.compute(new float[5], new int[] {0, 1}), "logits must have 6 elements (2x3), got 5");
        assertRefused(() -> ce.compute(null, new int[] {0}), "logits must not be null");
        assertRefused(() -> ce.compute(new float[0], new int[0]), "labels must not be empty");
        assertRefused(() -> ce.compute(new float[3], null), "labels must not be null");
        assertEquals("softmax cross-entropy K=3 smoothing=0.1", ce.toString());
    }

    // ---- mean squared error -------------------------------------------------------------------------

    @Test
    void meanSquaredErrorHandWorked() {
        // Differences 1, -2, 0, 3: squares sum to 14, mean 3.5; gradient 2 d / 4.
        LossResult r = MeanSquaredError.compute(new float[] {1, 0, 5, 3}, new float[] {0, 2, 5, 0});
        assertEquals(3.5, r.loss(), 0);
        assertArrayEquals(new float[] {0.5f, -1f, 0, 1.5f}, r.gradient(), 0);
        assertEquals(0, MeanSquaredError.compute(new float[] {7}, new float[] {7}).loss());
    }

    @Test
    void meanSquaredErrorGradientMatchesFiniteDifferences() {
        Random random = new Random(5);
        float[] y = new float[12];
        float[] t = new float[12];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextGaussian();
            t[i] = (float) random.nextGaussian();
        }
        GradientCheck.check("mse", new float[][] {y}, new float[][] {MeanSquaredError.compute(y, t).gradient()},
                p -> MeanSquaredError.compute(p[0], t).loss());
    }

    @Test
    void meanSquaredErrorRefusesBadInput() {
        assertRefused(() -> MeanSquaredError.compute(new float[2], new float[3]),
                "mean squared error: target must have 2 elements (the length of prediction), got 3");
        assertRefused(() -> MeanSquaredError.compute(null, new float[3]), "prediction must not be null");
        assertRefused(() -> MeanSquaredError.compute(new float[3], null), "target must not be null");
        assertRefused(() -> MeanSquaredError.compute(new float[0], new float[0]), "prediction must not be empty");
    }
}
