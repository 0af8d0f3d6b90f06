package dev.depthwise.train.data;

import java.util.random.RandomGenerator;

/**
 * A random change to one training image that keeps its label true: a small shift, a flip. {@link Batcher}
 * applies it to each image of a batch with a generator derived from its seed, so runs repeat exactly.
 */
@FunctionalInterface
public interface Augmentation {

    /**
     * Changes one NHWC image in place: {@code images[offset .. offset + height * width * channels)}.
     *
     * @param random the source of randomness; use no other, or runs stop being repeatable
     */
    void apply(float[] images, int offset, int height, int width, int channels, RandomGenerator random);

    /** This augmentation, then {@code next}, on the same image. */
    default Augmentation andThen(Augmentation next) {
        if (next == null) {
            throw new dev.depthwise.spec.ShapeException("augmentation: next must not be null");
        }
        return (images, offset, h, w, c, random) -> {
            apply(images, offset, h, w, c, random);
            next.apply(images, offset, h, w, c, random);
        };
    }
}
