package dev.depthwise.train.data;

import dev.depthwise.spec.ShapeException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Moves the image by a random whole number of pixels, independently up to {@code maxShift} in each
 * direction vertically and horizontally (uniform over {@code -maxShift .. maxShift}), filling the
 * uncovered border with zeros. This is the same as the usual "pad by {@code maxShift} with zeros, then
 * crop at a random position" augmentation, without the padded copy.
 *
 * <p>Zero is the background of MNIST-style images (black), so a shifted digit stays a clean digit; 1 or 2
 * pixels is a common choice for 28 x 28 digits.
 */
public final class RandomShift implements Augmentation {
    private final int maxShift;

    /**
     * @param maxShift the largest shift in pixels along each axis; 0 leaves images as they are
     * @throws ShapeException if {@code maxShift} is negative
     */
    public RandomShift(int maxShift) {
        if (maxShift < 0) {
            throw new ShapeException("random shift: maxShift must be >= 0, got " + maxShift);
        }
        this.maxShift = maxShift;
    }

    /** The largest shift along each axis. */
    public int maxShift() {
        return maxShift;
    }

    @Override
    public void apply(float[] images, int offset, int height, int width, int channels, RandomGenerator random) {
        int dy = random.nextInt(2 * maxShift + 1) - maxShift;
        int dx = random.nextInt(2 * maxShift + 1) - maxShift;
        shift(images, offset, height, width, channels, dy, dx);
    }

    /** Output pixel (y, x) takes input pixel (y - dy, x - dx), or 0 where that is outside. */
    static void shift(float[] images, int offset, int height, int width, int channels, int dy, int dx) {
        if (dy == 0 && dx == 0) {
            return;
        }
        int row = width * channels;
        float[] src = Arrays.copyOfRange(images, offset, offset + height * row);
        Arrays.fill(images, offset, offset + height * row, 0f);
        // The columns that stay inside the image, as a run of whole pixels copied in one go per row.
        int x0 = Math.max(0, dx);
        int x1 = Math.min(width, width + dx);
        if (x1 <= x0) {
            return;
        }
        for (int y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
            System.arraycopy(src, (y - dy) * row + (x0 - dx) * channels, images, offset + y * row + x0 * channels,
                    (x1 - x0) * channels);
        }
    }

    @Override
    public String toString() {
        return "shift<=" + maxShift;
    }
}
