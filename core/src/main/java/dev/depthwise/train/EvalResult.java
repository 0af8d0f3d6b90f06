package dev.depthwise.train;

/**
 * What one pass over a held-out data set gave.
 *
 * @param metrics the confusion matrix and what follows from it (accuracy, per-class accuracy)
 * @param loss the mean loss (cross-entropy, label smoothing included, no regularization)
 * @param seconds the wall time of the pass: forward passes, loss and counting
 */
public record EvalResult(Metrics metrics, double loss, double seconds) {

    /** The fraction classified right. */
    public double accuracy() {
        return metrics.accuracy();
    }

    /** Images evaluated per second: the inference throughput at the batch size used. */
    public double imagesPerSecond() {
        return seconds > 0 ? metrics.total() / seconds : Double.NaN;
    }
}
