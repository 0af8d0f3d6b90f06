package dev.depthwise.op;

import dev.depthwise.spec.Checks;
import dev.depthwise.spec.ShapeException;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout: during training each element is kept with probability {@code 1 - rate} and
 * scaled by {@code 1 / (1 - rate)}, so inference needs no rescaling (Keras's rule). The mask is
 * drawn from a caller's generator, which makes a seeded run repeatable; forward and backward
 * multiply by the same mask. Thread-safe (the generator is the caller's).
 */
public final class DropoutMask {
    private static final String OP = "dropout";
    private final float rate;

    private DropoutMask(float rate) {
        this.rate = rate;
    }

    /** Dropout with {@code 0 <= rate < 1}. */
    public static DropoutMask of(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new ShapeException(OP + ": rate must be in [0, 1), got " + rate);
        }
        return new DropoutMask(rate);
    }

    public float rate() { return rate; }

    /** A mask of {@code length} elements, each 0 or {@code 1 / (1 - rate)}. */
    public float[] mask(int length, RandomGenerator random) {
        if (length < 0) {
            throw new ShapeException(OP + ": length must be >= 0, got " + length);
        }
        if (random == null) {
            throw new ShapeException(OP + ": random generator must not be null");
        }
        float keep = (float) (1 / (1 - (double) rate));
        float[] m = new float[length];
        for (int i = 0; i < length; i++) {
            m[i] = random.nextDouble() < rate ? 0f : keep;
        }
        return m;
    }

    /** {@code x * mask}, element-wise; also the backward pass ({@code dy * mask}). */
    public float[] apply(float[] x, float[] mask) {
        if (x == null) {
            throw new ShapeException(OP + ": x must not be null");
        }
        Checks.length(OP, "mask", mask, x.length, new int[] {x.length});
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * mask[i];
        }
        return y;
    }
}
