package dev.depthwise.train;

/**
 * Hears about a training run's progress, for a progress bar, logs or checkpoints. Every method does
 * nothing by default. Called on the training thread, between steps.
 */
public interface TrainingListener {

    /** Epoch {@code epoch} (from 1) of {@code epochs} starts, over {@code images} training images. */
    default void epochStarted(int epoch, int epochs, long images) {}

    /**
     * A training step finished: {@code imagesDone} so far this epoch, the running mean loss and accuracy of
     * the epoch so far.
     */
    default void batchFinished(long imagesDone, double meanLoss, double meanAccuracy) {}

    /** The epoch's training steps finished; the held-out evaluation (if any) comes next. */
    default void trainingStepsFinished(int epoch, double meanLoss, double meanAccuracy) {}

    /** The epoch finished, evaluation included. */
    default void epochFinished(EpochStats stats) {}
}
