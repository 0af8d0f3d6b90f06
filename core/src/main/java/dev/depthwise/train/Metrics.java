package dev.depthwise.train;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;
import java.util.Locale;

/**
 * Classification results counted as a confusion matrix, batch by batch, and what follows from it:
 * accuracy, per-class accuracy (recall), and a text table.
 *
 * <pre>{@code
 * Metrics m = new Metrics(10);
 * for (Batch b : test.epoch(0)) m.addLogits(model.forward(b.images()), b.labels());
 * System.out.println(m.accuracy());
 * System.out.print(m.render());
 * }</pre>
 *
 * <p>The prediction for a row of logits is its largest entry, the lowest class on ties; a NaN counts as
 * the largest (as NumPy's {@code argmax} does), so a diverged model scores as badly as it is. Not
 * thread-safe: one instance per evaluation loop.
 */
public final class Metrics {
    private static final String OP = "metrics";

    /** The most classes counted: a 4096 x 4096 matrix of longs is 128 MiB, and no table that size reads. */
    public static final int MAX_CLASSES = 4096;

    private final int classes;
    /** counts[actual][predicted]. */
    private final long[][] counts;
    private long total;
    private long correct;

    /**
     * An empty count over {@code classes} classes.
     *
     * @throws ShapeException if {@code classes} is not in 1..{@value #MAX_CLASSES}
     */
    public Metrics(int classes) {
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new ShapeException(OP + ": classes must be in 1.." + MAX_CLASSES + ", got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes][classes];
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /**
     * Counts one example.
     *
     * @throws ShapeException if either class is out of range (nothing is counted)
     */
    public void add(int actual, int predicted) {
        checkClass("actual", actual);
        checkClass("predicted", predicted);
        counts[actual][predicted]++;
        total++;
        if (actual == predicted) {
            correct++;
        }
    }

    /**
     * Counts a batch of predictions.
     *
     * @throws ShapeException if the lengths differ or a class is out of range (nothing is counted)
     */
    public void add(int[] actual, int[] predicted) {
        if (actual == null || predicted == null) {
            throw new ShapeException(OP + ": " + (actual == null ? "actual" : "predicted") + " must not be null");
        }
        if (predicted.length != actual.length) {
            throw new ShapeException(OP + ": predicted must have " + actual.length
                    + " elements (one per actual label), got " + predicted.length);
        }
        for (int i = 0; i < actual.length; i++) {
            checkClass("actual[" + i + "]", actual[i]);
            checkClass("predicted[" + i + "]", predicted[i]);
        }
        for (int i = 0; i < actual.length; i++) {
            add(actual[i], predicted[i]);
        }
    }

    /**
     * Counts a batch of logits (or probabilities) {@code [N, classes]} against labels {@code [N]}.
     *
     * @throws ShapeException if the lengths do not match or a label is out of range (nothing is counted)
     */
    public void addLogits(float[] logits, int[] labels) {
        if (labels == null) {
            throw new ShapeException(OP + ": labels must not be null");
        }
        int[] shape = {labels.length, classes};
        Checks.length(OP, "logits", logits, Checks.elementCount(OP, "logits", shape), shape);
        int[] predicted = new int[labels.length];
        for (int r = 0; r < labels.length; r++) {
            predicted[r] = argmax(logits, r * classes, classes);
        }
        add(labels, predicted);
    }

    /**
     * The index of the largest of {@code n} values from {@code offset}, relative to {@code offset}: the
     * first on ties, the first NaN if there is one.
     */
    public static int argmax(float[] values, int offset, int n) {
        int best = 0;
        for (int k = 0; k < n; k++) {
            float v = values[offset + k];
            if (Float.isNaN(v)) {
                return k;
            }
            if (v > values[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    /** Examples counted. */
    public long total() {
        return total;
    }

    /** Examples whose prediction was right. */
    public long correct() {
        return correct;
    }

    /** The fraction predicted right, 0 to 1; NaN before anything is counted. */
    public double accuracy() {
        return (double) correct / total;
    }

    /** A copy of the confusion matrix: {@code [actual][predicted]} counts. */
    public long[][] confusion() {
        long[][] copy = new long[classes][];
        for (int a = 0; a < classes; a++) {
            copy[a] = counts[a].clone();
        }
        return copy;
    }

    /**
     * For each class, the fraction of its examples predicted right (its recall); NaN for a class with no
     * examples.
     */
    public double[] perClassAccuracy() {
        double[] acc = new double[classes];
        for (int a = 0; a < classes; a++) {
            long n = 0;
            for (long c : counts[a]) {
                n += c;
            }
            acc[a] = (double) counts[a][a] / n;
        }
        return acc;
    }

    /**
     * The confusion matrix as text, one row per actual class, a column per predicted class, then each
     * class's accuracy and count; the last line has the overall accuracy:
     * <pre>
     * actual \ predicted   0   1   2    acc      n
     *                  0  98   1   1  98.0%    100
     *                  1   0  50   0 100.0%     50
     *                  2   3   0   7  70.0%     10
     * accuracy 96.25% (154 of 160)
     * </pre>
     */
    public String render() {
        long max = 0;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        int cell = Math.max(Long.toString(max).length(), Integer.toString(classes - 1).length()) + 1;
        String corner = "actual \\ predicted";
        double[] acc = perClassAccuracy();
        StringBuilder s = new StringBuilder(corner);
        for (int p = 0; p < classes; p++) {
            s.append(pad(Integer.toString(p), cell));
        }
        s.append(pad("acc", 7)).append(pad("n", 7)).append('\n');
        for (int a = 0; a < classes; a++) {
            s.append(pad(Integer.toString(a), corner.length()));
            long n = 0;
            for (int p = 0; p < classes; p++) {
                s.append(pad(Long.toString(counts[a][p]), cell));
                n += counts[a][p];
            }
            s.append(pad(percent(acc[a], 1), 7)).append(pad(Long.toString(n), 7)).append('\n');
        }
        s.append("accuracy ").append(percent(accuracy(), 2)).append(" (").append(correct).append(" of ")
                .append(total).append(")\n");
        return s.toString();
    }

    /** {@code 97.5%}, or {@code -} where there is nothing to divide. */
    private static String percent(double fraction, int decimals) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * fraction);
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    private void checkClass(String name, int value) {
        if (value < 0 || value >= classes) {
            throw new ShapeException(OP + ": " + name + " must be in 0.." + (classes - 1) + ", got " + value);
        }
    }
}
