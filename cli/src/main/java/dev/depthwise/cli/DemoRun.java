package dev.depthwise.cli;

import dev.depthwise.train.EvalResult;
import dev.depthwise.train.History;

/**
 * What the demo measured for one of its two models.
 *
 * @param name {@code standard} or {@code separable}
 * @param params all parameters (BatchNorm's moving statistics included, Keras's count)
 * @param multAdds mult-adds of one forward pass on one image, the whole model
 * @param convMultAdds the part of {@code multAdds} in convolutions
 * @param history the epochs trained
 * @param test the final held-out evaluation
 * @param inferenceImagesPerSecond images per second of a timed inference pass over the test set
 * @param inferenceBatch the batch size of that pass
 */
record DemoRun(String name, long params, long multAdds, long convMultAdds, History history, EvalResult test,
               double inferenceImagesPerSecond, int inferenceBatch) {

    /** Wall time of the training steps, evaluations excluded. */
    double trainSeconds() {
        return history.trainSeconds();
    }

    /** Final test accuracy, 0 to 1. */
    double testAccuracy() {
        return test.accuracy();
    }
}
