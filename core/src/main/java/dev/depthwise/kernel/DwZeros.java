package dev.depthwise.kernel;

/**
 * A shared array of zeros that the channels-last kernels read in place of a row of padding, so that
 * their loops run the same for every output row. Never written; grown (replaced) on demand.
 */
final class DwZeros {
    private static volatile float[] zeros = new float[256];

    private DwZeros() {
    }

    /** At least {@code length} zeros. */
    static float[] atLeast(int length) {
        float[] z = zeros;
        if (z.length < length) {
            z = new float[Math.max(length, 2 * z.length)];
            zeros = z;
        }
        return z;
    }
}
