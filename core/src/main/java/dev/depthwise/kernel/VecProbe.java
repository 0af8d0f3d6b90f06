package dev.depthwise.kernel;

import jdk.incubator.vector.VectorShape;

/**
 * Asks the Vector API for the CPU's widest vector. Kept apart from {@link VecSpecies}, whose static
 * species depends on {@link Simd}'s choice: asking through it would initialise it too early.
 */
final class VecProbe {
    private VecProbe() {
    }

    static int preferredBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }
}
