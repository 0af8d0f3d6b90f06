package dev.depthwise.kernel;

import dev.depthwise.spec.PadMode;

/**
 * Maps a position of the padded input back to the input element it reads. The reference kernels use
 * it for every tap, which keeps one code path for all padding modes: the forward pass gathers from
 * the mapped element and the backward pass scatters to it, so reflect/replicate/circular gradients
 * land on the elements that were actually read.
 */
public final class PadIndex {
    private PadIndex() {
    }

    /**
     * The input index read at padded position {@code p} of an axis of size {@code n}, or -1 when it
     * reads a zero. {@code p} lies in {@code [-n, 2n)}, which the spec's padding limits guarantee for
     * reflect and circular padding.
     */
    public static int map(int p, int n, PadMode mode) {
        if (p >= 0 && p < n) {
            return p;
        }
        return switch (mode) {
            case ZEROS -> -1;
            case REFLECT -> p < 0 ? -p : 2 * (n - 1) - p;
            case REPLICATE -> p < 0 ? 0 : n - 1;
            case CIRCULAR -> p < 0 ? p + n : p - n;
        };
    }
}
