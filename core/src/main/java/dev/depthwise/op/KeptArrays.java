package dev.depthwise.op;

import java.util.Arrays;

/**
 * Per-thread arrays kept from call to call and grown on demand, so that a warm backward pass
 * allocates none (a path holds one per calling thread in a {@code ThreadLocal}; its parts run on
 * other threads, but the caller waits for them). Contents are undefined on return.
 */
final class KeptArrays {
    private float[][] floats = new float[0][];
    private double[][] doubles = new double[0][];

    /** At least {@code n} arrays of at least {@code length} floats. */
    float[][] floats(int n, int length) {
        if (floats.length < n) {
            floats = Arrays.copyOf(floats, n);
        }
        for (int i = 0; i < n; i++) {
            if (floats[i] == null || floats[i].length < length) {
                floats[i] = new float[length];
            }
        }
        return floats;
    }

    /** At least {@code n} arrays of at least {@code length} doubles. */
    double[][] doubles(int n, int length) {
        if (doubles.length < n) {
            doubles = Arrays.copyOf(doubles, n);
        }
        for (int i = 0; i < n; i++) {
            if (doubles[i] == null || doubles[i].length < length) {
                doubles[i] = new double[length];
            }
        }
        return doubles;
    }
}
