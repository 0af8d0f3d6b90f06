package dev.depthwise.op;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;

/**
 * Softmax cross-entropy for classification, fused so that it is stable and its gradient is simple: for
 * logits {@code z} of shape {@code [N, K]} and integer labels,
 * <pre>
 *   p = softmax(z)                      (per row)
 *   t = (1 - eps) * onehot(label) + eps / K     (label smoothing; eps = 0 is plain cross-entropy)
 *   loss = mean over rows of  -sum_k t_k log p_k
 *   dLoss/dz = (p - t) / N
 * </pre>
 * {@code log p_k = z_k - logsumexp(z)} with the row's maximum subtracted before exponentiating, so large
 * logits neither overflow nor lose the loss to {@code log(0)}; sums run in double. Label smoothing as in
 * Szegedy et al. 2016 (Inception v3) and PyTorch's {@code CrossEntropyLoss(label_smoothing=eps)}: the
 * smoothed mass is spread over all K classes, the true one included.
 *
 * <p>Non-finite logits are not refused: {@code -inf} (a class ruled out) works as the limit it stands for,
 * as long as the class gets no target mass (no smoothing); {@code +inf} and NaN give a NaN loss, which
 * training reports. The op is immutable and thread-safe.
 */
public final class SoftmaxCrossEntropy {
    private static final String OP = "softmax cross-entropy";

    private final int classes;
    private final double smoothing;

    private SoftmaxCrossEntropy(int classes, double smoothing) {
        this.classes = classes;
        this.smoothing = smoothing;
    }

    /**
     * The loss over {@code classes} classes with label smoothing {@code smoothing}.
     *
     * @param classes K, at least 1
     * @param smoothing eps in [0, 1]: 0 for one-hot targets, 0.1 is common
     * @throws ShapeException if either is out of range
     */
    public static SoftmaxCrossEntropy of(int classes, double smoothing) {
        Checks.positive(OP, "classes", classes);
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new ShapeException(OP + ": label smoothing must be in [0, 1], got " + smoothing);
        }
        return new SoftmaxCrossEntropy(classes, smoothing);
    }

    /** Plain cross-entropy (no label smoothing) over {@code classes} classes. */
    public static SoftmaxCrossEntropy of(int classes) {
        return of(classes, 0);
    }

    /** K. */
    public int classes() {
        return classes;
    }

    /** The label smoothing eps. */
    public double smoothing() {
        return smoothing;
    }

    /**
     * The mean loss over the batch and its gradient with respect to the logits.
     *
     * @param logits {@code [N, K]}, row-major, N = {@code labels.length}
     * @param labels the true class of each row, in {@code 0 .. K-1}
     * @throws ShapeException if N is 0, the lengths do not match, or a label is out of range
     */
    public LossResult compute(float[] logits, int[] labels) {
        int n = check(logits, labels);
        float[] grad = new float[logits.length];
        double total = 0;
        double offTarget = smoothing / classes;
        double onTarget = 1 - smoothing + offTarget;
        for (int r = 0; r < n; r++) {
            int base = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[base + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(logits[base + k] - max);
            }
            double logSum = max + Math.log(sum);
            // -sum_k t_k log p_k = sum_k t_k (logSum - z_k); t sums to 1.
            double rowLoss = 0;
            for (int k = 0; k < classes; k++) {
                double target = k == labels[r] ? onTarget : offTarget;
                double z = logits[base + k];
                if (target != 0) {
                    rowLoss += target * (logSum - z); // skipped when 0: a -inf logit (a ruled-out class) adds 0, not 0 * inf = NaN
                }
                grad[base + k] = (float) ((Math.exp(z - logSum) - target) / n);
            }
            total += rowLoss;
        }
        return new LossResult(total / n, grad);
    }

    /** Checks the arguments, before anything is allocated; returns N. */
    private int check(float[] logits, int[] labels) {
        if (labels == null) {
            throw new ShapeException(OP + ": labels must not be null");
        }
        int n = labels.length;
        if (n == 0) {
            throw new ShapeException(OP + ": labels must not be empty (the mean over 0 rows is undefined)");
        }
        int[] shape = {n, classes};
        Checks.length(OP, "logits", logits, Checks.elementCount(OP, "logits", shape), shape);
        for (int r = 0; r < n; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new ShapeException(OP + ": labels[" + r + "] must be in 0.." + (classes - 1) + ", got " + labels[r]);
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return OP + " K=" + classes + (smoothing == 0 ? "" : " smoothing=" + smoothing);
    }
}
