package dev.depthwise.train.data;

/**
 * One mini-batch: {@code size()} images in NHWC order and their labels. The arrays are new for every
 * batch and belong to the caller.
 *
 * @param images {@code size() x height x width x channels} floats, after augmentation
 * @param labels the class of each image
 * @param indices where each image sits in the {@link Dataset} (before augmentation), for tracing errors
 * @param height image height
 * @param width image width
 * @param channels channels per pixel
 */
public record Batch(float[] images, int[] labels, int[] indices, int height, int width, int channels) {

    /** The number of images in the batch (the last one of an epoch may be smaller). */
    public int size() {
        return labels.length;
    }

    /** The NHWC shape of {@link #images()}: {@code [size, height, width, channels]}. */
    public int[] shape() {
        return new int[] {size(), height, width, channels};
    }
}
