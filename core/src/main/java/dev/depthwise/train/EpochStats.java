package dev.depthwise.train;

/**
 * One epoch of training.
 *
 * @param epoch the epoch, counting from 1
 * @param trainLoss the mean training loss over the epoch's batches (regularization included), measured in
 *     training mode as the weights moved
 * @param trainAccuracy the fraction of training images classified right, measured the same way
 * @param testLoss the held-out loss after the epoch, NaN without held-out data
 * @param testAccuracy the held-out accuracy after the epoch, NaN without held-out data
 * @param trainSeconds wall time of the epoch's training steps (evaluation excluded)
 * @param evalSeconds wall time of the held-out evaluation, 0 without held-out data
 * @param images training images seen in the epoch
 * @param learningRate the learning rate of the epoch's last step
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double trainSeconds, double evalSeconds, long images, double learningRate) {

    /** Training throughput: images per second of the training steps (forward, backward, update). */
    public double imagesPerSecond() {
        return trainSeconds > 0 ? images / trainSeconds : Double.NaN;
    }
}
