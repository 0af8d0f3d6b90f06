package dev.depthwise.train.data;

/**
 * A data set split in two: one part to train on, one held out to measure.
 *
 * @param train the images to fit the model to
 * @param test the images to evaluate on, never trained on
 */
public record DataSplit(Dataset train, Dataset test) {}
