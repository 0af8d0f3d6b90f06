package dev.depthwise.cli;

import dev.depthwise.train.EpochStats;
import dev.depthwise.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Shows a training run on stderr: the {@link ProgressBar} during each epoch (loss, accuracy,
 * images/s), then a line with the epoch's held-out result. Nothing in quiet mode. Optionally runs an
 * action after each epoch (saving a checkpoint).
 */
final class TrainingProgress implements TrainingListener {
    private final ProgressBar bar;
    private final PrintStream out;
    private final String label;
    private final Consumer<EpochStats> afterEpoch;

    /**
     * @param label what is trained, at the start of each epoch's result line (e.g. {@code standard})
     */
    TrainingProgress(ProgressBar bar, PrintStream out, String label) {
        this(bar, out, label, s -> { });
    }

    private TrainingProgress(ProgressBar bar, PrintStream out, String label, Consumer<EpochStats> afterEpoch) {
        this.bar = bar;
        this.out = out;
        this.label = label;
        this.afterEpoch = afterEpoch;
    }

    /** This progress display, running {@code action} after each epoch's line. */
    TrainingProgress then(Consumer<EpochStats> action) {
        return new TrainingProgress(bar, out, label, afterEpoch.andThen(action));
    }

    /** Progress on stderr, quiet or not. */
    static TrainingProgress stderr(boolean quiet, String label) {
        return new TrainingProgress(ProgressBar.forStderr(quiet), System.err, label);
    }

    @Override
    public void epochStarted(int epoch, int epochs, long images) {
        bar.startEpoch(epoch, epochs, images);
    }

    @Override
    public void batchFinished(long imagesDone, double meanLoss, double meanAccuracy) {
        bar.update(imagesDone, meanLoss, meanAccuracy);
    }

    @Override
    public void trainingStepsFinished(int epoch, double meanLoss, double meanAccuracy) {
        bar.finishEpoch(meanLoss, meanAccuracy);
    }

    @Override
    public void epochFinished(EpochStats s) {
        if (bar.mode() != ProgressBar.Mode.QUIET) {
            out.println(line(label, s));
            out.flush();
        }
        afterEpoch.accept(s);
    }

    /** {@code standard epoch 3: train loss 0.1219 acc 96.83%, test loss 0.1356 acc 95.95%, 7.7 s (1,044 img/s)}. */
    static String line(String label, EpochStats s) {
        String test = Double.isNaN(s.testAccuracy()) ? ""
                : String.format(Locale.ROOT, ", test loss %.4f acc %.2f%%", s.testLoss(), 100 * s.testAccuracy());
        return String.format(Locale.ROOT, "%s epoch %d: train loss %.4f acc %.2f%%%s, %.1f s (%,d img/s), lr %.3g",
                label, s.epoch(), s.trainLoss(), 100 * s.trainAccuracy(), test, s.trainSeconds(),
                Math.round(s.imagesPerSecond()), s.learningRate());
    }
}
