package dev.depthwise.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depthwise.spec.ShapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MetricsTest {

    /** 3 classes; class 0: 3 right, 1 taken for a 2; class 1: 2 right; class 2: 1 right, 1 taken for a 0. */
    private static Metrics handMade() {
        Metrics m = new Metrics(3);
        m.add(new int[] {0, 0, 0, 0, 1, 1, 2, 2}, new int[] {0, 0, 2, 0, 1, 1, 2, 0});
        return m;
    }

    @Test
    void countsAccuracyConfusionAndPerClass() {
        Metrics m = handMade();
        assertEquals(8, m.total());
        assertEquals(6, m.correct());
        assertEquals(0.75, m.accuracy());
        assertArrayEquals(new long[][] {{3, 0, 1}, {0, 2, 0}, {1, 0, 1}}, m.confusion());
        assertArrayEquals(new double[] {0.75, 1, 0.5}, m.perClassAccuracy());
    }

    @Test
    void rendersATable() {
        Metrics m = handMade();
        String expected = """
                actual \\ predicted 0 1 2    acc      n
                                 0 3 0 1  75.0%      4
                                 1 0 2 0 100.0%      2
                                 2 1 0 1  50.0%      2
                accuracy 75.00% (6 of 8)
                """;
        assertEquals(expected, m.render());
        // Wider counts widen every column; a class never seen shows '-' for its accuracy.
        Metrics wide = new Metrics(2);
        for (int i = 0; i < 1234; i++) {
            wide.add(0, i % 2);
        }
        assertEquals("""
                actual \\ predicted   0   1    acc      n
                                 0 617 617  50.0%   1234
                                 1   0   0      -      0
                accuracy 50.00% (617 of 1234)
                """, wide.render());
    }

    @Test
    void emptyMetricsAreNaNNotAnError() {
        Metrics m = new Metrics(2);
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.perClassAccuracy()[1]));
        assertTrue(m.render().endsWith("accuracy - (0 of 0)\n"), m.render());
    }

    @Test
    void logitsArePredictedByArgmaxFirstOnTiesNaNFirst() {
        assertEquals(1, Metrics.argmax(new float[] {0, 3, 3}, 0, 3));
        assertEquals(2, Metrics.argmax(new float[] {9, 9, 0, 1, 5}, 2, 3));
        assertEquals(1, Metrics.argmax(new float[] {5, Float.NaN, 9}, 0, 3));
        assertEquals(0, Metrics.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0, 2));
        Metrics m = new Metrics(3);
        m.addLogits(new float[] {
            0.1f, 2, -1, // predicts 1
            5, 5, 0, // tie: predicts 0
            Float.NaN, 0, 9}, new int[] {1, 1, 2}); // NaN: predicts 0
        assertArrayEquals(new long[][] {{0, 0, 0}, {1, 1, 0}, {1, 0, 0}}, m.confusion());
    }

    @Test
    void refusesBadInputAndCountsNothingThen() {
        Metrics m = handMade();
        refused(() -> new Metrics(0), "metrics: classes must be in 1..4096, got 0");
        refused(() -> new Metrics(5000), "got 5000");
        refused(() -> m.add(3, 0), "actual must be in 0..2, got 3");
        refused(() -> m.add(0, -1), "predicted must be in 0..2, got -1");
        refused(() -> m.add(new int[] {0, 1}, new int[] {0}), "predicted must have 2 elements");
        // The bad label is the last one: the good ones before it must not have been counted.
        refused(() -> m.add(new int[] {0, 1, 7}, new int[] {0, 1, 1}), "actual[2] must be in 0..2, got 7");
        refused(() -> m.addLogits(new float[5], new int[] {0, 1}), "logits must have 6 elements (2x3), got 5");
        refused(() -> m.addLogits(new float[6], new int[] {0, 9}), "actual[1] must be in 0..2, got 9");
        refused(() -> m.add(null, new int[0]), "actual must not be null");
        assertEquals(8, m.total());
    }

    private static void refused(Executable call, String fragment) {
        ShapeException e = assertThrows(ShapeException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "message should contain '" + fragment + "': " + e.getMessage());
    }
}
