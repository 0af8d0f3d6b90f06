package dev.depthwise.nn;

import dev.depthwise.spec.PoolSpec;

/**
 * Keras's {@code AveragePooling1D/2D/3D}; the rank is the number of pool sizes. Padded cells are not
 * counted in the mean (Keras's rule). ShuffleNet's shortcut: {@code new AvgPool(3, 3).strides(2).padding("same")}.
 */
public final class AvgPool extends PoolingLayer<AvgPool> {

    /** Average pooling with window {@code poolSize} (one value per spatial axis). */
    public AvgPool(int... poolSize) {
        super(PoolSpec.Kind.AVERAGE, poolSize);
    }

    @Override
    public String type() {
        return typeName("AveragePooling");
    }
}
