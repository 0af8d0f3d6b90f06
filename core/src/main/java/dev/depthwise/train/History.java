package dev.depthwise.train;

import java.util.List;

/**
 * The epochs of one training run, in order.
 *
 * @param epochs one entry per epoch trained
 */
public record History(List<EpochStats> epochs) {

    public History {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch; null when none ran. */
    public EpochStats last() {
        return epochs.isEmpty() ? null : epochs.getLast();
    }

    /** Wall time of all training steps, evaluation excluded. */
    public double trainSeconds() {
        double s = 0;
        for (EpochStats e : epochs) {
            s += e.trainSeconds();
        }
        return s;
    }

    /** The mean training loss of each epoch. */
    public double[] trainLosses() {
        return epochs.stream().mapToDouble(EpochStats::trainLoss).toArray();
    }
}
