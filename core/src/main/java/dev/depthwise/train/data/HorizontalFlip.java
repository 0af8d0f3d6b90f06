package dev.depthwise.train.data;

import dev.depthwise.spec.ShapeException;
import java.util.random.RandomGenerator;

/**
 * Mirrors the image left to right with a given probability. Right for photographs of things that look the
 * same mirrored (Fashion-MNIST's clothes, CIFAR's animals); wrong for digits and letters, where a mirrored
 * 2, 3 or 7 is not the same symbol, so nothing uses it by default and it should stay off for MNIST.
 */
public final class HorizontalFlip implements Augmentation {
    private final double probability;

    /**
     * @param probability the chance that an image is flipped, 0 to 1 (0.5 is usual)
     * @throws ShapeException if it is not in [0, 1]
     */
    public HorizontalFlip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new ShapeException("horizontal flip: probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    @Override
    public void apply(float[] images, int offset, int height, int width, int channels, RandomGenerator random) {
        // Always draw, so that the generator advances the same way whatever the outcome.
        if (random.nextDouble() >= probability) {
            return;
        }
        flip(images, offset, height, width, channels);
    }

    /** Swaps pixel (y, x) with (y, width - 1 - x), all channels together. */
    static void flip(float[] images, int offset, int height, int width, int channels) {
        for (int y = 0; y < height; y++) {
            int row = offset + y * width * channels;
            for (int x = 0; x < width / 2; x++) {
                int a = row + x * channels;
                int b = row + (width - 1 - x) * channels;
                for (int c = 0; c < channels; c++) {
                    float t = images[a + c];
                    images[a + c] = images[b + c];
                    images[b + c] = t;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "hflip p=" + probability;
    }
}
