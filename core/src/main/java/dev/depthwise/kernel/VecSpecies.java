package dev.depthwise.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species of the vector kernels, fixed for the JVM's lifetime (see {@link Simd}). Loaded
 * only when the Vector API is present. In scalar mode {@link #bound} is 0, so no vector body runs
 * and every element goes through the scalar tails.
 */
public final class VecSpecies {
    /** The species every vector kernel uses. */
    public static final VectorSpecies<Float> F = switch (Simd.BITS) {
        case 512 -> FloatVector.SPECIES_512;
        case 256 -> FloatVector.SPECIES_256;
        default -> FloatVector.SPECIES_128;
    };

    /** Lanes of {@link #F}. */
    public static final int LEN = F.length();

    private static final boolean ON = Simd.enabled();

    /**
     * Where a vector body over {@code n} elements stops: the largest multiple of {@link #LEN} not
     * above {@code n}, or 0 in scalar mode so that the scalar tail takes every element. Loops read
     * {@code for (c = 0; c < bound(n); c += LEN) vector body; for (; c < n; c++) scalar tail}.
     */
    public static int bound(int n) {
        return ON ? n - n % LEN : 0;
    }

    private VecSpecies() {
    }

    /** The CPU's widest vector, in bits. */
    public static int preferredBits() {
        return VecProbe.preferredBits();
    }
}
